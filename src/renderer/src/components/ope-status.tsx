/**
 * The Off-policy screen's word on its evaluation: the progress of one under way and its Cancel,
 * "Evaluation cancelled.", its problems, and the panel that shows them without the form when the
 * page was loaded again mid-evaluation (its file not picked anew).
 */
import type { Ref, RefObject } from 'react';
import type { RunningEvaluation } from '../ope-evaluation';
import { OpeProgress } from './ope-progress';
import { StatusLine } from './status-line';

/** What the status needs of what the evaluation was asked with. */
export type StatusEvaluation = RunningEvaluation<{ readonly fileName: string; readonly withTruth: readonly boolean[] }>;

export function OpeCancelButton({ onCancel, buttonRef }: { onCancel: () => void; buttonRef?: Ref<HTMLButtonElement> }) {
  return (
    <button ref={buttonRef} type="button" onClick={onCancel} data-testid="ope-cancel">
      Cancel
    </button>
  );
}

/** The progress of the evaluation under way (`running`), or that the last was cancelled (`cancelled`). */
export function OpeEvaluationStatus({ running, seconds, cancelled }: { running: StatusEvaluation | null; seconds: number; cancelled: boolean }) {
  return (
    <>
      {running && <OpeProgress progress={running.progress} seconds={seconds} withTruth={running.asked.withTruth} />}
      <StatusLine text={cancelled ? 'Evaluation cancelled.' : null} className="muted" testId="ope-cancelled" />
    </>
  );
}

/** The file's or an evaluation's problems; `problemsRef` takes focus to them when an evaluation ends in them. */
export function OpeProblems({ lines, problemsRef }: { lines: readonly string[]; problemsRef: RefObject<HTMLDivElement | null> }) {
  return (
    <div ref={problemsRef} tabIndex={-1} className="error" role="alert" data-testid="logs-problems">
      {lines.join('\n')}
    </div>
  );
}

/** "Evaluation asked before": the evaluation a page loaded again follows, or its outcome, while no form is shown. */
export function OpeEarlierPanel(props: {
  running: StatusEvaluation | null;
  seconds: number;
  cancelled: boolean;
  onCancel: () => void;
  problems: readonly string[] | null;
  problemsRef: RefObject<HTMLDivElement | null>;
  /** The heading, which takes focus when Cancel, pressed, leaves with the evaluation (focus fell to <body>). */
  headingRef?: RefObject<HTMLHeadingElement | null>;
}) {
  const { running, problems } = props;
  return (
    <section className="panel" aria-labelledby="ope-earlier-title" data-testid="ope-earlier">
      <h2 id="ope-earlier-title" ref={props.headingRef} tabIndex={-1}>
        Evaluation asked before
      </h2>
      {running && (
        <p className="muted">
          Of {running.asked.fileName}, asked before this page was loaded again: it goes on.
        </p>
      )}
      {running && (
        <div className="row">
          <OpeCancelButton onCancel={props.onCancel} />
        </div>
      )}
      <OpeEvaluationStatus running={running} seconds={props.seconds} cancelled={props.cancelled} />
      {problems && <OpeProblems lines={problems} problemsRef={props.problemsRef} />}
    </section>
  );
}
