"use client";
import { useQuery } from "@tanstack/react-query";
import { forwardRef, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { stateLabel } from "@/components/ui/badge";
import { apiFetch } from "@/lib/client/api-fetch";
import { CLEARED_FILTERS, hasActiveFilters, type JobFilters } from "@/lib/client/job-filters";
import { JOB_SORT_FIELDS, type JobSortField } from "@/lib/jobs/limits";
import { JOB_STATES, type JobState } from "@/lib/jobs/states";
import { SORT_LABELS } from "./labels";
import { TagInput } from "./tag-input";
import { queryKeys } from "@/lib/client/query-keys";

type Update = (patch: Partial<JobFilters>) => void;

const SEARCH_DEBOUNCE_MS = 300;

/** Every GET /jobs list parameter as a control; changes go straight to the URL. */
export const FilterBar = forwardRef<HTMLInputElement, { filters: JobFilters; update: Update }>(function FilterBar(
  { filters, update },
  searchRef,
) {
  const [more, setMore] = useState(false);
  const advanced = !!(
    filters.benchmark_id ||
    filters.created_after ||
    filters.created_before ||
    filters.node_count_min !== undefined ||
    filters.node_count_max !== undefined ||
    filters.has_performance_data !== undefined
  );
  const showMore = more || advanced;
  return (
    <div className="filters" role="search" aria-label="Filter jobs">
      <div className="filters-row">
        <NameSearch
          ref={searchRef}
          value={filters.name ?? ""}
          onCommit={(name) => update({ name: name || undefined })}
        />
        <label className="sr-only" htmlFor="filter-state">
          Filter by state
        </label>
        <select
          id="filter-state"
          value={filters.state ?? ""}
          onChange={(e) => update({ state: (e.target.value || undefined) as JobState | undefined })}
        >
          <option value="">All states</option>
          {JOB_STATES.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
            </option>
          ))}
        </select>
        <TagFilter tags={filters.tags} onChange={(tags) => update({ tags })} />
        <Button
          variant="ghost"
          aria-expanded={showMore}
          aria-controls="more-filters"
          onClick={() => setMore(!showMore)}
          disabled={advanced}
        >
          {showMore ? "Fewer filters" : "More filters"}
        </Button>
        {hasActiveFilters(filters) && (
          <Button variant="ghost" onClick={() => update(CLEARED_FILTERS)}>
            Clear filters
          </Button>
        )}
      </div>
      {filters.tags.length > 0 && (
        <div className="filters-row" aria-label="Tag filters">
          <span className="muted">Tagged with all of</span>
          {filters.tags.map((t) => (
            <span key={t} className="tag">
              {t}
              <button
                type="button"
                aria-label={`Remove tag filter ${t}`}
                onClick={() => update({ tags: filters.tags.filter((x) => x !== t) })}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      {showMore && (
        <div className="filters-row" id="more-filters">
          <BenchmarkSelect
            value={filters.benchmark_id ?? ""}
            onChange={(v) => update({ benchmark_id: v || undefined })}
          />
          <label className="field">
            Created from
            <input
              type="date"
              value={filters.created_after ?? ""}
              onChange={(e) => update({ created_after: e.target.value || undefined })}
            />
          </label>
          <label className="field">
            Created to
            <input
              type="date"
              value={filters.created_before ?? ""}
              onChange={(e) => update({ created_before: e.target.value || undefined })}
            />
          </label>
          <NumberFilter
            label="Min nodes"
            value={filters.node_count_min}
            onCommit={(v) => update({ node_count_min: v })}
          />
          <NumberFilter
            label="Max nodes"
            value={filters.node_count_max}
            onCommit={(v) => update({ node_count_max: v })}
          />
          <label className="field">
            Performance data
            <select
              value={filters.has_performance_data === undefined ? "" : String(filters.has_performance_data)}
              onChange={(e) =>
                update({ has_performance_data: e.target.value === "" ? undefined : e.target.value === "true" })
              }
            >
              <option value="">Any</option>
              <option value="true">With performance data</option>
              <option value="false">Without performance data</option>
            </select>
          </label>
        </div>
      )}
      <div className="filters-row sort-row">
        <label className="field inline">
          Sort by
          <select value={filters.sort_by} onChange={(e) => update({ sort_by: e.target.value as JobSortField })}>
            {JOB_SORT_FIELDS.map((f) => (
              <option key={f} value={f}>
                {SORT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Sort order: ${filters.sort_order === "asc" ? "ascending" : "descending"}. Switch order`}
          onClick={() => update({ sort_order: filters.sort_order === "asc" ? "desc" : "asc" })}
        >
          {filters.sort_order === "asc" ? "↑ Ascending" : "↓ Descending"}
        </Button>
      </div>
    </div>
  );
});

/** Typing updates the URL after a pause; Back restores the box from the URL. */
const NameSearch = forwardRef<HTMLInputElement, { value: string; onCommit: (v: string) => void }>(function NameSearch(
  { value, onCommit },
  ref,
) {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    if (text.trim() === committed.current) return;
    const t = setTimeout(() => {
      committed.current = text.trim();
      onCommit(text.trim());
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, onCommit]);
  return (
    <div className="search">
      <input
        ref={ref}
        type="search"
        aria-label="Search jobs by name"
        placeholder="Search by name…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={60}
      />
      <kbd aria-hidden="true">/</kbd>
    </div>
  );
});

function TagFilter({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const [value, setValue] = useState("");
  function add() {
    const t = value.trim();
    if (t && !tags.includes(t)) onChange([...tags, t]);
    setValue("");
  }
  return (
    <TagInput
      aria-label="Filter by tag"
      placeholder="Filter by tag…"
      value={value}
      exclude={tags}
      onChange={(e) => {
        const v = e.target.value;
        setValue(v);
        // Picking a suggestion from the datalist fires "insertReplacementText": add at once.
        if (
          (e.nativeEvent as InputEvent).inputType === "insertReplacementText" ||
          (e.nativeEvent as InputEvent).inputType === undefined
        ) {
          if (v.trim() && !tags.includes(v.trim())) {
            onChange([...tags, v.trim()]);
            setValue("");
          }
        }
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          add();
        }
      }}
    />
  );
}

function NumberFilter({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: number | undefined;
  onCommit: (v: number | undefined) => void;
}) {
  const shown = value === undefined ? "" : String(value);
  const [text, setText] = useState(shown);
  // A new value from outside (Back, Clear filters) replaces what was typed.
  const [lastValue, setLastValue] = useState(value);
  if (lastValue !== value) {
    setLastValue(value);
    setText(shown);
  }
  const commit = () => {
    const v = text.trim() === "" ? undefined : Number(text);
    if (v !== value && (v === undefined || Number.isInteger(v))) onCommit(v);
  };
  return (
    <label className="field">
      {label}
      <input
        type="number"
        min={1}
        max={256}
        inputMode="numeric"
        style={{ width: 96 }}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === "Enter" && commit()}
      />
    </label>
  );
}

function BenchmarkSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { data } = useQuery({
    queryKey: queryKeys.benchmarks,
    queryFn: ({ signal }) => apiFetch<{ benchmarks: { id: string; name: string }[] }>("/benchmarks", { signal }),
    staleTime: Infinity,
  });
  const known = data?.benchmarks ?? [];
  return (
    <label className="field">
      Benchmark
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any benchmark</option>
        {value && !known.some((b) => b.id === value) && <option value={value}>{value}</option>}
        {known.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
      </select>
    </label>
  );
}
