"use client";
import { Button } from "@/components/ui/button";
import { PER_PAGE_CHOICES } from "@/lib/client/job-filters";
import type { JobListResponse } from "@/lib/client/types";

export function Pagination({
  pagination,
  onPage,
  onPerPage,
}: {
  pagination: JobListResponse["pagination"];
  onPage: (page: number) => void;
  onPerPage: (n: number) => void;
}) {
  const { page, per_page, total, total_pages } = pagination;
  const first = total === 0 ? 0 : (page - 1) * per_page + 1;
  const last = Math.min(total, page * per_page);
  const choices = [...new Set([...PER_PAGE_CHOICES, per_page])].sort((a, b) => a - b);
  return (
    <nav className="pagination" aria-label="Pagination">
      <span className="muted" data-testid="jobs-total">
        {first}–{last} of {total} {total === 1 ? "job" : "jobs"}
      </span>
      <label className="field inline">
        Per page
        <select value={per_page} onChange={(e) => onPerPage(Number(e.target.value))}>
          {choices.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <div className="pager">
        <Button size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1} aria-label="Previous page">
          ‹ Prev
        </Button>
        <span aria-live="polite">
          Page {Math.min(page, Math.max(total_pages, 1))} of {Math.max(total_pages, 1)}
        </span>
        <Button size="sm" onClick={() => onPage(page + 1)} disabled={page >= total_pages} aria-label="Next page">
          Next ›
        </Button>
      </div>
    </nav>
  );
}
