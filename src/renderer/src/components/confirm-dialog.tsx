/**
 * A modal confirmation (the native <dialog>: focus is trapped and Escape cancels) for actions that
 * cannot be undone. The action's own error is shown inside it, where the user is looking.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ErrorLine } from './error-line';

export interface ConfirmProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  /** Resolves when done (the dialog closes); a rejection is shown in the dialog. */
  readonly onConfirm: () => Promise<unknown>;
  readonly onClose: () => void;
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The control that opened the dialog (focused when it first renders), to give focus back to when
  // it closes: the dialog leaves the page before it closes, so the browser's own return is lost.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-title" data-testid="confirm-dialog" onCancel={onClose}>
      <h2 id="confirm-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      {error !== null && <ErrorLine error={error} testId="confirm-error" />}
      <div className="row dialog-buttons">
        <span className="spacer" />
        <button type="button" onClick={onClose} autoFocus>
          Keep
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          data-testid="confirm"
          onClick={() => {
            setBusy(true);
            setError(null);
            onConfirm().then(onClose, (e: unknown) => {
              setError(e);
              setBusy(false);
            });
          }}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
