"use client";
import Link from "next/link";
import { PerformanceBadge, StateBadge } from "@/components/ui/badge";
import { SkeletonRows } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import type { JobFilters } from "@/lib/client/job-filters";
import type { JobListItem } from "@/lib/client/types";
import type { JobSortField } from "@/lib/jobs/limits";
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

// Every model in the column is NVIDIA's; the vendor prefix only costs width (the title keeps it).
const shortGpuName = (model: string) => model.replace(/^NVIDIA /, "");

/**
 * Started and ended have their own columns only on wide screens (see .col-extra in
 * globals.css); narrower, the Created cell carries the latest of them on a second line.
 */
function CollapsedTimes({ job }: { job: JobListItem }) {
  const [label, iso] = job.ended_at
    ? ["ended", job.ended_at]
    : job.started_at
      ? ["started", job.started_at]
      : [null, null];
  if (!label) return null;
  return (
    <div className="muted small when-collapsed">
      {label} <RelativeTime iso={iso} />
    </div>
  );
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
                checked={allSelected}
                disabled={!jobs?.length}
                onChange={(e) => onSelect(jobs?.map((j) => j.id) ?? [], e.target.checked)}
              />
            </th>
            {sortHeader("state", "State")}
            {sortHeader("name", "Name")}
            <th>Performance</th>
            {sortHeader("node_count", "Nodes", "num")}
            <th>GPU</th>
            {sortHeader("created_at", "Created")}
            <th>Tags</th>
            {sortHeader("started_at", "Started", "col-extra")}
            {sortHeader("ended_at", "Ended", "col-extra")}
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
                  <input
                    type="checkbox"
                    aria-label={`Select ${j.name}`}
                    checked={selected.has(j.id)}
                    onChange={(e) => onSelect([j.id], e.target.checked)}
                  />
                </td>
                <td className="state-cell">
                  <StateBadge state={j.state} />
                </td>
                <td className="name-cell">
                  <Link href={`/jobs/${j.id}`} prefetch={false} title={j.name}>
                    {j.name}
                  </Link>
                  <div className="muted small bench-line" title={`Job #${j.id}: ${j.benchmarks.join(" · ")}`}>
                    {j.benchmarks.join(" · ")}
                  </div>
                </td>
                <td data-label="Performance" className="perf-cell">
                  <PerformanceBadge status={j.performance?.status} />
                </td>
                <td data-label="Nodes" className="num" title={`${j.current_nodes} of ${j.node_count} nodes joined`}>
                  {j.current_nodes}/{j.node_count}
                </td>
                <td data-label="GPU" className="small gpu-cell" title={j.gpu_models?.join(", ") || undefined}>
                  {j.gpu_models?.length ? j.gpu_models.map(shortGpuName).join(", ") : <span className="muted">—</span>}
                </td>
                <td data-label="Created">
                  <RelativeTime iso={j.created_at} />
                  <CollapsedTimes job={j} />
                </td>
                <td data-label="Tags" className="tags-cell">
                  <RowTags job={j} />
                </td>
                <td data-label="Started" className="col-extra">
                  <RelativeTime iso={j.started_at} />
                </td>
                <td data-label="Ended" className="col-extra">
                  <RelativeTime iso={j.ended_at} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
