/**
 * An experiment's name and description: checked alike when it is launched, when it is renamed
 * (the service, `aisle rename`) and by the rename editor before it sends anything. A module of its
 * own so that the editor checks them without loading every environment and agent.
 */
import * as z from 'zod';
import { CONTROL, controlAt, thousands, withoutControl } from './params';

/**
 * Names and descriptions are printed raw in terminal tables, where a control character (a newline,
 * an ESC sequence) breaks the table or drives the terminal (see CONTROL). A description may keep \n and \t.
 */
const CONTROL_BUT_LINES = new RegExp(`(?![\\n\\t])${CONTROL.source}`, 'u');

/**
 * A text's length as zod's max counts it: in code points, so an emoji (two UTF-16 units) is one
 * character. The message and a name cut to fit (cutToLength) count the same way.
 */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * "has 245 characters, more than 200: shorten it": the length said, so the user knows how much to
 * cut. zod calls it for a list given for the text too (its length check takes anything with a
 * length): String() of a list holding { "toString": 2 } threw a TypeError out of the parse, and
 * formatIssues leaves the line out beside the list's "must be a text".
 */
function tooLong(max: number) {
  return (iss: { input?: unknown }) => (typeof iss.input === 'string' ? `has ${thousands(textLength(iss.input))} characters, more than ${thousands(max)}: shorten it` : 'must be a text');
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` characters (code points, as the name's limit counts them), between
 * user-perceived characters: a cut inside an emoji's surrogate pair left half of it, which is stored
 * as U+FFFD, and one inside a flag or a family emoji another emoji. Not cli/display-width.ts's
 * truncated, which measures terminal columns (a wide character or an emoji 2, an accent 0).
 */
export function cutToLength(text: string, max: number): string {
  if (textLength(text) <= max) return text;
  let kept = '';
  let length = 0;
  for (const { segment } of graphemes.segment(text)) {
    const n = textLength(segment);
    if (length + n > max) break;
    kept += segment;
    length += n;
  }
  return kept;
}

/** The most characters an experiment's name may have. */
export const EXPERIMENT_NAME_MAX = 200;

/** An experiment's name: checked alike when it is launched and when it is renamed. */
export const experimentName = withoutControl(
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required: give the experiment a name, such as "cliff q-learning"' : 'must be a text such as "cliff q-learning"') })
    .trim()
    .min(1, { error: 'must not be empty: give the experiment a name' })
    .max(EXPERIMENT_NAME_MAX, { error: tooLong(EXPERIMENT_NAME_MAX) }),
).describe('A name for the experiment, shown in lists and charts.');

/** An experiment's description: checked alike when it is launched and when it is edited. */
export const experimentDescription = z
  .string()
  .max(10_000, { error: tooLong(10_000) })
  .refine((text) => !CONTROL_BUT_LINES.test(text), {
    error: (iss) => `must not contain control characters other than newline and tab (found ${controlAt(iss.input, CONTROL_BUT_LINES)}): remove it`,
  });

/** What the rename editor says under each field before sending: the problems experiments.update would answer with. */
export function renameProblems(name: string, description: string): { name: string[]; description: string[] } {
  const messages = (r: z.ZodSafeParseResult<string>) => (r.success ? [] : r.error.issues.map((i) => i.message));
  return { name: messages(experimentName.safeParse(name)), description: messages(experimentDescription.safeParse(description)) };
}
