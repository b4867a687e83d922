"use client";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Button } from "@/components/ui/button";
import { CLEARED_FILTERS, hasActiveFilters, jobFiltersToApiQuery } from "@/lib/client/job-filters";
import type { JobListResponse } from "@/lib/client/types";
import type { JobSortField } from "@/lib/jobs/limits";
import { BulkTagBar } from "./bulk-tag-bar";
import { CompareAction } from "@/components/compare/compare-action";
import { FilterBar } from "./filter-bar";
import { JobsTable } from "./jobs-table";
import { Pagination } from "./pagination";
import { useJobFilters } from "./use-job-filters";
import { useJobList } from "./use-jobs-data";

// Fields whose natural first look is newest/largest first.
const DESC_FIRST = new Set<JobSortField>([
  "created_at",
  "started_at",
  "ended_at",
  "expires_at",
  "node_count",
  "current_nodes",
]);

/** The Jobs page body. `initial` is the server's first page for the same query, so first paint has rows. */
const NO_SELECTION: Set<string> = new Set();

export function JobsView({ initial }: { initial?: { query: string; data: JobListResponse } }) {
  const { filters, update } = useJobFilters();
  const apiQuery = useMemo(() => jobFiltersToApiQuery(filters), [filters]);
  const list = useJobList(apiQuery, initial);
  const search = useRef<HTMLInputElement>(null);

  // A selection belongs to one result set: a different one (other filters or sort) starts empty.
  const resultKey = JSON.stringify({ ...apiQuery, page: undefined });
  const [selection, setSelection] = useState({ key: resultKey, ids: NO_SELECTION });
  const selected = selection.key === resultKey ? selection.ids : NO_SELECTION;
  const setSelected = (update: Set<string> | ((current: Set<string>) => Set<string>)) =>
    setSelection((cur) => {
      const current = cur.key === resultKey ? cur.ids : NO_SELECTION;
      return { key: resultKey, ids: typeof update === "function" ? update(current) : update };
    });

  // "/" jumps to search from anywhere on the page that is not a text field; Escape drops the selection.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (e.key === "Escape" && !el.closest("input[type=text], input[type=search], dialog"))
        return setSelection((cur) => ({ ...cur, ids: NO_SELECTION }));
      if (
        e.key !== "/" ||
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        el.closest("input, textarea, select, [contenteditable=true]")
      )
        return;
      e.preventDefault();
      search.current?.focus();
      search.current?.select();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const jobs = list.data?.results;
  const selectedJobs = jobs?.filter((j) => selected.has(j.id)) ?? [];
  const onSort = (field: JobSortField) =>
    update(
      filters.sort_by === field
        ? { sort_by: field, sort_order: filters.sort_order === "asc" ? "desc" : "asc" }
        : { sort_by: field, sort_order: DESC_FIRST.has(field) ? "desc" : "asc" },
    );

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Jobs</h1>
          <p>
            {list.data
              ? `${list.data.pagination.total} ${list.data.pagination.total === 1 ? "job" : "jobs"}`
              : "Loading…"}
            {list.isFetching && list.data && (
              <span
                className="spinner"
                style={{ marginLeft: 8, verticalAlign: "middle", width: 12, height: 12 }}
                aria-label="Refreshing"
              />
            )}
          </p>
        </div>
        <Link href="/jobs/new" className="btn btn-primary">
          New job
        </Link>
      </div>
      <FilterBar ref={search} filters={filters} update={update} />
      {selectedJobs.length > 0 && (
        <BulkTagBar jobs={selectedJobs} onClear={() => setSelected(new Set())}>
          <CompareAction kind="jobs" items={selectedJobs} />
        </BulkTagBar>
      )}
      {list.isError && !list.data ? (
        <div className="card">
          <ErrorState error={list.error} onRetry={() => list.refetch()} title="Could not load jobs" />
        </div>
      ) : (
        <>
          {list.isError && (
            <ErrorState error={list.error} onRetry={() => list.refetch()} title="Could not refresh jobs" />
          )}
          <JobsTable
            jobs={jobs}
            filters={filters}
            onSort={onSort}
            selected={selected}
            onSelect={(ids, on) =>
              setSelected((s) => {
                const next = new Set(s);
                for (const id of ids)
                  if (on) next.add(id);
                  else next.delete(id);
                return next;
              })
            }
            empty={
              hasActiveFilters(filters) ? (
                <EmptyState
                  title="No jobs match these filters"
                  action={<Button onClick={() => update(CLEARED_FILTERS)}>Clear filters</Button>}
                >
                  Try fewer tags or a wider date range.
                </EmptyState>
              ) : (
                <EmptyState
                  title="No jobs yet"
                  action={
                    <Link href="/jobs/new" className="btn btn-primary">
                      Create your first job
                    </Link>
                  }
                >
                  Jobs you create (or your agents run) appear here.
                </EmptyState>
              )
            }
          />
          {list.data && list.data.pagination.total > 0 && (
            <Pagination
              pagination={list.data.pagination}
              onPage={(page) => update({ page })}
              onPerPage={(per_page) => update({ per_page })}
            />
          )}
        </>
      )}
    </>
  );
}
