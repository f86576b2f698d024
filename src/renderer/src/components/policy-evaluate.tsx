/**
 * Evaluating a stored policy on an experiment's environment: Monte-Carlo (mean return with its
 * 95 % CI and the environment's metrics) and, on a tabular MDP, exactly — expected return beside
 * the optimum and the uniformly random policy, the gap to the optimum first (see greedy-gap.tsx),
 * then the normalised score between them. Warns when the environment is not the one the policy was
 * trained on.
 */
import { Fragment, useEffect, useId, useRef, useState } from 'react';
import type { ExperimentSummary, PolicyEvaluationResult, PolicySummary } from '../../../shared/dto';
import type { EventName } from '../../../shared/contract';
import { errorText, useClient } from '../api';
import { useFollowedRead } from '../followed-read';
import { useRunRead } from '../stored-runs';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { fmt, when, wholeNumber } from '../format';
import { MIN_ROLLOUT_EPISODES } from '../../../engine/evaluate';
import { MAX_SEED } from '../../../engine/experiment';
import { gammaSourceText, middleCut, PICKER_NAME, scoreText } from '../../../shared/text';
import { closeness } from '../../../shared/gap-text';
import { EVALUATION_DIGITS, evaluationFigures, meanAndInterval } from '../../../shared/figures';
import { GreedyGap, SCORE_CAPTION } from './greedy-gap';
import { pickedPolicyName } from './ope-targets';
import { WholeNumberField } from './whole-number-field';

/**
 * The pushes after which the environments offered, and which of them fit the policy, may have
 * changed: an experiment launched (here, in another window or with `aisle`), renamed, deleted or imported.
 */
export const ENVIRONMENT_CHANGES = ['experiments.changed'] as const satisfies readonly EventName[];

/**
 * What the environments offered are read with: every experiment's number, name, environment and
 * date, all the picker shows (experiments.list's summaries were 3.9 MB at 6,400 experiments, read
 * again at every experiment launched).
 */
export const ENVIRONMENTS_READ = 'experiments.names';

/** What the fits read (policies.fits, for the policy chosen) has shown: the answer, whether it is this policy's, its failure. */
export interface FitsRead {
  readonly data?: {
    readonly own: string | null;
    readonly experiments: readonly { readonly experimentId: number; readonly problem: string | null }[];
  };
  readonly current: boolean;
  readonly error?: Error;
}

/** Whether the policy chosen can run on an experiment's environment, as the picker marks it. */
export type EnvironmentFit = { readonly kind: 'fits' } | { readonly kind: 'misfit'; readonly reason: string } | { readonly kind: 'checking' };

/**
 * An experiment's fit by the fits read: 'checking' until an answer for this policy lists it (the
 * policy just chosen, or an experiment launched after the answer shown was asked: the experiments
 * read can answer first), so it is not offered, nor Evaluate pressed on it, only to be refused by
 * policies.evaluate. A failed read checks nothing: the experiment is offered, and Evaluate says
 * whatever the service answers.
 */
export function environmentFit(fits: FitsRead, experimentId: number): EnvironmentFit {
  if (fits.error) return { kind: 'fits' };
  const fit = fits.current ? fits.data?.experiments.find((f) => f.experimentId === experimentId) : undefined;
  if (fit === undefined) return { kind: 'checking' };
  return fit.problem === null ? { kind: 'fits' } : { kind: 'misfit', reason: fitReason(fit.problem) };
}

/**
 * Whether Evaluate can take the environment the policy was trained on ('own'), as the fits say
 * (policies.fits' `own`): a tabular MDP's policy without a run here (imported, or its run deleted)
 * names its MDP by hash only, and Evaluate was refused after it was pressed when no run or
 * experiment here is on it. Such a policy's is 'checking' until the fits answer for it; any other's
 * is found meanwhile (its run's, or its file's settings). A failed read checks nothing, as environmentFit.
 */
export function ownEnvironmentFit(policy: Pick<PolicySummary, 'envId' | 'runId'>, fits: FitsRead): EnvironmentFit {
  if (fits.error) return { kind: 'fits' };
  if (fits.current && fits.data) return fits.data.own === null ? { kind: 'fits' } : { kind: 'misfit', reason: fits.data.own };
  return policy.envId === 'tabular-mdp' && !policy.runId ? { kind: 'checking' } : { kind: 'fits' };
}

