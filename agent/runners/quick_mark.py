#!/usr/bin/env python3
# Placeholder until the PyTorch quick_mark runner lands at this path (same file name, same
# contract: one JSON object on stdout, exit 3 when a prerequisite is missing). The agent
# bundle embeds whatever this file is.
import json
import sys

message = "This agent build carries no quick_mark runner yet: pass --runner quick_mark=CMD"
if "--check" in sys.argv:
    print(json.dumps({"ok": False, "error_message": message}))
else:
    print(json.dumps({"state": "failed", "error_message": message}))
sys.exit(3)
