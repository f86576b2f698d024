/**
 * The Off-policy form's column pickers: which column of the logs is the action, the reward, the
 * propensity and the context, and the check that no column is chosen for two of them.
 */
import type { LogsInspection } from '../../../shared/dto';
import { show } from '../../../engine/params';

export type Role = keyof LogsInspection['roles'];
export type Roles = Record<Role, string>;

/** The roles in the form's order (a clash names the first of the two). */
export const ROLES: readonly { role: Role; label: string }[] = [
  { role: 'action', label: 'Action' },
  { role: 'reward', label: 'Reward' },
  { role: 'propensity', label: 'Propensity' },
  { role: 'context', label: 'Context' },
];

/** The first column chosen for two roles (in the order the form lists them), or null. */
export function roleClash(roles: Readonly<Roles>): { column: string; first: Role; second: Role } | null {
  const seen = new Map<string, Role>();
  for (const { role } of ROLES) {
    const column = roles[role];
    if (column === '') continue;
    const first = seen.get(column);
    if (first !== undefined) return { column, first, second: role };
    seen.set(column, role);
  }
  return null;
}

/**
 * What stops the form while one column is chosen for two roles, or null. The column is named as a
 * message quotes a file's text (show): a header's name holding U+202E reversed the rest of the
 * sentence, one of thousands of characters filled the form.
 */
export function roleClashText(roles: Readonly<Roles>): string | null {
  const clash = roleClash(roles);
  return clash && `The column ${show(clash.column)} is both the ${clash.first} and the ${clash.second}: choose another column for one of them.`;
}

/** A select per role over the file's columns; `onChange` gets every role's column with the one changed. */
export function OpeColumnPickers({ roles, columns, onChange }: { roles: Readonly<Roles>; columns: readonly { readonly name: string }[]; onChange: (next: Roles) => void }) {
  return (
    <fieldset className="ope-group">
      <legend>Columns</legend>
      <div className="row">
        {ROLES.map(({ role, label }) => (
          <label key={role}>
            {label}{' '}
            <select value={roles[role]} onChange={(e) => onChange({ ...roles, [role]: e.target.value })} data-testid={`role-${role}`}>
              <option value="">{role === 'context' || role === 'propensity' ? 'none' : 'choose…'}</option>
              {columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
