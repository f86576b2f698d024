/**
 * A modal confirmation (the native <dialog>: the page behind is inert and Escape cancels) for
 * actions that cannot be undone. Tab and Shift+Tab cycle within it (the native dialog lets focus
 * leave for the browser's own controls, or <body>). The action's own error is shown inside it,
 * where the user is looking.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ErrorLine } from './error-line';

export interface ConfirmProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  /** The button that closes the dialog without acting ("Keep" unless the action needs its own word). */
  readonly keepLabel?: string;
  /** Resolves when done (the dialog closes); a rejection is shown in the dialog. */
  readonly onConfirm: () => Promise<unknown>;
  readonly onClose: () => void;
  /**
   * Why the action cannot be done now, or null when it can: said below the dialog's text and as the
   * action button's description, which does nothing.
   */
  readonly blocker?: string | null;
  /**
   * Where focus goes once the action is done, when the control that opened the dialog is gone or
   * disabled by it (a deleted row's button): the status line that tells the outcome, say.
   */
  readonly focusAfter?: () => HTMLElement | null | undefined;
}

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

function focusable(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0);
}

/** Focuses `el` if it can take focus now; says whether it did. */
function tryFocus(el: HTMLElement | null | undefined): boolean {
  if (!el?.isConnected) return false;
  el.focus();
  return document.activeElement === el;
}

export function ConfirmDialog({ title, children, confirmLabel, keepLabel = 'Keep', onConfirm, onClose, blocker = null, focusAfter }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const blockerId = useId();
  const blocked = busy || Boolean(blocker);
  const done = useRef(false);
  // While the action runs, the dialog stays: closed then (Escape, Keep), the action still went on and
  // its refusal was shown nowhere.
  const busyRef = useRef(false);
  busyRef.current = busy;
  const focusAfterRef = useRef(focusAfter);
  focusAfterRef.current = focusAfter;
  // The control that opened the dialog (focused when it first renders), to give focus back to when
  // it closes: the dialog leaves the page before it closes, so the browser's own return is lost.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (done.current && tryFocus(focusAfterRef.current?.())) return;
      tryFocus(opener);
    };
  }, [opener]);
  const trapTab = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const list = focusable(ref.current);
    const [first, last] = [list[0], list[list.length - 1]];
    if (!first || !last) return e.preventDefault();
    const at = document.activeElement;
    const inside = at instanceof Node && ref.current.contains(at);
    if (e.shiftKey && (at === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (at === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-title" data-testid="confirm-dialog" onCancel={(e) => {
        if (busyRef.current) e.preventDefault();
        else onClose();
      }}
      // The browser closes a dialog on a second Escape whatever its cancel handler says: open it again.
      onClose={() => {
        if (busyRef.current && ref.current?.isConnected && !ref.current.open) ref.current.showModal();
      }}
      onKeyDown={trapTab}
    >
      <h2 id="confirm-title">{title}</h2>
      <div className="dialog-body">
        {children}
        {blocker && (
          <p id={blockerId} data-testid="confirm-blocker">
            {blocker}
          </p>
        )}
      </div>
      {error !== null && <ErrorLine error={error} testId="confirm-error" />}
      <div className="row dialog-buttons">
        <span className="spacer" />
        <button
          type="button"
          aria-disabled={busy}
          onClick={() => {
            if (!busyRef.current) onClose();
          }}
          autoFocus
        >
          {keepLabel}
        </button>
        <button
          type="button"
          className="danger"
          // aria-disabled rather than disabled: a disabled button drops focus to <body>.
          aria-disabled={blocked}
          aria-describedby={blocker ? blockerId : undefined}
          data-testid="confirm"
          onClick={() => {
            if (blocked) return;
            busyRef.current = true;
            setBusy(true);
            setError(null);
            onConfirm().then(
              () => {
                done.current = true;
                onClose();
              },
              (e: unknown) => {
                setError(e);
                busyRef.current = false;
                setBusy(false);
              },
            );
          }}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
