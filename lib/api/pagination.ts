/** The list endpoints' `pagination` object (docs/api-contract.md). */
export function pagination(total: number, page: number, perPage: number) {
  const totalPages = Math.ceil(total / perPage);
  return { total, page, per_page: perPage, total_pages: totalPages, has_next: page < totalPages, has_prev: page > 1 };
}
