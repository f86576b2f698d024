// Logged bandit data written row by row in a test: [context, action, reward, propensity], labels in
// the order the engine gives them (labelOrder), or as given.
import { labelOrder, type LoggedBandit, type LoggedRows } from '../../src/engine/ope';

export function logs(rowsOf: [context: string, action: string, reward: number, propensity: number][], contexts?: string[], actions?: string[]): LoggedBandit {
  return { ...loggedRows(rowsOf, contexts, actions), propensity: Float64Array.from(rowsOf, (r) => r[3]) };
}

/** Logged rows without propensities (a `logs:` target's rows, a fit's): [context, action, reward]. */
export function loggedRows(rowsOf: readonly (readonly [context: string, action: string, reward: number, ...rest: number[]])[], contexts?: string[], actions?: string[]): LoggedRows {
  const contextLabels = contexts ?? labelOrder(rowsOf.map((r) => r[0]));
  const actionLabels = actions ?? labelOrder(rowsOf.map((r) => r[1]));
  return {
    contextLabels,
    actionLabels,
    context: Int32Array.from(rowsOf, (r) => contextLabels.indexOf(r[0])),
    action: Int32Array.from(rowsOf, (r) => actionLabels.indexOf(r[1])),
    reward: Float64Array.from(rowsOf, (r) => r[2]),
    propensity: null,
  };
}
