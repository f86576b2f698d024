/**
 * A button that can be stopped by something the user should know about ("run 5 is trained by
 * another Aisle process", "Pick a logs file first."). Stopped, it stays in the Tab order
 * (aria-disabled, its clicks and Enter ignored) and its reason stands beside it as its accessible
 * description: a disabled button cannot take focus, and a title shows only under a mouse, so
 * keyboard and screen-reader users would never learn why. In a row of buttons with no room for a
 * sentence (`popup`), the reason shows under the button while it is focused or hovered instead
 * (Escape hides it). Where the screen already says the reason near it (`blockerShownAt`), the
 * button is described by that text instead of repeating it.
 */
import { useId, useState, type ButtonHTMLAttributes } from 'react';

export interface BlockableButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-disabled' | 'aria-describedby'> {
  /** Why the button cannot act now, or null when it can. */
  readonly blocker: string | null | undefined;
  /** The reason's own test id (the button's is `data-testid`). */
  readonly blockerTestId?: string;
  /** The reason shows only while the button is focused or hovered, under it, over what follows. */
  readonly popup?: boolean;
  /** The id of text on the screen that already says the reason: the button's description, shown nowhere else. */
  readonly blockerShownAt?: string;
}

export function BlockableButton({ blocker, blockerTestId, popup = false, blockerShownAt, onClick, children, ...button }: BlockableButtonProps) {
  const id = useId();
  const blocked = Boolean(blocker);
  // Escape hides the popup until focus and pointer leave, as a tooltip does (it may cover what the user reads).
  const [dismissed, setDismissed] = useState(false);
  return (
    <span
      className={popup ? `blockable popup${dismissed ? ' dismissed' : ''}` : 'blockable'}
      onKeyDown={(e) => popup && e.key === 'Escape' && setDismissed(true)}
      onBlur={() => setDismissed(false)}
      onMouseLeave={() => setDismissed(false)}
    >
      <button
        type="button"
        {...button}
        aria-disabled={blocked || undefined}
        aria-describedby={blocked ? (blockerShownAt ?? id) : undefined}
        onClick={(e) => {
          // preventDefault too: a blocked submit button must not submit its form (Enter in a field clicks it).
          if (blocked) e.preventDefault();
          else onClick?.(e);
        }}
      >
        {children}
      </button>
      {blocked && !blockerShownAt && (
        <span id={id} className="muted small blocker" data-testid={blockerTestId}>
          {blocker}
        </span>
      )}
    </span>
  );
}
