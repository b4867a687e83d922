"use client";
import { useEffect, useRef, useState } from "react";
import { useToast } from "@/components/ui/toast";
import type { JobListItem } from "@/lib/client/types";
import { TagInput } from "./tag-input";
import { loadTagRules, tagsProblem } from "./tag-validation";
import { useSetJobTags } from "./use-jobs-data";

/** A row's tags, editable in place: × removes one, + opens an input (Enter adds, Escape closes). */
export function RowTags({ job }: { job: Pick<JobListItem, "id" | "name" | "tags"> }) {
  const [adding, setAdding] = useState(false);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const setTags = useSetJobTags();
  const toast = useToast();
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (adding) loadTagRules().catch(() => undefined);
  }, [adding]);

  async function save(tags: string[], done?: () => void) {
    const problem = await tagsProblem(tags);
    if (problem) return setError(problem);
    setError(null);
    setTags.mutate(
      { id: job.id, tags },
      {
        onSuccess: () => done?.(),
        onError: (e) => {
          setError(e.message);
          toast({ kind: "error", title: `Could not update tags of ${job.name}`, message: e.message });
        },
      },
    );
  }
  function submit() {
    const tag = value.trim();
    if (!tag) return close();
    if (job.tags.includes(tag)) return close();
    save([...job.tags, tag], close);
  }
  function close() {
    setAdding(false);
    setValue("");
    setError(null);
    setTimeout(() => addButton.current?.focus());
  }

  return (
    <div className="row-tags" aria-busy={setTags.isPending || undefined}>
      {job.tags.map((t) => (
        <span key={t} className="tag" title={t}>
          <span className="tag-text">{t}</span>
          <button
            type="button"
            aria-label={`Remove tag ${t} from ${job.name}`}
            title="Remove tag"
            onClick={() => save(job.tags.filter((x) => x !== t))}
            disabled={setTags.isPending}
          >
            ×
          </button>
        </span>
      ))}
      {adding ? (
        <TagInput
          autoFocus
          className="tag-input"
          aria-label={`New tag for ${job.name}`}
          aria-invalid={!!error || undefined}
          placeholder="tag"
          value={value}
          exclude={job.tags}
          disabled={setTags.isPending}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              submit();
            }
            if (e.key === "Escape") close();
          }}
          onBlur={() => !value.trim() && !setTags.isPending && close()}
        />
      ) : (
        <button
          ref={addButton}
          type="button"
          className="btn btn-ghost btn-sm btn-icon tag-add"
          aria-label={`Add tag to ${job.name}`}
          title="Add tag"
          onClick={() => setAdding(true)}
        >
          +
        </button>
      )}
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
