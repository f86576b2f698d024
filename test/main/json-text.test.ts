// jsonErrorOffset against V8: null exactly for the texts JSON.parse accepts, and the same offset
// V8 names whenever it names one, over thousands of random corruptions of a real file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateKey, jsonErrorOffset, parseJsonText } from '../../src/shared/json-text';
import { ValidationError } from '../../src/engine/params';

const base = readFileSync(resolve(__dirname, '../../resources/experiments/quickstart.json'), 'utf8');

function v8(text: string): { ok: boolean; position?: number } {
  try {
    JSON.parse(text);
    return { ok: true };
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    return m ? { ok: false, position: Number(m[1]) } : { ok: false };
  }
}

describe('jsonErrorOffset', () => {
  it('finds the place V8 names, and nothing in valid JSON', () => {
    let seed = 12345;
    const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const alphabet = '{}[],:"\\ -0123456789.eE+tfnulrsa\n';
    let named = 0;
    for (let trial = 0; trial < 5000; trial++) {
      let text = base;
      for (let k = 0, edits = 1 + random(3); k < edits; k++) {
        const at = random(text.length + 1);
        const op = random(3);
        const c = alphabet[random(alphabet.length)]!;
        text = op === 0 ? text.slice(0, at) + c + text.slice(at) : op === 1 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + c + text.slice(at + 1);
      }
      const expected = v8(text);
      const offset = jsonErrorOffset(text);
      if (expected.ok) expect(offset, text).toBeNull();
      else expect(offset, text).not.toBeNull();
      if (expected.position !== undefined) {
        named++;
        expect(offset, text).toBe(expected.position);
      }
    }
    expect(named).toBeGreaterThan(500);
  });

  it('handles the ends, deep nesting and escapes', () => {
    expect(jsonErrorOffset('')).toBe(0);
    expect(jsonErrorOffset('{"a": ')).toBe(6);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('"\\u12G4"')).toBe(5);
    expect(jsonErrorOffset('"tab\there"')).toBe(4);
    expect(jsonErrorOffset('[tru]')).toBe(4);
    expect(jsonErrorOffset('-')).toBe(1);
    expect(jsonErrorOffset('01')).toBe(1);
    expect(jsonErrorOffset('[1.]')).toBe(3);
    expect(jsonErrorOffset(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toBeNull();
    expect(jsonErrorOffset(`${'['.repeat(200_000)}}`)).toBe(200_000);
  });

  it('lets parseJsonText name the line and column of every syntax error', () => {
    const problem = (text: string) => {
      try {
        parseJsonText(text, 'f.json');
      } catch (e) {
        return (e as ValidationError).problems[0];
      }
      return undefined;
    };
    expect(problem('{\n "format": nope\n}')).toBe("f.json: malformed JSON at line 2, column 13 (Unexpected token 'o'): fix the syntax and try again");
    expect(problem('{"format":')).toMatch(/^f\.json: malformed JSON at line 1, column 11 \(/);
    expect(problem('{"a": 1}')).toBeUndefined();
    // Nothing at all is said as such, not as "malformed JSON at line 1, column 1 (Unexpected end of JSON input)".
    for (const empty of ['', ' \n\t\n']) expect(problem(empty)).toBe('f.json: the file is empty: expected JSON: check that it is the right file and that it was saved');
    // V8 quotes a piece of a longer text ('..."{\n "q": [[oops"... is not valid JSON'), line break and all: the place replaces it.
    expect(problem(`{\n "q": [[oops, 1, 2, 3]], "${'a'.repeat(40)}": 1}`)).toBe("f.json: malformed JSON at line 2, column 9 (Unexpected token 'o'): fix the syntax and try again");
    // NaN and ±Infinity (Python's json.dumps writes them) are named as such, at their first character.
    const notNumber = (word: string, column: number) => `f.json: malformed JSON at line 2, column ${column} (${word} is not a number in JSON, which has no NaN or Infinity): write a finite number there`;
    expect(problem(`{\n "q": [[NaN, 1, 2, 3]], "${'a'.repeat(40)}": 1}`)).toBe(notNumber('NaN', 9));
    expect(problem('{"a": 1,\n "b": Infinity}')).toBe(notNumber('Infinity', 7));
    expect(problem('{"a": 1,\n "b": [0, -Infinity]}')).toBe(notNumber('-Infinity', 11));
  });

  it('refuses a key given twice in one object, naming both places: JSON.parse kept the last silently', () => {
    const text = base.replace('"alpha": 0.5,', '"alpha": 0.5, "alpha": 0.1,');
    expect(() => parseJsonText(text, 'f.json')).toThrow(ValidationError);
    const line = text.split('\n').findIndex((l) => l.includes('"alpha": 0.5, "alpha"')) + 1;
    const column = (k: number) => text.split('\n')[line - 1]!.split('"alpha"', k).join('"alpha"').length + 1;
    try {
      parseJsonText(text, 'f.json');
    } catch (e) {
      expect((e as ValidationError).problems).toEqual([
        `f.json: "alpha" is given twice in one object (at line ${line}, column ${column(1)} and line ${line}, column ${column(2)}): remove the one you did not mean (JSON would silently keep the last)`,
      ]);
    }
  });

  it('names a CSV file given where JSON goes as one, not as a syntax error to fix', () => {
    const problem = (text: string): string => {
      try {
        parseJsonText(text, 'logs.csv');
      } catch (e) {
        return (e as ValidationError).problems.join('\n');
      }
      throw new Error('parsed');
    };
    expect(problem('policy,campaign,item,click,pscore\nrandom,men,14,0,0.03\n')).toBe('logs.csv: is not JSON: its first line, "policy,campaign,item,click,pscore", reads as the header of a CSV file: give the JSON file here');
    expect(problem('"user id",item\r\n1,2\r\n')).toBe('logs.csv: is not JSON: its first line, "\\"user id\\",item", reads as the header of a CSV file: give the JSON file here');
    // JSON broken in its first line is still a syntax error to fix.
    expect(problem('{"format": "aisle.experiment/v1",, "name": "x"}')).toMatch(/^logs\.csv: malformed JSON at line 1, column 34 /);
    expect(problem('nope')).toMatch(/^logs\.csv: malformed JSON at line 1, column \d+ /);
  });

  it('skips a byte-order mark before the JSON, as the file readers do, and places errors after it as if it were not there', () => {
    expect(parseJsonText(`\uFEFF${base}`, 'f.json')).toEqual(parseJsonText(base, 'f.json'));
    expect(() => parseJsonText('\uFEFF{"a": }', 'f.json')).toThrow(/^f\.json: malformed JSON at line 1, column 7 /);
    expect(() => parseJsonText('\uFEFF', 'f.json')).toThrow(/the file is empty/);
  });
});

describe('duplicateKey', () => {
  it('finds a key repeated in one object only: not across objects, in arrays or in string values', () => {
    expect(duplicateKey('{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}], "d": "a", "e": "\\"a\\":"}')).toBeUndefined();
    expect(duplicateKey('{"a": {"x": 1, "y": [1, {"x": 2}], "x": 3}}')).toEqual({ key: 'x', first: 7, again: 35 });
    expect(duplicateKey('[{"k\\"": 1, "k\\"": 2}]')).toEqual({ key: 'k\\"', first: 2, again: 12 });
    expect(duplicateKey('{}')).toBeUndefined();
  });
});
