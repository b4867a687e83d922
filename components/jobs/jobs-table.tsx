"use client";
import Link from "next/link";
import { PerformanceBadge, StateBadge } from "@/components/ui/badge";
import { SkeletonRows } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import type { JobFilters } from "@/lib/client/job-filters";
import type { JobListItem } from "@/lib/client/types";
import type { JobSortField } from "@/lib/jobs/schemas";
import { RowTags } from "./row-tags";

const COLUMNS = 10;

interface Props {
  jobs: JobListItem[] | undefined;
  filters: JobFilters;
  onSort: (field: JobSortField) => void;
  selected: Set<string>;
  onSelect: (ids: string[], on: boolean) => void;
  empty: React.ReactNode;
}

export function JobsTable({ jobs, filters, onSort, selected, onSelect, empty }: Props) {
  const allSelected = !!jobs?.length && jobs.every((j) => selected.has(j.id));
  const sortHeader = (field: JobSortField, label: string, className?: string) => {
    const active = filters.sort_by === field;
    const dir = active ? (filters.sort_order === "asc" ? "ascending" : "descending") : undefined;
    return (
      <th className={className} aria-sort={dir ?? "none"}>
        <button
          type="button"
          className="sort-btn"
          data-active={active}
          aria-label={`Sort by ${label}${active ? `, currently ${dir}` : ""}`}
          onClick={() => onSort(field)}
        >
          {label}
          <span aria-hidden="true">{active ? (filters.sort_order === "asc" ? "↑" : "↓") : ""}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-wrap">
      <table className="table jobs-table">
        <thead>
          <tr>
            <th style={{ width: 32 }}>
              <input
                type="checkbox"
                aria-label="Select all jobs on this page"
                ref={(el) => {
                  if (el) el.indeterminate = !allSelected && !!jobs?.some((j) => selected.has(j.id));
                }}
                checked={allSelected} disabled={!jobs?.length} onChange={(e) => onSelect(jobs?.map((j) => j.id) ?? [], e.target.checked)} />
            </th>
            {sortHeader("state", "State")}
            {sortHeader("name", "Name")}
            <th>Tags</th>
            {sortHeader("node_count", "Nodes", "num")}
            <th>GPU</th>
            {sortHeader("created_at", "Created")}
            {sortHeader("started_at", "Started")}
            {sortHeader("ended_at", "Ended")}
            <th>Performance</th>
          </tr>
        </thead>
        <tbody>
          {!jobs ? (
            <SkeletonRows columns={COLUMNS} />
          ) : jobs.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS}>{empty}</td>
            </tr>
          ) : (
            jobs.map((j) => (
              <tr key={j.id} data-job-id={j.id} className={selected.has(j.id) ? "selected" : undefined}>
                <td className="select-cell">
                  <input type="checkbox" aria-label={`Select ${j.name}`} checked={selected.has(j.id)} onChange={(e) => onSelect([j.id], e.target.checked)} />
                </td>
                <td className="state-cell">
                  <StateBadge state={j.state} />
                </td>
                <td className="name-cell">
                  <Link href={`/jobs/${j.id}`} prefetch={false}>
                    {j.name}
                  </Link>
                  <div className="muted small bench-line" title={`Job #${j.id}`}>
                    {j.benchmarks.join(" · ")}
                  </div>
                </td>
                <td data-label="Tags" className="tags-cell">
                  <RowTags job={j} />
                </td>
                <td data-label="Nodes" className="num" title={`${j.current_nodes} of ${j.node_count} nodes joined`}>
                  {j.current_nodes}/{j.node_count}
                </td>
                <td data-label="GPU" className="small">{j.gpu_models?.length ? j.gpu_models.join(", ") : <span className="muted">—</span>}</td>
                <td data-label="Created">
                  <RelativeTime iso={j.created_at} />
                </td>
                <td data-label="Started">
                  <RelativeTime iso={j.started_at} />
                </td>
                <td data-label="Ended">
                  <RelativeTime iso={j.ended_at} />
                </td>
                <td data-label="Performance">
                  <PerformanceBadge status={j.performance?.status} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
