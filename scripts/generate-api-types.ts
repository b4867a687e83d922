// npm run generate:api-types — rewrites the committed client types from the OpenAPI document.
import fs from "node:fs";
import { API_TYPES_FILE, generateApiTypes } from "../test/client/generate";

fs.writeFileSync(API_TYPES_FILE, await generateApiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
