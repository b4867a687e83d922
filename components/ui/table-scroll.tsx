/**
 * The scrolling frame around a wide table. It can be focused (and so scrolled with the arrow
 * keys) because on a phone it overflows and a table of plain figures has nothing else a
 * keyboard could land on; as a named region a screen reader announces what it holds.
 */
export function TableScroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
