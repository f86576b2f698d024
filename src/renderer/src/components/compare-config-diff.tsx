/**
 * Compare's config diff: every parameter of the groups' configs in rows, the groups in columns.
 * Rows whose values differ come first and are highlighted (the service's `differences`, plus any
 * row whose values visibly differ); the rest fold away under a disclosure.
 */
import { configCellText, diffRows, type DiffRow } from '../../../shared/config-diff';
import type { CompareGroup } from '../../../shared/dto';
import { Swatch } from './compare-tables';
import { GroupName } from './group-name';
import { ScrollRegion } from './scroll-region';

function DiffTable({ groups, rows, highlight, label }: { groups: readonly CompareGroup[]; rows: readonly DiffRow[]; highlight: boolean; label: string }) {
  return (
    <ScrollRegion label={label}>
      <table className="config-diff">
        <thead>
          <tr>
            <th>Parameter</th>
            {groups.map((g, i) => (
              <th key={g.key} scope="col">
                <Swatch index={i} /> <GroupName name={g.label} />
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
                  {configCellText(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
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
          <DiffTable groups={groups} rows={differing} highlight label="Configuration: the settings that differ" />
        ) : (
          <p className="muted">The groups’ configs are identical (they differ only in what the config hash leaves out).</p>
        ))}
      {common.length > 0 && (
        <details className="diff-common">
          <summary>
            {groups.length > 1 ? 'Same in every group' : 'Configuration'} ({common.length} parameters)
          </summary>
          <DiffTable groups={groups} rows={common} highlight={false} label={groups.length > 1 ? 'Configuration: the settings alike in every group' : 'Configuration'} />
        </details>
      )}
    </div>
  );
}
