/** The line a screen shows when part of its address names no run or experiment, or holds a value it does not read (see unreadIds). */
import { unreadIds, type IdKey, type ValueKey } from '../url-state';

export function UnreadAddress({ query, keys = {}, values }: { query: URLSearchParams; keys?: Readonly<Record<string, IdKey>>; values?: Readonly<Record<string, ValueKey>> }) {
  const problem = unreadIds(query, keys, values);
  return problem === null ? null : (
    <p className="error" role="alert" data-testid="unread-address">
      {problem}
    </p>
  );
}
