/**
 * Placing validation problems: every line from experiments.validate starts with its JSON path
 * ("agent.alpha: must be a number in (0, 1], got -0.5"). A line goes under the field with the
 * longest path that is a prefix of its own; lines no field claims are listed above Launch.
 */

const PATH_LINE = /^([A-Za-z_$][\w$]*(?:(?:\.[A-Za-z_$][\w$/-]*)|\[\d+\])*): ([\s\S]*)$/;

export interface Problem {
  readonly path: string | null;
  readonly message: string;
  readonly line: string;
}

export function parseProblem(line: string): Problem {
  const m = PATH_LINE.exec(line);
  return m ? { path: m[1]!, message: m[2]!, line } : { path: null, message: line, line };
}

/** A part of a field in words where its JSON path says less: the seeds list's `[0]` is "seed 1 of the list". */
function partName(field: string, rest: string): string {
  const index = /^\[(\d+)\]$/.exec(rest);
  return field === 'seeds' && index ? `seed ${Number(index[1]) + 1} of the list` : rest;
}

function within(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

export interface PlacedProblems {
  /** Field path → the messages shown under it (relative to the field). */
  readonly byField: ReadonlyMap<string, readonly string[]>;
  readonly unplaced: readonly string[];
}

export function placeProblems(lines: readonly string[], fields: readonly string[]): PlacedProblems {
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const line of lines) {
    const p = parseProblem(line);
    let best: string | undefined;
    if (p.path !== null) for (const f of fields) if (within(p.path, f) && (!best || f.length > best.length)) best = f;
    if (!best || p.path === null) {
      unplaced.push(line);
      continue;
    }
    // Under its own field the path is noise; under a parent, say which part is meant.
    const rest = p.path.slice(best.length).replace(/^\./, '');
    const text = rest ? `${partName(best, rest)}: ${p.message}` : p.message;
    byField.set(best, [...(byField.get(best) ?? []), text]);
  }
  return { byField, unplaced };
}

/**
 * The form's own problems (text a field cannot read, by path) that still describe the draft: a
 * field holding such text puts it in the draft as a string, so an entry whose path no longer holds
 * one is of a field that is gone or was set from elsewhere. Switching agent took the field with it
 * (Q-learning's alpha typed "abc", then DQN) and left its problem counted: "1 problem to fix" with
 * none shown, Launch held back, and back on Q-learning its alpha read 0.1 under "is not a number".
 */
export function liveLocalProblems(local: Readonly<Record<string, string>>, draft: unknown): Readonly<Record<string, string>> {
  const live = Object.entries(local).filter(([path]) => typeof path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), draft) === 'string');
  return live.length === Object.keys(local).length ? local : Object.fromEntries(live);
}
