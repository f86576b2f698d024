/**
 * The off-policy screen's target policies: uniform over the logged actions, the policy of other
 * rows of the logs (say another logging policy's), a stored context-free or tabular policy or a
 * network on discrete states, and always one action. Each is a checkbox with its choices beside it.
 */
import type { ReactNode } from 'react';
import { MAX_FILTER_VALUE, type CommandInput } from '../../../shared/contract';
import type { LogsInspection, PolicySummary } from '../../../shared/dto';
import { counted, middleCut, PICKER_NAME } from '../../../shared/text';
import { listedName } from '../../../engine/params';
import { typedText } from '../../../engine/sweep-values';

export interface Targets {
  uniform: boolean;
  logs: { on: boolean; column: string; value: string };
  policy: { on: boolean; policyId: string; positions: boolean };
  action: { on: boolean; action: string };
}

type Column = LogsInspection['columns'][number];

/** The stored-policy picker's text when no stored policy can be a target: says which ones can (off-policy.tsx's filter). */
export const NO_STORED_TARGET = 'none stored (context-free, tabular, or a network on discrete states)';

export const rowsOf = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

/**
 * "policy = uniform, campaign = men". The columns and values are the logs file's own: each is listed
 * as a message lists a file's names (listedName), as it is or, holding a control character or
 * longer than 60 characters, quoted escaped and cut (React escapes markup, not U+202E, which
 * reversed the rest of the sentence, nor a value of thousands of characters).
 */
export const whereText = (where: Readonly<Record<string, string>>) =>
  Object.entries(where)
    .map(([c, v]) => `${listedName(c)} = ${listedName(v)}`)
    .join(', ');

/** Whether a filter can take `value` (MAX_FILTER_VALUE): a longer one is listed, disabled (ValueOptions). */
const filterable = (value: string) => value.length <= MAX_FILTER_VALUE;

/**
 * The value a target's rows start at when their column is picked: the first one a filter takes
 * other than `except` (the rows evaluated on). Taken whole, a value past what a filter takes was
 * picked though its option is disabled, and Evaluate was refused with a 400.
 */
export function firstTargetValue(column: Pick<Column, 'values'> | undefined, except?: string): string {
  return column?.values?.find((v) => v.value !== except && filterable(v.value))?.value ?? '';
}

/** Targets as a new file first offers them: uniform, and the policy of other rows by the column most like a policy's. */
export function initialTargets(inspection: LogsInspection): Targets {
  const listed = inspection.columns.filter((c) => c.values !== null && c.values.length > 1);
  const column = listed.find((c) => /policy/i.test(c.name)) ?? listed[0];
  return {
    uniform: true,
    logs: { on: false, column: column?.name ?? '', value: firstTargetValue(column) },
    policy: { on: false, policyId: '', positions: false },
    action: { on: false, action: '' },
  };
}

/**
 * The targets as logs.evaluate takes them, or what the user has still to choose. A target's rows
 * keep the other pairs of the rows evaluated on (the same campaign, another policy).
 */
export function targetRequests(
  targets: Targets,
  where: Readonly<Record<string, string>>,
  policies: readonly PolicySummary[],
  misfits: ReadonlyMap<number, string> = new Map(),
  /** The actions of the rows the filters keep (loggedActions: never fewer than they show), or null when not known. */
  logged: readonly string[] | null = null,
): { list: CommandInput<'logs.evaluate'>['targets']; blocker: null } | { list: null; blocker: string } {
  const list: CommandInput<'logs.evaluate'>['targets'] = [];
  const missing = (blocker: string) => ({ list: null, blocker });
  if (targets.uniform) list.push({ kind: 'uniform' });
  if (targets.logs.on) {
    if (!targets.logs.column || !targets.logs.value) return missing('Choose the rows of the target policy.');
    if (!filterable(targets.logs.value)) return missing(`Choose other rows of the target policy: a filter takes a value of at most ${MAX_FILTER_VALUE.toLocaleString('en-US')} characters.`);
    list.push({ kind: 'logs', where: { ...where, [targets.logs.column]: targets.logs.value } });
  }
  if (targets.policy.on) {
    const policy = policies.find((p) => String(p.id) === targets.policy.policyId);
    if (!policy) return missing('Choose a stored policy.');
    const misfit = misfits.get(policy.id);
    if (misfit !== undefined) return missing(`The stored policy cannot be a target on these logs: ${misfit}.`);
    list.push({ kind: 'policy', policyId: policy.id, ...(targets.policy.positions && policy.kind === 'context-free' ? { positions: true } : {}) });
  }
  if (targets.action.on) {
    if (targets.action.action.trim() === '') return missing('Choose the action to always show.');
    // The action picker lists the file's actions; one the kept rows never show (a women's item under campaign = men) the evaluation refuses after reading the file.
    if (logged !== null && !logged.includes(targets.action.action.trim())) return missing(`The action ${listedName(targets.action.action.trim())} is never shown on the rows the filters keep: choose one they show, or another filter.`);
    list.push({ kind: 'action', action: targets.action.action.trim() });
  }
  if (list.length === 0) return missing('Choose at least one policy to evaluate.');
  return { list, blocker: null };
}

