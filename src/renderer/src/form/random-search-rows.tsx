/**
 * The Sweep section's Random search inputs: the mode (Grid or Random search), the search's trials
 * and seed, and a row's distribution with its bounds (or values, for a choice). What they hold is
 * read by random-search.ts.
 */
import { DISTRIBUTION_KINDS, type DistributionKind } from '../../../engine/sweep-sample';
import { KIND_LABELS, type RowDistribution, type SweepSearch } from './random-search';

export function SweepMode({ search, onSearch }: { search: SweepSearch; onSearch: (search: SweepSearch) => void }) {
  return (
    <div className="form-row sweep-mode" role="radiogroup" aria-label="Kind of sweep" data-testid="sweep-mode">
      {(['grid', 'random'] as const).map((mode) => (
        <label key={mode}>
          <input type="radio" name="sweep-mode" value={mode} checked={search.mode === mode} onChange={() => onSearch({ ...search, mode })} data-testid={`sweep-mode-${mode}`} />{' '}
          {mode === 'grid' ? 'Grid' : 'Random search'}
        </label>
      ))}
    </div>
  );
}

export function SearchSettings({ search, onSearch, invalid }: { search: SweepSearch; onSearch: (search: SweepSearch) => void; invalid: boolean }) {
  return (
    <div className="form-row">
      <div className="field">
        <label htmlFor="sweep-trials">
          <span className="name">trials</span> <span className="range">experiments, 1 to 64</span>
        </label>
        <input
          id="sweep-trials"
          type="text"
          inputMode="numeric"
          value={search.trials}
          aria-invalid={invalid}
          {...(invalid ? { 'aria-describedby': 'sweep-problems' } : {})}
          onChange={(e) => onSearch({ ...search, trials: e.target.value })}
          data-testid="sweep-trials"
        />
      </div>
      <div className="field">
        <label htmlFor="sweep-seed">
          <span className="name">search seed</span> <span className="range">same seed, same draws</span>
        </label>
        <input id="sweep-seed" type="text" inputMode="numeric" value={search.seed} onChange={(e) => onSearch({ ...search, seed: e.target.value })} data-testid="sweep-seed" />
      </div>
    </div>
  );
}

interface RowProps {
  readonly index: number;
  readonly row: RowDistribution;
  readonly invalid: boolean;
  readonly describedBy: string;
  readonly onRow: (row: RowDistribution) => void;
  /** A choice's values placeholder: values the row's parameter takes (sweepPlaceholder). */
  readonly placeholder: string;
}

/** A row's distribution and its bounds, or its values for a choice, in the place of a grid row's values. */
export function RandomSearchRow({ index: i, row, invalid, describedBy, onRow, placeholder }: RowProps) {
  const kind = row.kind ?? 'uniform';
  const described = describedBy ? { 'aria-describedby': describedBy } : {};
  return (
    <>
      <div className="field sweep-kind">
        <label htmlFor={`sweep-${i}-kind`}>
          <span className="name">distribution</span>
        </label>
        <select id={`sweep-${i}-kind`} value={kind} onChange={(e) => onRow({ ...row, kind: e.target.value as DistributionKind })} data-testid={`sweep-kind-${i}`}>
          {DISTRIBUTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      {kind === 'choice' ? (
        <div className="field grow">
          <label htmlFor={`sweep-${i}-values`}>
            <span className="name">values</span> <span className="range">separated by commas</span>
          </label>
          <input id={`sweep-${i}-values`} type="text" placeholder={placeholder} value={row.values} aria-invalid={invalid} {...described} onChange={(e) => onRow({ ...row, values: e.target.value })} data-testid={`sweep-values-${i}`} />
        </div>
      ) : (
        (['lo', 'hi'] as const).map((end) => (
          <div className="field sweep-bound" key={end}>
            {/* The lower bound takes the values' id, where a problem's Fix goes (sweepRowFixId). */}
            <label htmlFor={end === 'lo' ? `sweep-${i}-values` : `sweep-${i}-hi`}>
              <span className="name">{end === 'lo' ? 'from' : 'to'}</span>
            </label>
            <input
              id={end === 'lo' ? `sweep-${i}-values` : `sweep-${i}-hi`}
              type="text"
              inputMode="decimal"
              value={row[end] ?? ''}
              aria-invalid={invalid}
              {...described}
              onChange={(e) => onRow({ ...row, [end]: e.target.value })}
              data-testid={`sweep-${end}-${i}`}
            />
          </div>
        ))
      )}
    </>
  );
}
