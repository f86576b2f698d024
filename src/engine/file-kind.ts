/**
 * Which kind of Aisle file a parsed JSON value is, so that a file given where another kind belongs
 * (an experiment to `solve`, a shop catalog to `run`, an experiment as an MDP) is refused in one
 * line that says what it is, instead of one line per field the expected kind lacks.
 */

export type FileKind = 'experiment' | 'MDP' | 'policy' | 'shop catalog';

const FORMATS: readonly (readonly [RegExp, FileKind])[] = [
  [/^aisle\.experiment\//, 'experiment'],
  [/^aisle\.mdp\//, 'MDP'],
  [/^aisle\.policy\//, 'policy'],
];

/** What the file's `format`, or (without one) its telling fields, say it is; undefined when neither does. */
export function fileKind(raw: unknown): FileKind | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const doc = raw as Record<string, unknown>;
  if (typeof doc.format === 'string') return FORMATS.find(([pattern]) => pattern.test(doc.format as string))?.[1];
  if ('env' in doc && 'agent' in doc) return 'experiment';
  if ('transitions' in doc && 'states' in doc) return 'MDP';
  if ('q' in doc && 'greedy' in doc) return 'policy';
  if (Array.isArray(doc.items) && !('transitions' in doc)) return 'shop catalog';
  return undefined;
}

/** Each kind with its article, as a sentence names it ("an experiment"). */
export const ARTICLE: Record<FileKind, string> = { experiment: 'an experiment', MDP: 'an MDP', policy: 'a policy', 'shop catalog': 'a shop catalog' };

/**
 * One line when `raw` is recognisably another kind of file than `expected` (undefined otherwise):
 * `<where>: this is a shop catalog, not an experiment: <fix>`.
 */
export function wrongKindProblem(raw: unknown, expected: FileKind, where: string, fix: string): string | undefined {
  const kind = fileKind(raw);
  if (kind === undefined || kind === expected) return undefined;
  const format = (raw as { format?: unknown }).format;
  const named = typeof format === 'string' ? ` ("${format}")` : '';
  return `${where}: this is ${ARTICLE[kind]}${named}, not ${ARTICLE[expected]}: ${fix}`;
}