/**
 * A listed column's values as options, with their rows. A value longer than a filter takes
 * (MAX_FILTER_VALUE) is shown cut and cannot be chosen: chosen, Evaluate was refused with a 400 (a
 * console error) as "where.ctx: has more than 1,000 characters: shorten it", of a cell in the file.
 */
export function ValueOptions({ values }: { values: NonNullable<Column['values']> }) {
  return values.map((v) => {
    const tooLong = !filterable(v.value);
    return (
      <option key={v.value} value={v.value} disabled={tooLong}>
        {v.value === '' ? '(empty)' : typedText(v.value)} ({rowsOf(v.rows)}{tooLong ? `; ${v.value.length.toLocaleString('en-US')} characters, too long to filter on: at most ${MAX_FILTER_VALUE.toLocaleString('en-US')}` : ''})
      </option>
    );
  });
}

/** A checkbox with its label. */
function Check({ checked, disabled, onChange, testId, children }: { checked: boolean; disabled?: boolean; onChange: (checked: boolean) => void; testId: string; children: ReactNode }) {
  return (
    <label>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} data-testid={testId} /> {children}
    </label>
  );
}

export interface TargetPickersProps {
  readonly targets: Targets;
  readonly onChange: (change: (t: Targets) => Targets) => void;
  /** The columns whose values are listed (the rows of a target are picked by one of them). */
  readonly listed: readonly Column[];
  /** The rows evaluated on: a target's rows keep its other pairs. */
  readonly where: Readonly<Record<string, string>>;
  /**
   * Each listed column's values with the rows every other filter keeps (filteredValues): the rows a
   * target of that column's value is evaluated on, as its option says (the file's counts otherwise).
   */
  readonly counts?: ReadonlyMap<string, NonNullable<Column['values']>>;
  /** Stored policies a target can be (context-free, tabular, or a network on discrete states). */
  readonly policies: readonly PolicySummary[];
  /** Why a stored policy cannot be a target on these logs (policies.fitLogs: none of its actions is logged), by its id. */
  readonly misfits: ReadonlyMap<number, string>;
  /** The action column's values, or null when it has too many to list (the action is typed). */
  readonly actionValues: Column['values'];
}

