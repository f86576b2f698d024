// A policy file cut short (a copy or download that stopped) is said to be cut short, by the runtime
// and by Aisle's file readers (`aisle policies import`, `aisle eval`), not only "malformed JSON":
// "fix the syntax" sent the reader to edit a file whose rest is missing.
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { parseJsonText } from '../../src/shared/json-text';
import { tabularPolicy } from '../helpers/policy';
import { thrownMessage } from '../helpers/validation-problems';

const text = `${JSON.stringify(tabularPolicy(), null, 1)}\n`;
const CUT = 'the file was cut short (an incomplete copy, download or save?): copy it again in full';

describe('a policy file cut short', () => {
  it('is said to be cut short by the runtime, wherever it stops', () => {
    // In a key, after a comma, inside a number, inside a string, after the last bracket but one, and with a byte-order mark first.
    for (const at of [text.indexOf('"states"') + 3, text.indexOf(',') + 1, text.indexOf('5,') + 1, text.indexOf('shoes'), text.trimEnd().length - 1]) {
      const message = thrownMessage(() => loadPolicy(text.slice(0, at)));
      expect(message, `cut at ${at}`).toMatch(/^policy: malformed JSON \(.*\): the text ends before its JSON does: /);
      expect(message.endsWith(CUT), message).toBe(true);
    }
    expect(thrownMessage(() => loadPolicy(`\ufeff${text.slice(0, 200)}\n`)).endsWith(CUT)).toBe(true);
  });

  it('is not said to be cut short when the JSON breaks before its end', () => {
    const broken = text.replace('"tabular"', '"tabular" "x"');
    const message = thrownMessage(() => loadPolicy(broken));
    expect(message).toMatch(/^policy: malformed JSON \(/);
    expect(message).not.toContain('cut short');
    expect(thrownMessage(() => loadPolicy(`${text}}`))).not.toContain('cut short');
  });

  it('is said to be cut short by the file readers, with its place as before', () => {
    const cut = text.slice(0, 40);
    const problems = (t: string) => {
      try {
        parseJsonText(t, 'cut.json');
      } catch (e) {
        return (e as { problems: string[] }).problems;
      }
      throw new Error('not refused');
    };
    expect(problems(cut)).toEqual([
      'cut.json: malformed JSON at line 3, column 9 (Unexpected end of JSON input): the file ends there, before its JSON does: it was cut short (an incomplete copy, download or save?): copy or save it again in full',
    ]);
    const [withPosition] = problems(text.slice(0, text.indexOf('5,') + 2));
    expect(withPosition).toMatch(/^cut\.json: malformed JSON at line \d+, column \d+ \(.*\): the file ends there, before its JSON does: it was cut short/);
    // Broken before its end: the fix is the syntax's, as before.
    expect(problems(text.replace('"tabular"', '"tabular" "x"'))[0]).toMatch(/: fix the syntax and try again$/);
  });
});
