/**
 * A button's work and the notice that says how it went, as Policies' Export and Save the runtime
 * have it: busy while it works, the last notice cleared, then the work's sentence or the error's
 * text. One hook, so the two say their outcome and hand focus on alike.
 */
import { useRef, useState, type RefObject } from 'react';
import { errorText } from '../api';
import { useFocusAfterRender } from '../focus';

export interface Notice {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

export function useActionNotice(): {
  busy: boolean;
  notice: Notice | null;
  noticeRef: RefObject<HTMLParagraphElement | null>;
  /** Runs `work`, whose answer is the notice's text; what it throws is said as an error. */
  run: (work: () => Promise<string>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  // The button is disabled while it works, which drops focus to <body>: the notice that tells how
  // it went takes it (a keyboard user hears the outcome and carries on from there).
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice({ kind: 'ok', text: await work() });
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
      focusAfterRender(() => noticeRef.current);
    }
  };
  return { busy, notice, noticeRef, run };
}

/** The notice, focusable for the hand-over: a status when it went well, an alert when it did not. */
export function ActionNotice({ notice, noticeRef, testId }: { notice: Notice | null; noticeRef: RefObject<HTMLParagraphElement | null>; testId: string }) {
  if (!notice) return null;
  return (
    <p ref={noticeRef} tabIndex={-1} className={notice.kind === 'ok' ? 'notice' : 'error'} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {notice.text}
    </p>
  );
}
