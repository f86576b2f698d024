// Seeded mutations of the shipped presets (experiments, the cliff MDP, the online-retail catalog)
// for the input fuzz tests (test/main/input-fuzz, test/cli/input-fuzz-cli): the engine's Rng only,
// so that a case is its seed. Also the check that a refusal's line names where and what to do.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/engine/rng';
import { ROOT } from './cli';

const EXPERIMENTS = join(ROOT, 'resources', 'experiments');
export const presetNames = readdirSync(EXPERIMENTS).filter((f) => f.endsWith('.json') && !f.endsWith('.mdp.json'));
export const presetText = Object.fromEntries(presetNames.map((f) => [f, readFileSync(join(EXPERIMENTS, f), 'utf8')]));
export const mdpText = readFileSync(join(EXPERIMENTS, 'cliff.mdp.json'), 'utf8');
export const catalogText = readFileSync(join(ROOT, 'resources', 'shops', 'online-retail.shop.json'), 'utf8');

/** [[[…1…]]], `depth` deep. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Odd values a field may be given: the types a JSON file can hold, and numbers JSON cannot but IPC can. */
function oddValue(rng: Rng): unknown {
  const pool: (() => unknown)[] = [
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -0,
    () => 1e308,
    () => -1e308,
    () => -1,
    () => -(1 + rng.int(1000)),
    () => 0.5,
    () => 2 ** 53 + 2,
    () => 5e-324,
    () => 0,
    () => rng.int(10) + rng.next(),
    () => '',
    () => 'x\u0000y\u001b[31m\u0007',
    () => '\uFEFF',
    () => 'a'.repeat(100_000),
    () => '1',
    () => 'NaN',
    () => null,
    () => true,
    () => false,
    () => [],
    () => ({}),
    () => [1, 2, 3],
    () => Array.from({ length: 50_000 }, (_, i) => i),
    () => nested(3000 + rng.int(5000)),
    () => JSON.parse('{"__proto__": {"polluted": 1}}') as unknown,
    () => ({ constructor: 1, toString: 2, hasOwnProperty: 3 }),
    () => 'aisle.mdp/v1',
    () => 'aisle.experiment/v2',
  ];
  return pool[rng.int(pool.length)]!();
}

/** JSON.stringify without recursion: a value nested thousands deep overflows JSON.stringify's stack. */
export function toJson(value: unknown): string {
  const out: string[] = [];
  const work: unknown[] = [value];
  const raw = Symbol('raw');
  while (work.length > 0) {
    const v = work.pop();
    if (typeof v === 'object' && v !== null && raw in v) out.push((v as { [raw]: string })[raw]);
    else if (Array.isArray(v)) {
      work.push({ [raw]: ']' });
      for (let i = v.length - 1; i >= 0; i--) work.push(v[i], ...(i > 0 ? [{ [raw]: ',' }] : []));
      out.push('[');
    } else if (typeof v === 'object' && v !== null) {
      const keys = Object.keys(v);
      work.push({ [raw]: '}' });
      for (let i = keys.length - 1; i >= 0; i--) work.push((v as Record<string, unknown>)[keys[i]!], { [raw]: `${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:` });
      out.push('{');
    } else out.push(JSON.stringify(v) ?? 'null');
  }
  return out.join('');
}

/** One of a list's (or a text's) elements. */
function pick<T>(list: readonly T[], rng: Rng): T;
function pick(list: string, rng: Rng): string;
function pick<T>(list: readonly T[] | string, rng: Rng): T | string {
  return list[rng.int(list.length)]!;
}

type Path = (string | number)[];

/** Every path to a value in `v` (the root is []). */
function paths(v: unknown, at: Path = [], out: Path[] = [], limit = 400): Path[] {
  out.push(at);
  if (out.length >= limit) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out, limit));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out, limit);
  return out;
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let v = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) v = v[k] as Record<string | number, unknown>;
  return v;
}

/** `value` with one to three mutations at random paths: a field dropped, a value replaced, a key added. */
export function mutateValue(value: unknown, rng: Rng): unknown {
  const root = { v: structuredClone(value) };
  const n = 1 + rng.int(3);
  for (let m = 0; m < n; m++) {
    const all = paths(root.v).map((p) => ['v', ...p]);
    const path = all[rng.int(all.length)]!;
    const parent = parentOf(root, path);
    const key = path[path.length - 1]!;
    const what = rng.int(10);
    if (what < 2 && path.length > 1) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (what < 3) {
      const target = parent[key];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        const extra = pick(['__proto__', 'constructor', 'prototype', 'toString', 'id', 'format', 'unknownField', 'line\nbreak\u001b[2J', 'x'.repeat(5000)], rng);
        Object.defineProperty(target, extra, { value: oddValue(rng), enumerable: true, writable: true, configurable: true });
      } else parent[key] = oddValue(rng);
    } else if (what < 5 && typeof parent[key] === 'number') {
      // Past its range, or near its value (in range often: what is accepted is read back, below).
      const v = parent[key] as number;
      parent[key] = pick([-v, v + 0.5, v * 1e300, -0, v * 2, v / 2, Math.round(v * 1.5), v + 1, v - 1, v * (1 + 1e-15)], rng);
    } else if (what < 5 && typeof parent[key] === 'string') {
      parent[key] = `${parent[key] as string}\u0000\u007f\n\t"`;
    } else parent[key] = oddValue(rng);
  }
  return root.v;
}