export function TargetPickers({ targets, onChange: updateTargets, listed, where, counts, policies: usable, misfits, actionValues }: TargetPickersProps) {
  const chosenPolicy = usable.find((p) => String(p.id) === targets.policy.policyId);
  return (
    <fieldset className="ope-group ope-targets">
      <legend>Target policies</legend>
      <Check checked={targets.uniform} onChange={(on) => updateTargets((t) => ({ ...t, uniform: on }))} testId="target-uniform">
        Uniform over the logged actions
      </Check>
      <div className="row">
        <Check checked={targets.logs.on} disabled={listed.length === 0} onChange={(on) => updateTargets((t) => ({ ...t, logs: { ...t.logs, on } }))} testId="target-logs">
          The policy of the rows where
        </Check>
        <label>
          <span className="sr-only">Target rows’ column</span>
          <select
            value={targets.logs.column}
            onChange={(e) => {
              const column = e.target.value;
              const value = firstTargetValue(listed.find((c) => c.name === column), where[column]);
              updateTargets((t) => ({ ...t, logs: { on: true, column, value } }));
            }}
            data-testid="target-logs-column"
          >
            {listed.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        =
        <label>
          <span className="sr-only">Target rows’ value</span>
          <select
            value={targets.logs.value}
            onChange={(e) => updateTargets((t) => ({ ...t, logs: { ...t.logs, on: true, value: e.target.value } }))}
            data-testid="target-logs-value"
          >
            <ValueOptions values={counts?.get(targets.logs.column) ?? listed.find((c) => c.name === targets.logs.column)?.values ?? []} />
          </select>
        </label>
      </div>
      {targets.logs.on && targets.logs.column && Object.keys(where).some((c) => c !== targets.logs.column) && (
        <p className="muted small ope-indent" data-testid="target-logs-rows">
          Its rows keep the other choices above: {whereText({ ...where, [targets.logs.column]: targets.logs.value })}.
        </p>
      )}
      <div className="row">
        <Check checked={targets.policy.on} disabled={usable.length === 0} onChange={(on) => updateTargets((t) => ({ ...t, policy: { ...t.policy, on } }))} testId="target-policy">
          A stored policy
        </Check>
        <label>
          <span className="sr-only">Stored policy</span>
          <select
            value={targets.policy.policyId}
            disabled={usable.length === 0}
            onChange={(e) => updateTargets((t) => ({ ...t, policy: { ...t.policy, on: e.target.value !== '', policyId: e.target.value } }))}
            data-testid="target-policy-id"
          >
            <option value="">{usable.length === 0 ? NO_STORED_TARGET : 'choose…'}</option>
            {usable.map((p) => {
              const reason = misfits.get(p.id);
              // The chosen one stays choosable, so the select still shows it (the blocker says why it cannot run).
              return (
                <option key={p.id} value={p.id} disabled={reason !== undefined && String(p.id) !== targets.policy.policyId} title={reason ?? p.name ?? undefined}>
                  {storedPolicyLabel(p)}
                  {reason !== undefined && ' — cannot run on these logs: none of its actions is logged'}
                </option>
              );
            })}
          </select>
        </label>
        <Check
          checked={targets.policy.positions}
          disabled={chosenPolicy?.kind !== 'context-free'}
          onChange={(positions) => updateTargets((t) => ({ ...t, policy: { ...t.policy, positions } }))}
          testId="target-policy-positions"
        >
          k-th best at position k
        </Check>
      </div>
      <div className="row">
        <Check checked={targets.action.on} onChange={(on) => updateTargets((t) => ({ ...t, action: { ...t.action, on } }))} testId="target-action">
          Always one action
        </Check>
        <label>
          <span className="sr-only">The action</span>
          {actionValues ? (
            <select
              value={targets.action.action}
              onChange={(e) => updateTargets((t) => ({ ...t, action: { on: e.target.value !== '', action: e.target.value } }))}
              data-testid="target-action-value"
            >
              <option value="">choose…</option>
              {actionValues.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.value}
                </option>
              ))}
            </select>
          ) : (
            <input
              value={targets.action.action}
              placeholder="an action label"
              maxLength={1000}
              onChange={(e) => updateTargets((t) => ({ ...t, action: { on: e.target.value !== '', action: e.target.value } }))}
              data-testid="target-action-value"
            />
          )}
        </label>
      </div>
    </fieldset>
  );
}

/** A stored policy as the target's list offers it: "#2 shop-large q-learning — run 11 (tabular, 1,000 actions)". */
export function storedPolicyLabel(p: Pick<PolicySummary, 'id' | 'name' | 'envId' | 'kind' | 'actions'>): string {
  return `#${p.id} ${pickedPolicyName(p)} (${p.kind}, ${counted(p.actions, 'action')})`;
}

/**
 * A stored policy's name in a picker's option, cut as a run picker cuts its experiment's
 * (PICKER_NAME): a name of 500 characters, which an export takes, made Off-policy's and Evaluate's
 * pickers wider than the window, where the run pickers beside them cut theirs.
 */
export function pickedPolicyName(p: Pick<PolicySummary, 'name' | 'envId'>): string {
  return p.name !== null ? middleCut(p.name, PICKER_NAME) : `${p.envId} policy`;
}