/**
 * The environment Evaluate first offers for a policy: the experiment it was trained in (`trainedIn`,
 * its run's, when listed), else the one it was trained on ('own': its run's, or its file's settings),
 * except for a tabular MDP's policy without a run here (imported, or its run deleted), whose file
 * names its MDP by hash only: once the fits have answered for it ('wait' until then), the one it was
 * trained on where an experiment here holds its MDP, else an experiment of that environment the
 * policy fits (it took the newest of that environment whatever it was, and a later cliff-walking
 * experiment opened a 5 × 34 policy's panel on a disabled option marked "cannot run this policy",
 * though older experiments held the policy's MDP). Null: none to offer.
 */
export function defaultEnvironment(
  policy: Pick<PolicySummary, 'envId' | 'runId'>,
  experiments: readonly { readonly id: number; readonly envId: string }[],
  trainedIn: number | undefined,
  fits: FitsRead,
): number | 'own' | 'wait' | null {
  const match = experiments.find((e) => e.id === trainedIn);
  if (match) return match.id;
  // Without its experiment here, the environment the policy file describes (an experiment of the
  // same environment id may have other parameters); a tabular-mdp file names its MDP only by hash.
  if (policy.envId !== 'tabular-mdp' || policy.runId) return 'own';
  const same = experiments.filter((e) => e.envId === policy.envId);
  if (same.length === 0) return null;
  if (!fits.error && !(fits.current && fits.data)) return 'wait';
  if (!fits.error && fits.data?.own === null) return 'own';
  return same.find((e) => environmentFit(fits, e.id).kind === 'fits')?.id ?? null;
}

/**
 * The option of the environment the policy was trained on: its run's; without its run here, for a
 * tabular MDP's policy (its file names the MDP by hash only) any experiment here on that MDP, its
 * own or another (policies.evaluate looks there), else its run or experiment here, or its file.
 */
export function ownEnvironmentLabel(policy: Pick<PolicySummary, 'envId' | 'runId'>): string {
  if (policy.runId) return `the one it was trained on (run ${policy.runId})`;
  return policy.envId === 'tabular-mdp' ? 'the one it was trained on (its MDP, from an experiment here)' : 'the one it was trained on (its run here, or its file)';
}

/**
 * An experiment as the Environment picker offers it, its name cut as the policy's beside it is
 * (pickedPolicyName, PICKER_NAME): a name of 200 characters, which an experiment takes, made the
 * picker wider than the window.
 */
export function experimentOptionLabel(e: Pick<ExperimentSummary, 'id' | 'name' | 'envId' | 'createdAt'>): string {
  return `#${e.id} ${middleCut(e.name, PICKER_NAME)} (${e.envId}, ${when(e.createdAt)})`;
}

export interface PolicyEvaluateProps {
  readonly policies: readonly PolicySummary[];
  readonly policyId: number | undefined;
  readonly onPolicy: (id: number) => void;
}