/** JSON text with a byte-level fault: cut short, a BOM, invalid UTF-8, a key repeated, a control character in a string, a character changed. */
function mutateText(text: string, rng: Rng): Buffer {
  const what = rng.int(8);
  const at = rng.int(text.length + 1);
  switch (what) {
    case 0:
      return Buffer.from(text.slice(0, at));
    case 1:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 2:
      return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80]][rng.int(5)]!), Buffer.from(text.slice(at))]);
    case 3: {
      // A "key": value pair given twice in its object.
      const keys = [...text.matchAll(/"([A-Za-z]+)"\s*:\s*("[^"]*"|-?[0-9.eE+-]+|true|false|null)/g)];
      if (keys.length === 0) return Buffer.from(text);
      const k = keys[rng.int(keys.length)]!;
      const end = k.index + k[0].length;
      return Buffer.from(`${text.slice(0, end)}, ${k[0]}${text.slice(end)}`);
    }
    case 4: {
      const quote = text.indexOf('"', at);
      if (quote < 0) return Buffer.from(text);
      return Buffer.from(`${text.slice(0, quote + 1)}${String.fromCharCode(rng.int(32))}${text.slice(quote + 1)}`);
    }
    case 5:
      return Buffer.from(`${text.slice(0, at)}${pick('{}[]:,"0-eE.\\ntfN', rng)}${text.slice(at + 1)}`);
    case 6:
      return Buffer.from(`${text.slice(0, at)}${['NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x10', '01'][rng.int(7)]}${text.slice(at)}`);
    default:
      return Buffer.from(`${'['.repeat(20_000)}${text}`);
  }
}

/** Says what is wrong with a refusal's line, or undefined when it names where and what to do. */
export function unclear(line: string): string | undefined {
  // A list cut short ("env: … and 28 more problems") follows lines that say them.
  if (/^(\S+: )?… and [\d,]+ more problems?$/.test(line)) return undefined;
  // Where: a JSON path ("agent.alpha: …", "env.mdp.transitions[3][2]: …", "seeds: …", a file
  // first), a field at the top ('unknown field "x"'), the file's line and column, or the whole
  // value ("an experiment must be a JSON object …").
  const where =
    /^(\S+: )?(\$|[A-Za-z_][\w$]*|"[^"]*"|\[\d+\])([.[][^:\s]*)?: /.test(line) ||
    /^(\S+: )?unknown fields? "/.test(line) ||
    /at line \d+, column \d+/.test(line) ||
    /^(\S+: )?an? [a-z ]+ must be/.test(line);
  if (!where) return 'names no JSON path';
  // What to do: a rule the value breaks ("must be", "is required") or a fix after the problem (": give …").
  if (!/must|required|needs|choose|give|remove|use |write|fix|check|set |raise|lower|shorten|save|copy|merge|inline|add |list it|define/.test(line)) return 'gives no fix';
  if (/TypeError|RangeError|SyntaxError|call stack|undefined|\[object Object\]|at Object\.|\.ts:\d+/.test(line)) return 'reads as a crash';
  if (line.length > 2000) return 'is too long to read';
  // The CLI prints a problem a line: one with a line break in it (a key's, a value's) reads as two.
  if (/[\n\r]/.test(line)) return 'breaks its line';
  return undefined;
}

/** The files of one case, by their path under a folder holding experiments/ and shops/ as resources/ does. */
export interface FileCase {
  readonly seed: number;
  /** The experiment file, under experiments/. */
  readonly name: string;
  /** Which file is mutated. */
  readonly target: 'experiment' | 'mdp' | 'catalog';
  /** A value mutation written as JSON, else a byte-level one. */
  readonly viaValue: boolean;
  readonly files: Readonly<Record<string, Buffer>>;
}

/** The case of `seed`: a preset with its experiment, its MDP or its catalog mutated. */
export function fileCase(seed: number): FileCase {
  const rng = new Rng(seed, 13);
  const name = pick(presetNames, rng);
  const target = (['experiment', 'experiment', 'mdp', 'catalog'] as const)[rng.int(4)]!;
  const viaValue = rng.int(3) === 0;
  const file = (text: string, mutated: boolean): Buffer =>
    !mutated ? Buffer.from(text) : viaValue ? Buffer.from(toJson(mutateValue(JSON.parse(text) as unknown, rng))) : mutateText(text, rng);
  return {
    seed,
    name,
    target,
    viaValue,
    files: {
      [`experiments/${name}`]: file(presetText[name]!, target === 'experiment'),
      'experiments/cliff.mdp.json': file(mdpText, target === 'mdp'),
      'shops/online-retail.shop.json': file(catalogText, target === 'catalog'),
    },
  };
}
