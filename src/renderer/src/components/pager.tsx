/**
 * A table's pager: which rows of how many are shown, and Previous and Next. The Runs and
 * Experiments screens, each keeping its page in the URL, and Compare's list of experiments.
 * At the first or last page, Previous or Next does nothing and says so (aria-disabled) but keeps
 * focus: disabled, Next pressed onto the last page dropped focus to <body>, and Tab started over
 * from the top of the window. With focus kept on the button, the rows shown are said by a polite
 * status ("101–108 of 108 runs"): a screen reader heard nothing after Next or Previous, nor after a
 * search or a filter changed the Runs list (whose pager is its only count).
 */
export function Pager({ page, pages, shown, totalTestId, onStep }: { page: number; pages: number; shown: string; totalTestId: string; onStep: (step: -1 | 1) => void }) {
  const step = (by: -1 | 1, can: boolean) => ({ 'aria-disabled': !can || undefined, onClick: () => can && onStep(by) });
  return (
    <nav className="row pager" aria-label="Pages">
      <span className="muted small" role="status" data-testid={totalTestId}>
        {shown}
      </span>
      <button type="button" {...step(-1, page > 1)}>
        ‹ Previous
      </button>
      <span className="small">
        page {page} of {pages}
      </span>
      <button type="button" {...step(1, page < pages)} data-testid="next-page">
        Next ›
      </button>
    </nav>
  );
}