export function PolicyEvaluate({ policies, policyId, onPolicy }: PolicyEvaluateProps) {
  const client = useClient();
  // An experiment launched, imported or deleted (here or elsewhere) joins or leaves the environments
  // offered: read again at each push, one read at a time (a sweep's launch pushes one per
  // experiment), never showing an answer asked before a push (useFollowedRead). The one chosen stays.
  const experiments = useFollowedRead(ENVIRONMENTS_READ, {}, ENVIRONMENT_CHANGES);
  const policy = policies.find((p) => p.id === policyId);
  // Asked onlyStored: a policy picked between its run's deletion and the list's refresh (whose row
  // then says 'run deleted') read its run, and the read answered 404, a failed resource in the
  // browser mode's console; it now answers that the run is gone (no experiment to default to).
  const trainedOn = useRunRead('runs.get', policy?.runId ? { id: policy.runId } : null);
  // The environments the policy cannot run on (another number of actions, states or features), by
  // the check policies.evaluate makes: marked in the picker rather than refused after Evaluate.
  const fits = useFollowedRead('policies.fits', policy ? { policyId: policy.id } : null, ENVIRONMENT_CHANGES);
  // A stored experiment's id, or 'own': the environment the policy was trained on (its run's, or
  // the one its file describes when it has no run here).
  const [experimentId, setExperimentId] = useState<number | 'own'>();
  const [episodes, setEpisodes] = useState('1000');
  const [seed, setSeed] = useState('0');
  // The policy and environment chosen: an evaluation answers for the choice it was asked for, and
  // its answer is dropped when the choice has changed meanwhile (it showed under the other policy).
  const choice = `${policyId}|${experimentId}`;
  const chosen = useRef(choice);
  chosen.current = choice;
  const [pending, setPending] = useState<string>();
  const busy = pending === choice;
  const [result, setResult] = useState<PolicyEvaluationResult>();
  const [error, setError] = useState<string>();

  // Default environment, once per policy (defaultEnvironment). Waits for the training run's answer,
  // and where it must for the fits', so a later reply never overrides the user.
  const defaulted = useRef<number | null>(null);
  useEffect(() => {
    if (!policy || !experiments.data || defaulted.current === policy.id) return;
    if (policy.runId && trainedOn.loading && trainedOn.data?.id !== policy.runId) return;
    const own = trainedOn.data?.id === policy.runId ? trainedOn.data?.experimentId : undefined;
    const choice = defaultEnvironment(policy, experiments.data, own, fits);
    if (choice === 'wait') return;
    defaulted.current = policy.id;
    if (choice !== null) setExperimentId(choice);
  }, [policy, experiments.data, trainedOn.data, trainedOn.loading, fits]);

  useEffect(() => {
    setResult(undefined);
    setError(undefined);
  }, [policyId, experimentId]);

  // Without a policy there is no environment it was trained on: the choice goes with the policy, and
  // the next policy gets its own default.
  useEffect(() => {
    if (policy) return;
    setExperimentId(undefined);
    defaulted.current = null;
  }, [policy]);

  const episodesValue = wholeNumber(episodes, MIN_ROLLOUT_EPISODES, 1_000_000);
  // `aisle eval --seed`'s range: the generator keeps a seed's low 32 bits, so 4,294,967,296 would play seed 0's episodes.
  const seedValue = wholeNumber(seed, 0, MAX_SEED);
  // The environment it was trained on, where the service may not find it (an MDP named by hash only).
  const ownFit: EnvironmentFit = policy ? ownEnvironmentFit(policy, fits) : { kind: 'fits' };
  const ownMissing = ownFit.kind === 'misfit' ? ownFit.reason : undefined;
  const fit: EnvironmentFit = typeof experimentId === 'number' ? environmentFit(fits, experimentId) : experimentId === 'own' ? ownFit : { kind: 'fits' };
  const misfit = fit.kind === 'misfit' ? fit.reason : undefined;
  const misfitId = useId();
  const ready = policy && experimentId !== undefined && fit.kind === 'fits' && episodesValue !== null && seedValue !== null && !busy;

  // Disabled while it evaluates, Evaluate loses focus to <body>: it takes it back once the answer is shown.
  const runButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const evaluate = async () => {
    if (!ready) return;
    const asked = choice;
    setPending(asked);
    setError(undefined);
    try {
      const target = experimentId === 'own' ? {} : { experimentId };
      const answer = await client.call('policies.evaluate', { policyId: policy.id, ...target, episodes: episodesValue, seed: seedValue });
      if (chosen.current === asked) setResult(answer);
    } catch (e) {
      if (chosen.current !== asked) return;
      setResult(undefined);
      setError(errorText(e));
    } finally {
      setPending((p) => (p === asked ? undefined : p));
      focusAfterRender(() => (focusIsLost() ? runButton.current : null));
    }
  };

  return (
    <div data-testid="policy-evaluate">
      <form
        className="row controls"
        onSubmit={(e) => {
          e.preventDefault();
          void evaluate();
        }}
      >
        <label>
          Policy{' '}
          <select value={policyId ?? ''} onChange={(e) => e.target.value && onPolicy(Number(e.target.value))} data-testid="eval-policy">
            {/* Offered only until a policy is picked: going back to none would leave the environment chosen for it. */}
            {!policy && <option value="">pick a policy…</option>}
            {policies.map((p) => (
              <option key={p.id} value={p.id} title={p.name ?? undefined}>
                #{p.id} {pickedPolicyName(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Environment of{' '}
          <select
            value={policy ? (experimentId ?? '') : ''}
            disabled={!policy}
            onChange={(e) => setExperimentId(e.target.value === 'own' ? 'own' : e.target.value ? Number(e.target.value) : undefined)}
            aria-invalid={misfit !== undefined || undefined}
            aria-describedby={misfit !== undefined ? misfitId : undefined}
            data-testid="eval-experiment"
          >
            <option value="">pick an experiment…</option>
            {policy && (
              // Unavailable (its MDP nowhere here) is said on the option, as an experiment's misfit is, rather than refused after Evaluate.
              <option value="own" disabled={ownFit.kind !== 'fits' && experimentId !== 'own'} title={ownMissing}>
                {ownEnvironmentLabel(policy)}
                {ownMissing !== undefined && ` — unavailable: ${ownMissing}`}
                {ownFit.kind === 'checking' && ' — checking…'}
              </option>
            )}
            {(experiments.data ?? []).map((e) => {
              const marked = policy ? environmentFit(fits, e.id) : { kind: 'fits' as const };
              const reason = marked.kind === 'misfit' ? marked.reason : undefined;
              return (
                <option key={e.id} value={e.id} disabled={marked.kind !== 'fits' && e.id !== experimentId} title={reason ?? e.name}>
                  {experimentOptionLabel(e)}
                  {reason !== undefined && ` — cannot run this policy: ${reason}`}
                  {marked.kind === 'checking' && ' — checking…'}
                </option>
              );
            })}
          </select>
        </label>
        <WholeNumberField
          label="Episodes"
          min={MIN_ROLLOUT_EPISODES}
          max={1_000_000}
          value={episodes}
          onChange={setEpisodes}
          problem={`Episodes: a whole number from ${MIN_ROLLOUT_EPISODES} to 1,000,000 (an interval needs at least two).`}
          style={{ width: 100 }}
          testId="eval-episodes"
        />
        <WholeNumberField label="Seed" min={0} max={MAX_SEED} value={seed} onChange={setSeed} style={{ width: 80 }} testId="eval-seed" />
        <button ref={runButton} type="submit" className="primary" disabled={!ready} data-testid="eval-run">
          {busy ? 'Evaluating…' : 'Evaluate'}
        </button>
      </form>
      {policy && fit.kind === 'checking' && (
        <p className="muted" data-testid="eval-checking">
          {experimentId === 'own' ? 'Checking whether this database holds the MDP the policy was trained on…' : 'Checking whether the policy fits this experiment’s environment…'}
        </p>
      )}
      {/* The chosen experiment's misfit (another policy picked, none fitting it to go to): the select's problem, said as it appears from a
          live region there before it (one that comes with its text is not reliably read), as the form's fields say theirs. */}
      <div aria-live="polite">
        {misfit !== undefined && experimentId !== 'own' && (
          <p id={misfitId} className="field-error" data-testid="eval-misfit">
            This experiment’s environment cannot run this policy: {misfit}. Choose the one it was trained on, or another that fits.
          </p>
        )}
        {/* The one it was trained on cannot be found: the select's problem when it is chosen (kept from
            another policy), else why nothing is (no experiment here fits either). */}
        {ownMissing !== undefined && (experimentId === 'own' || experimentId === undefined) && (
          <p id={experimentId === 'own' ? misfitId : undefined} className={experimentId === 'own' ? 'field-error' : 'muted'} data-testid="eval-own-unavailable">
            The environment it was trained on is unavailable: {ownMissing}.
          </p>
        )}
      </div>
      {experiments.error && <p className="error">{errorText(experiments.error)}</p>}
      {experiments.data?.length === 0 && <p className="muted">No experiments yet: a policy is evaluated on an experiment’s environment.</p>}
      {error && (
        <p className="error" role="alert" data-testid="eval-error">
          {error}
        </p>
      )}
      {result && <EvaluationResult result={result} />}
    </div>
  );
}

/** A refusal as an option's text says it: without its field ("policy: ", "env: ") or the advice every one ends with. */
function fitReason(problem: string): string {
  return problem.replace(/^(policy|env): /, '').replace(/: evaluate it on the environment it was trained on$/, '');
}

/** The episodes' returns discounted by the exact value's γ: the mean that can be set beside its expected return. */
function DiscountedReturn({ discounted }: { discounted: NonNullable<PolicyEvaluationResult['monteCarlo']['discounted']> }) {
  const [mean, lo, hi] = meanAndInterval(discounted.meanReturn, discounted.ci95[0], discounted.ci95[1], EVALUATION_DIGITS);
  return (
    <>
      <dt title="Each episode's Σ γ^t r_t, with the exact value's γ: comparable with its expected return">Mean return (discounted, γ {fmt(discounted.gamma)})</dt>
      <dd data-testid="eval-mc-discounted" data-value={discounted.meanReturn}>
        {mean} <span className="muted">[{lo}, {hi}]</span>
      </dd>
    </>
  );
}

/**
 * Why an evaluation has no exact figures: only a tabular-mdp environment is solved exactly here.
 * ("Not a tabular MDP" misled beside a shop, which in exact mode is one, written out by `aisle shop export-mdp`.)
 */
export function noExactText(env: string): string {
  return `No exact evaluation: only a tabular-mdp environment is solved exactly here, and this one is ${env}.`;
}

export function EvaluationResult({ result }: { result: PolicyEvaluationResult }) {
  const mc = result.monteCarlo;
  // With `aisle eval`'s decimals, the metrics as one column (evaluationFigures).
  const [meanText, loText, hiText] = meanAndInterval(mc.meanReturn, mc.ci95[0], mc.ci95[1], EVALUATION_DIGITS);
  const figures = evaluationFigures(mc);
  const exact = result.exact;
  return (
    <div className="eval-result" data-testid="eval-result">
      {result.warnings.map((w) => (
        <p key={w} className="warning" role="alert" data-testid="eval-warning">
          {!result.fingerprintMatches && <strong>Different environment: </strong>}
          {w}
        </p>
      ))}
      <div className="grid2">
        <div>
          <h3>Monte-Carlo · {result.env}</h3>
          {result.environment !== undefined && (
            <p className="muted small" data-testid="eval-environment">
              On {result.environment}
            </p>
          )}
          <dl className="kv">
            <dt title="The sum of an episode's rewards, not discounted (the exact value uses γ)">Mean return (undiscounted)</dt>
            <dd data-testid="eval-mc-return" data-value={mc.meanReturn}>
              <strong>{meanText}</strong>
            </dd>
            <dt>95 % CI</dt>
            <dd data-testid="eval-mc-ci" data-lo={mc.ci95[0]} data-hi={mc.ci95[1]}>
              [{loText}, {hiText}]
            </dd>
            {mc.discounted && <DiscountedReturn discounted={mc.discounted} />}
            <dt>Std of return</dt>
            <dd>{fmt(mc.stdReturn)}</dd>
            <dt>Mean length</dt>
            <dd>{figures.meanLength}</dd>
            <dt>Episodes · seed</dt>
            <dd>
              {mc.episodes.toLocaleString('en-US')} · {mc.seed}
            </dd>
            {figures.metrics.map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </Fragment>
            ))}
          </dl>
        </div>
        {exact ? (
          <div data-testid="eval-exact">
            <h3>
              Exact · γ {fmt(exact.gamma)} ({gammaSourceText(exact.gammaFrom)}), horizon {exact.horizon.toLocaleString('en-US')}
            </h3>
            <GreedyGap returns={exact} digits={4} score={exact.normalizedScore} testId="eval-gap-verdict" />
            <dl className="kv">
              <dt>Optimality gap</dt>
              <dd data-testid="eval-gap" data-value={exact.optimalityGap}>
                <strong>{fmt(exact.optimalityGap, 4)}</strong>
              </dd>
              <dt>Expected return</dt>
              <dd data-testid="eval-exact-return" data-value={exact.expectedReturn}>
                {fmt(exact.expectedReturn, 4)}
              </dd>
              <dt>Optimal return</dt>
              <dd data-testid="eval-optimal-return" data-value={exact.optimalReturn}>
                {fmt(exact.optimalReturn, 4)}
              </dd>
              <dt>Random policy</dt>
              <dd>{fmt(exact.randomReturn, 4)}</dd>
              <dt>Normalised score</dt>
              <dd data-testid="eval-score" data-value={exact.normalizedScore ?? ''}>
                {exact.normalizedScore === null ? 'n/a (optimal ≈ random)' : scoreText(exact.normalizedScore, 4)}
              </dd>
            </dl>
            {exact.normalizedScore !== null && (
              <div className={`score-bar ${closeness(exact)}`} aria-hidden="true" title="normalised score: random → optimal">
                <span className="score-bar-fill" style={{ width: `${Math.max(0, Math.min(1, exact.normalizedScore)) * 100}%` }} />
              </div>
            )}
            <p className="muted small" data-testid="eval-score-caption">
              {SCORE_CAPTION}
            </p>
          </div>
        ) : (
          <p className="muted" data-testid="eval-no-exact">
            {noExactText(result.env)}
          </p>
        )}
      </div>
    </div>
  );
}
