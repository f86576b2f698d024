/**
 * Where JSON text first stops being JSON. V8's JSON.parse names the position for some errors
 * ("… in JSON at position 12") but not for others ("Unexpected token 'o', "…" is not valid JSON"),
 * so when it does not, this scanner (RFC 8259's grammar, iterative so deep nesting cannot overflow
 * the stack) finds the offset the user should look at. Only called after JSON.parse has failed.
 * Pure (no Node, no DOM): the service and the renderer word a malformed file the same way.
 */
import { escapeControl, ValidationError } from '../engine/params';

const OBJECT = 0;
const ARRAY = 1;

/** The offset of the first character that breaks the grammar (text.length when the text ends early), or null when the text is valid JSON. */
export function jsonErrorOffset(text: string): number | null {
  const n = text.length;
  let i = 0;
  const stack: number[] = [];
  let expect: 'value' | 'key' | 'after' = 'value';
  const space = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(++i));
  };
  for (;;) {
    space();
    if (expect === 'after') {
      if (stack.length === 0) return i < n ? i : null;
      const c = text[i];
      const top = stack[stack.length - 1];
      if (c === ',') {
        i++;
        expect = top === OBJECT ? 'key' : 'value';
      } else if ((c === ']' && top === ARRAY) || (c === '}' && top === OBJECT)) {
        i++;
        stack.pop();
      } else return i;
      continue;
    }
    if (expect === 'key') {
      if (text[i] !== '"' || !scanString()) return i;
      space();
      if (text[i] !== ':') return i;
      i++;
      expect = 'value';
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      space();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        expect = 'after';
      } else {
        stack.push(c === '{' ? OBJECT : ARRAY);
        expect = c === '{' ? 'key' : 'value';
      }
      continue;
    }
    if (c === '"') {
      if (!scanString()) return i;
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (!scanNumber()) return i;
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (literal === undefined) {
        // Point at the first character that cannot start or continue a literal.
        for (const word of ['true', 'false', 'null']) {
          let k = 0;
          while (k < word.length && text[i + k] === word[k]) k++;
          if (k > 0) return i + k;
        }
        return i;
      }
      i += literal.length;
    }
    expect = 'after';
  }

  /** From an opening quote to just past the closing one; false with i at the fault. */
  function scanString(): boolean {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              return false;
            }
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          i++;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; false with i at the fault. */
  function scanNumber(): boolean {
    const digits = (): number => {
      const start = i;
      while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
      return i - start;
    };
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (digits() === 0) return false;
    if (text[i] === '.') {
      i++;
      if (digits() === 0) return false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (digits() === 0) return false;
    }
    return true;
  }
}

/**
 * The first key an object of (valid) JSON text gives twice, with the offsets of both: JSON.parse
 * keeps the last silently, so a line copied to edit and left in place would decide the value
 * unseen. Undefined when every object's keys differ. Keys are compared as written (escapes not
 * decoded).
 */
export function duplicateKey(text: string): { key: string; first: number; again: number } | undefined {
  // Per open bracket: the keys seen with their offsets (an object), or null (an array).
  const stack: (Map<string, number> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = text.slice(start + 1, i);
        const first = keys.get(key);
        if (first !== undefined) return { key, first, again: start };
        keys.set(key, start);
      }
      expectKey = false;
    } else if (c === 0x7b) {
      stack.push(new Map());
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) expectKey = stack[stack.length - 1] !== null;
  }
  return undefined;
}

/** Above this, a JSON file is written by a program (an MDP, a network), not by hand: not scanned for keys given twice. */
const HAND_EDITED_MAX_CHARS = 1_000_000;

/** "line 3, column 7" for a character offset in a text. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

/** NaN, Infinity or -Infinity where the JSON grammar broke at offset (after a minus sign, for -Infinity), with where it starts. */
function nonFiniteAt(text: string, offset: number): { word: string; offset: number } | undefined {
  for (const word of ['-Infinity', 'Infinity', 'NaN']) {
    for (const start of [offset, offset - 1]) if (start >= 0 && text.startsWith(word, start)) return { word, offset: start };
  }
  return undefined;
}

