/**
 * A table's pager: which rows of how many are shown, and Previous and Next. The Runs and
 * Experiments screens, each keeping its page in the URL.
 */
export function Pager({ page, pages, shown, totalTestId, onStep }: { page: number; pages: number; shown: string; totalTestId: string; onStep: (step: -1 | 1) => void }) {
  return (
    <nav className="row pager" aria-label="Pages">
      <span className="muted small" data-testid={totalTestId}>
        {shown}
      </span>
      <button type="button" disabled={page <= 1} onClick={() => onStep(-1)}>
        ‹ Previous
      </button>
      <span className="small">
        page {page} of {pages}
      </span>
      <button type="button" disabled={page >= pages} data-testid="next-page" onClick={() => onStep(1)}>
        Next ›
      </button>
    </nav>
  );
}
