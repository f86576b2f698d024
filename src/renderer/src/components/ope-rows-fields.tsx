/**
 * The Off-policy form's rows to evaluate on: a filter per few-valued column (each value's rows
 * counted under the other filters), what the counts cannot follow, a column that still mixes
 * logging policies, and the holdout set aside for a simulator.
 */
import type { LogsInspection } from '../../../shared/dto';
import { holdoutText, type HoldoutChoice } from '../../../engine/ope/data';
import { listedNames } from '../../../engine/params';
import { mixedColumnsText, type MixedColumn } from '../../../engine/ope/logging-columns';
import { ValueOptions } from './ope-targets';

type Column = LogsInspection['columns'][number];

/**
 * The holdouts offered, by their option's value: "0" none, "k" 1 kept row in k (each by a seeded
 * draw), "last:p" the last p % of the kept rows (the newest, in logs written in time order).
 */
const HOLDOUTS = ['0', '2', '3', '4', '5', '10', 'last:10', 'last:20', 'last:30'] as const;

/** The holdout an option's value stands for. */
export function holdoutChoice(value: string): HoldoutChoice {
  if (value.startsWith('last:')) return { holdoutLast: Number(value.slice(5)) };
  return value === '0' ? {} : { holdout: Number(value) };
}

function holdoutLabel(value: string): string {
  const choice = holdoutChoice(value);
  if (choice.holdoutLast !== undefined) return `${holdoutText(choice)!} (the newest, in logs written in time order): evaluate on those, fit a simulator on the earlier rows`;
  return choice.holdout !== undefined ? `${holdoutText(choice)!}, at random: evaluate on those, fit a simulator on the rest` : 'none: every row kept';
}

export function OpeRowsFields(props: {
  /** The columns offered as filters (few-valued, neither the reward nor the propensity). */
  readonly listed: readonly Column[];
  readonly where: Readonly<Record<string, string>>;
  readonly onWhere: (where: Record<string, string>) => void;
  /** Each listed column's values, counted under the other filters. */
  readonly values: ReadonlyMap<string, NonNullable<Column['values']>>;
  /** Columns whose counts do not follow every filter (too many combinations to count). */
  readonly uncounted: readonly string[];
  readonly mixed: readonly MixedColumn[];
  /** The holdout's option value (see holdoutChoice). */
  readonly holdout: string;
  readonly onHoldout: (value: string) => void;
}) {
  const { listed, where, values, uncounted, mixed } = props;
  return (
    <fieldset className="ope-group">
      <legend>Evaluate on the rows where</legend>
      <div className="row">
        {listed.map((c) => (
          <label key={c.name}>
            {c.name}{' '}
            <select
              value={where[c.name] ?? ''}
              onChange={(e) => {
                const { [c.name]: _dropped, ...rest } = where;
                props.onWhere(e.target.value === '' ? rest : { ...rest, [c.name]: e.target.value });
              }}
              data-testid={`where-${c.name}`}
            >
              <option value="">any</option>
              <ValueOptions values={values.get(c.name) ?? c.values!} />
            </select>
          </label>
        ))}
      </div>
      {listed.length === 0 && <p className="muted small">No column has few enough values to filter by: every row is evaluated.</p>}
      {uncounted.length > 0 && (
        <p className="muted small" data-testid="ope-counts-partial">
          The rows beside the values of {listedNames(uncounted)} do not follow every filter: the file has too many combinations of these columns&apos; values to
          count them all. The evaluation keeps exactly the rows the filters pick.
        </p>
      )}
      {mixed.length > 0 && (
        <p className="notice" data-testid="ope-mixed">
          {mixedColumnsText(mixed, 'above')}
        </p>
      )}
      <div className="row">
        <label>
          Holdout{' '}
          <select value={props.holdout} onChange={(e) => props.onHoldout(e.target.value)} data-testid="ope-holdout">
            {HOLDOUTS.map((value) => (
              <option key={value} value={value}>
                {holdoutLabel(value)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </fieldset>
  );
}
