"use client";
import { forwardRef, useId } from "react";
import { useJobTags } from "./use-jobs-data";

/** A text input offering the caller's existing tags (GET /jobs/tags) as suggestions. */
export const TagInput = forwardRef<
  HTMLInputElement,
  React.InputHTMLAttributes<HTMLInputElement> & { exclude?: string[] }
>(function TagInput({ exclude = [], ...props }, ref) {
  const listId = useId();
  const { data } = useJobTags();
  const suggestions = (data?.tags ?? []).filter((t) => !exclude.includes(t));
  return (
    <>
      <input ref={ref} type="text" list={listId} autoComplete="off" {...props} />
      <datalist id={listId}>
        {suggestions.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
    </>
  );
});
