/**
 * A context-free policy's contents: its ranking, the same for every visitor — the action it serves
 * and the top actions by value (a bandit's estimates: Thompson's posterior means, UCB1's averages).
 */
import { servedRanking, type ContextFreePolicyFile } from '../../../engine/policy/format';
import { errorText, useCall } from '../api';
import { fmt } from '../format';

const TOP = 10;
/** The values as `aisle policies show` and `aisle export` write them (the CLI's fmt, 4 digits): 0.5409, not 0.541. */
const VALUE_DIGITS = 4;

export function PolicyRanking({ policyId }: { policyId: number }) {
  const stored = useCall('policies.get', { id: policyId });
  if (stored.error) return <p className="error">{errorText(stored.error)}</p>;
  if (!stored.data) return <p className="muted small">Loading…</p>;
  // Checked by policies.get before it is given (and when it was exported or imported).
  const policy = JSON.parse(stored.data.text) as ContextFreePolicyFile;
  if (policy.kind !== 'context-free') return null;
  return <RankingList policy={policy} />;
}

/** The ranking of a (checked) context-free policy: the action it serves, then its top actions by value. */
export function RankingList({ policy }: { policy: Pick<ContextFreePolicyFile, 'actions' | 'values' | 'greedy'> }) {
  const { actions, values, greedy } = policy;
  const top = servedRanking(policy, TOP); // the action it serves first, then the others by value
  return (
    <div data-testid="policy-ranking">
      <p className="small">
        Serves <strong data-testid="policy-ranking-greedy">{actions[greedy]}</strong> to everyone. The top {top.length} of{' '}
        {actions.length.toLocaleString('en-US')} actions by value:
      </p>
      <ol className="small">
        {top.map((a) => (
          <li key={a} data-testid="policy-ranking-item" data-action={a}>
            {actions[a]} <span className="muted">{fmt(values[a], VALUE_DIGITS)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
