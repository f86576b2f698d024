import type { ReactNode } from 'react';

/** A hyphenated word as short as the agents' and environments' ids ("q-learning", "tabular-mdp", "epsilon-greedy"). */
const HYPHENATED = /[\p{L}\p{N}_.]+(?:-[\p{L}\p{N}_.]+)+/gu;
const SHORT = 24;

/**
 * A group's name ("experiment · agent") for a table cell that wraps it (Compare's tables and its improvement matrix): each short
 * hyphenated word in a span that does not break (styles.css, .whole), so a narrow cell wraps between words, where it broke
 * "q-learning" into "q-" over "learning" (the matrix at 800 px). The text stays the name's own, character for character: a
 * non-breaking hyphen (U+2011) in its place would keep it whole too, but a name copied from the cell would then not be the name
 * typed or searched for. A longer hyphenated word, as a name may hold, still breaks where it must rather than widen the table.
 * For display only: the name in titles, legends and exported text is the plain string.
 */
export function GroupName({ name }: { name: string }): ReactNode {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const match of name.matchAll(HYPHENATED)) {
    if (match[0].length > SHORT) continue;
    if (match.index > at) parts.push(name.slice(at, match.index));
    parts.push(
      <span key={match.index} className="whole">
        {match[0]}
      </span>,
    );
    at = match.index + match[0].length;
  }
  if (at < name.length) parts.push(name.slice(at));
  return parts;
}
