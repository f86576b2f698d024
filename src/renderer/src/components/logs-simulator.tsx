/**
 * Train on your logs: the off-policy screen's panel that fits a simulator to the logs as chosen
 * (logs.simulator, what `aisle logs mdp` writes) and hands it on — saved as an aisle.mdp/v1 file,
 * or as a New experiment on it (a tabular-mdp environment holding the MDP inline, one decision per
 * episode), whose learned policy, exported and stored, comes back here as a target evaluated on
 * the rows the fit held out.
 */
import { useId, useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import { holdoutText } from '../../../engine/ope/data';
import { listedName } from '../../../engine/params';
import { mixedColumnsText } from '../../../engine/ope/logging-columns';
import type { LogsSimulator } from '../../../shared/dto';
import { errorText, useClient } from '../api';
import { NO_PROPENSITY_CHECK, type SimulatorSource } from '../../../engine/ope/simulator';
import { APP_DOMINANT_FIX, dominantRowsText } from '../../../engine/ope/dominant-rows';
import { simulatorDraft } from '../form/simulator-draft';
import { handOverDraft } from '../form/kept-draft';
import { useFocusAfterRender } from '../focus';
import { useKeptState } from '../kept-state';
import { fmt } from '../format';
import { href, navigate } from '../router';
import { BlockableButton } from './blockable-button';
import { saveText } from './policy-files';
import { StatusLine } from './status-line';

/** Where the New experiment screen keeps (and finds) a draft built here: `#/experiments/new?draft=logs`. */
export const LOGS_DRAFT_KEY = 'aisle.draft.logs';

/** The rows as chosen on the Off-policy screen (a logs.simulator request but the file's text), which the experiment records. */
export type SimulatorRows = Omit<CommandInput<'logs.simulator'>, 'text'> & Pick<SimulatorSource, 'where' | 'prior'>;

interface Fitted {
  readonly key: string;
  readonly simulator: LogsSimulator;
  /** The logs it was fitted on, for the experiment's description. */
  readonly source: SimulatorSource;
  readonly fileName: string;
}

/** Why a simulator fitted to other choices than the screen's is not trained on: said above it, and describes its New experiment button. */
const STALE = 'The choices above changed since this simulator was fitted: fit it again to use them.';

/** "logs.csv" → "logs.mdp.json". */
function mdpFileName(logsFile: string): string {
  return `${logsFile.replace(/\.[^./\\]*$/, '') || 'logs'}.mdp.json`;
}

/**
 * Beside a fit whose cells' means one row each drives (dominant-rows.ts), what `aisle logs mdp`
 * warns: the rows by the file's name and line, their share, and what to do; nothing otherwise.
 */
export function DominantRowsNotice({ simulator, fileName }: { simulator: Pick<LogsSimulator, 'dominant' | 'columns'>; fileName: string }) {
  const text = dominantRowsText(simulator.dominant, fileName, simulator.columns, APP_DOMINANT_FIX);
  if (text === undefined) return null;
  return (
    <p className="notice" data-testid="simulator-dominant">
      {text.charAt(0).toUpperCase() + text.slice(1)}
    </p>
  );
}

/** The logs' columns a fit names, listed as messages list a file's names (an ESC, U+202E or thousands of characters quoted, escaped, cut). */
function named(columns: LogsSimulator['columns']) {
  return { action: listedName(columns.action), reward: listedName(columns.reward), context: columns.context === null ? null : listedName(columns.context) };
}

/** What a fit made: its states and actions, the rows it was fitted on, what a step pays. */
export function SimulatorSummary({ sim }: { sim: LogsSimulator }) {
  const columns = named(sim.columns);
  return (
    <p data-testid="simulator-summary">
      {columns.context === null ? 'One state (no context column)' : `${sim.contexts.toLocaleString('en-US')} contexts (${columns.context})`},{' '}
      {sim.actions.toLocaleString('en-US')} actions ({columns.action}), fitted on {sim.rowsFitted.toLocaleString('en-US')} of the{' '}
      {sim.rowsKept.toLocaleString('en-US')} rows kept{holdoutText(sim) !== undefined ? ` (${holdoutText(sim)!} held out)` : ''}.{' '}
      {sim.rewards === 'bernoulli' ? `A step pays ${columns.reward} 1 with the model’s probability, else 0.` : `A step pays the model’s mean ${columns.reward}.`}{' '}
      {`Its MDP: ${sim.states.toLocaleString('en-US')} states (one per context, and ${sim.rewards === 'bernoulli' ? 'two end states, for a reward of 1 and of 0' : 'an end state'}) × ${sim.actions.toLocaleString('en-US')} actions.`}
    </p>
  );
}

/** The logging policy's mean reward on the rows fitted beside the best policy's in the simulator. */
export function SimulatorValues({ sim }: { sim: LogsSimulator }) {
  return (
    <p data-testid="simulator-values">
      The logging policy’s mean {named(sim.columns).reward} on these rows: <strong>{fmt(sim.logged, 4)}</strong>; the best policy in the simulator:{' '}
      <strong>{fmt(sim.best, 4)}</strong> per decision.
      {holdoutText(sim) === undefined && sim.columns.propensity !== null && ' Hold out rows above to have some to check a learned policy on.'}
    </p>
  );
}

/**
 * `load` tells one pick of a file from the next (the same file picked again after an edit is
 * another): a simulator fitted to an earlier pick is stale.
 */
export function LogsSimulatorPanel({ request, blocker, text, fileName, load }: { request: SimulatorRows | null; blocker: string | null; text: string; fileName: string; load: number }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [fitted, setFitted] = useKeptState<Fitted | undefined>('off-policy.simulator', undefined);
  const [problems, setProblems] = useState<{ key: string; lines: readonly string[] }>();
  const [saved, setSaved] = useState<string>();
  const resultRef = useRef<HTMLDivElement>(null);
  const ownProblems = useRef<HTMLDivElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const staleId = useId();
  const key = request ? JSON.stringify([load, request]) : null;

  const fit = async () => {
    if (!request || !key) return;
    setBusy(true);
    setSaved(undefined);
    setProblems(undefined);
    try {
      const reply = await client.call('logs.simulator', { ...request, text });
      if (reply.ok) {
        const { ok: _ok, ...simulator } = reply;
        setFitted({ key, simulator, source: { fileName: request.fileName, where: request.where, prior: request.prior }, fileName: mdpFileName(fileName) });
        focusAfterRender(() => resultRef.current);
      } else {
        setFitted(undefined);
        setProblems({ key, lines: reply.problems });
        focusAfterRender(() => ownProblems.current);
      }
    } catch (e) {
      setFitted(undefined);
      setProblems({ key, lines: [errorText(e)] });
      focusAfterRender(() => ownProblems.current);
    } finally {
      setBusy(false);
    }
  };

  const save = async (s: Fitted) => {
    try {
      const r = await saveText(client, { title: 'Save the simulator (aisle.mdp/v1)', defaultName: s.fileName, text: `${JSON.stringify(s.simulator.mdp)}\n` });
      if (r.saved) setSaved(`Saved to ${r.where}.`);
    } catch (e) {
      setSaved(`Not saved: ${errorText(e)}`);
    }
  };

  const newExperiment = async (s: Fitted) => {
    try {
      handOverDraft(LOGS_DRAFT_KEY, await simulatorDraft(client, s.simulator, s.source));
      navigate(href('experiments', 'new', { draft: 'logs' }));
    } catch (e) {
      setSaved(`The experiment could not be prepared: ${errorText(e)}`);
    }
  };

  const shown = fitted;
  const stale = shown !== undefined && shown.key !== key;
  const sim = shown?.simulator;
  return (
    <section className="panel" aria-labelledby="ope-simulator-title" data-testid="logs-simulator">
      <h2 id="ope-simulator-title">Train on these logs</h2>
      <p className="muted description">
        A simulator fitted to the rows chosen above: a state per context, entered as often as the logs show it, and per action the reward the model above
        gives it there (clicks stay clicks: a step clicks with that probability). Train any agent on it in a new experiment, export its policy, and
        evaluate that policy here on the rows the fit held out: a simulator believes its own noise, and only rows it did not see can say how much. The
        fit needs no propensity column: a shop’s purchase records fit too.
      </p>
      <div className="row">
        <BlockableButton disabled={busy} blocker={blocker} blockerTestId="simulator-blocker" onClick={() => void fit()} data-testid="fit-simulator">
          {busy ? 'Fitting…' : 'Fit a simulator'}
        </BlockableButton>
      </div>
      {problems && problems.key === key && problems.lines.length > 0 && (
        <div ref={ownProblems} tabIndex={-1} className="error" role="alert" data-testid="simulator-problems">
          {problems.lines.join('\n')}
        </div>
      )}
      {sim && shown && (
        <div ref={resultRef} tabIndex={-1} data-testid="simulator-result">
          {stale && (
            <p id={staleId} className="notice" data-testid="simulator-stale">
              {STALE}
            </p>
          )}
          <SimulatorSummary sim={sim} />
          {sim.mixed.length > 0 && (
            // As `aisle logs mdp` warns: a simulator of several experiments at once, whose best policy is no experiment's.
            <p className="notice" data-testid="simulator-mixed">
              {mixedColumnsText(sim.mixed, 'above and fit again')}
            </p>
          )}
          <DominantRowsNotice simulator={sim} fileName={shown.source.fileName} />
          <SimulatorValues sim={sim} />
          {sim.columns.propensity === null && (
            <p className="notice" data-testid="simulator-no-propensity">
              {NO_PROPENSITY_CHECK}
            </p>
          )}
          <div className="row">
            <BlockableButton blocker={stale ? STALE : null} blockerShownAt={staleId} onClick={() => void newExperiment(shown)} data-testid="simulator-experiment">
              New experiment on it
            </BlockableButton>
            <button type="button" onClick={() => void save(shown)} data-testid="simulator-save">
              {client.door === 'electron' ? 'Save…' : `Download ${shown.fileName}`}
            </button>
            <StatusLine inline text={saved} className="muted small" testId="simulator-saved" />
          </div>
        </div>
      )}
    </section>
  );
}
