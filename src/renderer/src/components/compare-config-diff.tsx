/**
 * Compare's config diff: every parameter of the groups' configs in rows, the groups in columns.
 * Rows whose values differ come first and are highlighted (the service's `differences`, plus any
 * row whose values visibly differ); the rest fold away under a disclosure.
 */
import type { CompareGroup } from '../../../shared/dto';
import { Swatch } from './compare-tables';

type Flat = Map<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Nested objects become dotted paths ("agent.epsilon.start"); arrays stay whole values. */
function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Short text for a cell: long arrays and objects (an inline MDP's transitions) are summarised. */
function show(v: unknown): string {
  if (v === undefined) return '—';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text.length <= 60) return text;
  if (Array.isArray(v)) return `[${v.length} items]`;
  return `${text.slice(0, 57)}…`;
}

export interface DiffRow {
  readonly path: string;
  readonly values: readonly unknown[];
  readonly differs: boolean;
}

export function diffRows(groups: readonly CompareGroup[], differences: readonly string[]): DiffRow[] {
  const flats = groups.map((g) => flatten(g.config, '', new Map()));
  const paths = [...new Set(flats.flatMap((f) => [...f.keys()]))];
  const named = (p: string) => differences.some((d) => d === p || p.startsWith(`${d}.`) || d.startsWith(`${p}.`));
  return paths.map((path) => {
    const values = flats.map((f) => f.get(path));
    return { path, values, differs: groups.length > 1 && (named(path) || values.some((v) => !same(v, values[0]))) };
  });
}

function DiffTable({ groups, rows, highlight }: { groups: readonly CompareGroup[]; rows: readonly DiffRow[]; highlight: boolean }) {
  return (
    <div className="table-scroll">
      <table className="config-diff">
        <thead>
          <tr>
            <th>Parameter</th>
            {groups.map((g, i) => (
              <th key={g.key} scope="col">
                <Swatch index={i} /> {g.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} className={highlight ? 'diff-changed' : undefined} data-testid="config-diff-row" data-path={r.path} data-differs={r.differs}>
              <th scope="row">{r.path}</th>
              {r.values.map((v, i) => (
                <td key={groups[i]!.key} className="mono">
                  {show(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ConfigDiff({ groups, differences }: { groups: readonly CompareGroup[]; differences: readonly string[] }) {
  const rows = diffRows(groups, differences);
  const differing = rows.filter((r) => r.differs);
  const common = rows.filter((r) => !r.differs);
  return (
    <div data-testid="config-diff">
      {groups.length > 1 &&
        (differing.length ? (
          <DiffTable groups={groups} rows={differing} highlight />
        ) : (
          <p className="muted">The groups’ configs are identical (they differ only in what the config hash leaves out).</p>
        ))}
      {common.length > 0 && (
        <details className="diff-common">
          <summary>
            {groups.length > 1 ? 'Same in every group' : 'Configuration'} ({common.length} parameters)
          </summary>
          <DiffTable groups={groups} rows={common} highlight={false} />
        </details>
      )}
    </div>
  );
}
