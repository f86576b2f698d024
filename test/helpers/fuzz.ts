// Seeded mutations of JSON documents and texts for the fuzz tests (policy files, results files,
// logged-data CSV), drawn from the engine's Rng only: a failing case is named by its seed and
// replays exactly.
import { Rng } from '../../src/engine/rng';

/** Values a field is given in place of its own: wrong types, numbers JSON cannot hold, sizes out of range, hostile texts. */
const ODD_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 53), 1e308, Infinity, -Infinity, NaN, '', '3', 'x', '\u0000', '\u001b[31mred', 'a\u202Eb',
  ' ', [], [0], [[]], {}, { __proto__: null }, 'x'.repeat(5000), Number.MIN_VALUE, -0, 1e-320, '__proto__', 'constructor',
];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)]!;
}

/** Every container in the document with its path, for a mutation to pick one. */
function containers(doc: unknown, path: (string | number)[] = [], out: { value: object; path: (string | number)[] }[] = []) {
  if (typeof doc !== 'object' || doc === null) return out;
  out.push({ value: doc, path });
  // A long array (a network's weights) is represented by a few of its entries: walking all would be slow, and mutating its length is done at the array itself.
  const keys = Array.isArray(doc) ? (doc.length > 8 ? [0, 1, doc.length - 1] : [...doc.keys()]) : Object.keys(doc);
  for (const k of keys) containers((doc as Record<string | number, unknown>)[k], [...path, k], out);
  return out;
}

/** A value as a case's description shows it: short, whatever it is. */
function brief(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 20));
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? `[${v.length}]` : '{…}';
  return String(v);
}

/** A deep copy that keeps NaN and ±Infinity (JSON would turn them into null). */
export function clone<T>(doc: T): T {
  return structuredClone(doc);
}

/**
 * One to three mutations of a parsed document, in place: a field dropped, retyped or given an odd
 * value, a number made non-finite or huge, an array cut, lengthened or emptied, a key added
 * (`__proto__` included, as JSON.parse makes one: an own property). Returns what was done, for
 * the failure message.
 */
export function mutateDocument(doc: object, rng: Rng): string[] {
  const done: string[] = [];
  const times = 1 + rng.int(3);
  for (let t = 0; t < times; t++) {
    const all = containers(doc);
    const { value, path } = pick(rng, all);
    const where = path.join('.') || '(root)';
    if (Array.isArray(value)) {
      const op = rng.int(6);
      if (value.length === 0 || op === 0) {
        value.push(pick(rng, ODD_VALUES));
        done.push(`${where}: pushed`);
      } else if (op === 1) {
        value.length = rng.int(value.length);
        done.push(`${where}: cut to ${value.length}`);
      } else if (op === 2) {
        const i = rng.int(value.length);
        value[i] = clone(pick(rng, ODD_VALUES));
        done.push(`${where}[${i}] = ${brief(value[i])}`);
      } else if (op === 3) {
        const i = rng.int(value.length);
        value.push(clone(value[i]));
        done.push(`${where}: repeated [${i}]`);
      } else if (op === 4) {
        const i = rng.int(value.length);
        const v: unknown = value[i];
        value[i] = typeof v === 'number' ? pick(rng, [NaN, Infinity, -Infinity, v * 1e300, -v, 3.5e38, 1e39, Math.round(v) + 0.5]) : pick(rng, ODD_VALUES);
        done.push(`${where}[${i}] = ${brief(value[i])}`);
      } else {
        value.splice(rng.int(value.length), 1);
        done.push(`${where}: one removed`);
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const op = rng.int(5);
    if (keys.length === 0 || op === 0) {
      const key = pick(rng, ['__proto__', 'constructor', 'extra', 'upated', 'toString', 'hasOwnProperty']);
      Object.defineProperty(record, key, { value: clone(pick(rng, ODD_VALUES)), enumerable: true, writable: true, configurable: true });
      done.push(`${where}.${key} added`);
    } else if (op === 1) {
      const key = pick(rng, keys);
      delete record[key];
      done.push(`${where}.${key} dropped`);
    } else {
      const key = pick(rng, keys);
      const v = record[key];
      record[key] = typeof v === 'number' && rng.bernoulli(0.5) ? pick(rng, [NaN, Infinity, -Infinity, v + 0.5, -v - 1, v * 1e6, 2 ** 40]) : clone(pick(rng, ODD_VALUES));
      done.push(`${where}.${key} = ${brief(record[key])}`);
    }
  }
  return done;
}

/**
 * The document as a file's text: JSON, but with ±Infinity written as 1e999 (JSON.parse reads it
 * back as Infinity) and NaN as the bare word NaN (no JSON at all: a malformed file).
 */
export function jsonText(doc: unknown): string {
  return JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `@@${String(v)}@@` : v))
    .replace(/"@@-Infinity@@"/g, '-1e999')
    .replace(/"@@Infinity@@"/g, '1e999')
    .replace(/"@@NaN@@"/g, 'NaN');
}

/** A text's damage at the byte level: cut short, a byte-order mark, a character replaced, inserted or removed, a NUL, line ends changed. */
export function mutateText(text: string, rng: Rng): { text: string; done: string } {
  const at = rng.int(text.length + 1);
  switch (rng.int(7)) {
    case 0:
      return { text: text.slice(0, at), done: `cut at ${at}` };
    case 1:
      return { text: `\ufeff${text}`, done: 'byte-order mark' };
    case 2:
      return { text: text.slice(0, at) + pick(rng, ['"', '{', '}', ',', '\u0000', '\\', '\r', '\n', 'NaN', '-', 'é', '\u2028']) + text.slice(at), done: `inserted at ${at}` };
    case 3:
      return { text: text.slice(0, at) + text.slice(at + 1), done: `removed at ${at}` };
    case 4:
      return { text: text.slice(0, at) + String.fromCharCode(rng.int(128)) + text.slice(at + 1), done: `replaced at ${at}` };
    case 5:
      return { text: text.replace(/\n/g, () => (rng.bernoulli(0.5) ? '\r\n' : '\n')), done: 'mixed line ends' };
    default:
      return { text: text.slice(0, at) + '\u0000' + text.slice(at), done: `NUL at ${at}` };
  }
}