/**
 * JSON text's value, or its syntax error in words naming the place and the fix ("malformed JSON at
 * line 1, column 11 (Unexpected end of JSON input): fix the syntax and try again"), without a label:
 * a file's error (parseJsonText) and a form's JSON field or JSON view (which sit beside their text) say it alike.
 */
export function readJsonSyntax(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    let offset = pos ? Number(pos[1]) : jsonErrorOffset(text);
    // Python's json.dumps and JavaScript's String(x) write these, and they look like numbers: say
    // why they are refused rather than "Unexpected token 'N'" (the place is the sign of -Infinity).
    const notNumber = offset === null ? undefined : nonFiniteAt(text, offset);
    if (notNumber) {
      offset = notNumber.offset;
      return { ok: false, problem: `malformed JSON at ${lineColumn(text, offset)} (${notNumber.word} is not a number in JSON, which has no NaN or Infinity): write a finite number there` };
    }
    const where = offset !== null ? ` at ${lineColumn(text, offset)}` : '';
    const detail = message
      .replace(/^JSON\.parse: /, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '')
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, ''); // V8 quotes the text itself, or a piece of it ("…"): the place is given instead
    // V8 names the character at fault as it is ("Unexpected token '\0'"): a NUL or an ESC in the file reached the terminal raw.
    return { ok: false, problem: `malformed JSON${where} (${escapeControl(detail)}): fix the syntax and try again` };
  }
}

/**
 * A CSV file given where JSON goes (`aisle run logs.csv`): its header line broke the JSON grammar at
 * its first character, and "fix the syntax" sent the user editing a file that is no JSON at all.
 */
function csvHeaderProblem(text: string): string | undefined {
  const line = /^[^\r\n]*/.exec(text)![0].trim();
  if (!/^["A-Za-z_]/.test(line) || !line.includes(',') || /[{}[\]:]/.test(line)) return undefined;
  const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
  return `is not JSON: its first line, ${JSON.stringify(shown)}, reads as the header of a CSV file: give the JSON file here`;
}

/**
 * A file whose text ends before its JSON does (a copy, download or save that stopped: a policy of
 * 200,000 lines cut at line 220) was told to "fix the syntax and try again", sending the user to edit
 * a file whose rest is missing: said to be cut short instead, with the place as before.
 */
function cutShort(text: string, problem: string): string {
  if (jsonErrorOffset(text) !== text.length) return problem;
  return problem.replace(/: fix the syntax and try again$/, ': the file ends there, before its JSON does: it was cut short (an incomplete copy, download or save?): copy or save it again in full');
}

/**
 * Parses JSON text; a syntax error becomes a ValidationError naming the place and the fix. A
 * leading byte-order mark (a Windows editor's) is no part of the JSON and is skipped, as the file
 * readers and the policy runtime skip it: a file's text sent in a call (the app's imports) keeps it.
 */
export function parseJsonText(withMark: string, label: string): unknown {
  const text = withMark.charCodeAt(0) === 0xfeff ? withMark.slice(1) : withMark;
  // An empty file (one saved before anything was written to it, /dev/null) is not a syntax error at line 1, column 1.
  if (text.trim() === '') throw new ValidationError([`${label}: the file is empty: expected JSON: check that it is the right file and that it was saved`]);
  const read = readJsonSyntax(text);
  if (!read.ok) throw new ValidationError([`${label}: ${csvHeaderProblem(text) ?? cutShort(text, read.problem)}`]);
  const value = read.value;
  const twice = text.length <= HAND_EDITED_MAX_CHARS ? duplicateKey(text) : undefined;
  if (twice) {
    const [first, again] = [lineColumn(text, twice.first), lineColumn(text, twice.again)];
    throw new ValidationError([`${label}: "${twice.key}" is given twice in one object (at ${first} and ${again}): remove the one you did not mean (JSON would silently keep the last)`]);
  }
  return value;
}
