/** The line a screen shows when part of its address names no run or experiment (see unreadIds). */
import { unreadIds, type IdKey } from '../url-state';

export function UnreadAddress({ query, keys }: { query: URLSearchParams; keys: Readonly<Record<string, IdKey>> }) {
  const problem = unreadIds(query, keys);
  return problem === null ? null : (
    <p className="error" role="alert" data-testid="unread-address">
      {problem}
    </p>
  );
}
