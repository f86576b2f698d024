// Seeded fuzzing of logged-data CSV: the Open Bandit sample's first 200 lines (../shared/data, its
// README) damaged byte by byte and field by field by the engine's Rng (unbalanced quotes, cells
// dropped, propensities 0, negative, above 1, NaN or huge, CRLF mixed in, NUL and invalid UTF-8
// bytes, a cut), read as `aisle ope` reads a file (readLogs), as `aisle logs mdp` reads and fits
// one (readLogsToFit, fitSimulator) and as the app reads the text it is sent (textLines,
// parseLogLinesToFit). Each read either succeeds or is refused with a ValidationError whose every
// problem names the file; never another error. A failure names its case's seed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textLines } from '../../src/engine/csv';
import { parseLogLinesToFit, parseTargetRowLines } from '../../src/engine/ope/csv';
import { evaluateTargets } from '../../src/engine/ope/run';
import { fitSimulator } from '../../src/engine/ope/simulator';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { readLogs, readLogsToFit } from '../../src/cli/logged-data';
import { sharedData } from '../helpers/shared-data';
import { tempDir } from '../helpers/tmp';

const REAL = sharedData('open-bandit/obd_events.csv');
const CASES = Number(process.env.AISLE_FUZZ_CASES ?? 150);
const RAW = /Cannot read prop|undefined is not|is not a function|is not iterable|Maximum call stack|Invalid array length|Invalid typed array|of undefined|\[object Object\]/;
/** What a message printed on a terminal must not carry raw: a C0 control but tab and line feed (ESC drives the terminal, NUL hides what follows), DEL, or a bidirectional override. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The sample's first 200 lines (header included), as bytes. */
function sample(): Buffer {
  const text = readFileSync(REAL, 'utf8');
  let end = 0;
  for (let i = 0; i < 200; i++) end = text.indexOf('\n', end) + 1;
  return Buffer.from(text.slice(0, end), 'utf8');
}

const ODD_PROPENSITIES = ['0', '-0.5', '1.5', 'NaN', '1e999', '1e-320', '', 'nan', '0x1', '50%', '"0.5', '1,5', ' 0.5 ', 'Infinity', '1e308', '-0'];
const ODD_CELLS = ['', '"', '""', '"a,b"', '1e999', '-1', '999999999999999999999', 'NaN', '\u0000', 'é', 'a\u202Eb', '"x""y"', '\t', '\u001b[31m7', 'x'.repeat(5000), '1\u00004'];
/** A cell as the bytes of its UTF-8, one latin1 character a byte (the file is mutated as latin1 text). */
const utf8Bytes = (cell: string) => Buffer.from(cell, 'utf8').toString('latin1');

/** One to three damages of the file: a row's cell changed or removed, a quote, a NUL, an invalid byte, a CR, a cut. */
function mutate(bytes: Buffer, rng: Rng): { bytes: Buffer; done: string[] } {
  let text = bytes.toString('latin1'); // byte for byte: a change at a character is a change at a byte
  const done: string[] = [];
  for (let t = 1 + rng.int(3); t > 0; t--) {
    const lines = text.split('\n');
    const l = rng.int(lines.length);
    const cells = lines[l]!.split(',');
    const c = rng.int(cells.length);
    switch (rng.int(9)) {
      case 0:
        cells[6 < cells.length ? 6 : c] = ODD_PROPENSITIES[rng.int(ODD_PROPENSITIES.length)]!;
        done.push(`line ${l + 1} pscore`);
        break;
      case 1:
        cells[c] = utf8Bytes(ODD_CELLS[rng.int(ODD_CELLS.length)]!);
        done.push(`line ${l + 1} cell ${c}`);
        break;
      case 2:
        cells.splice(c, 1);
        done.push(`line ${l + 1} cell ${c} removed`);
        break;
      case 3:
        cells.push('extra');
        done.push(`line ${l + 1} cell added`);
        break;
      case 4:
        cells[c] = `"${cells[c]!}`;
        done.push(`line ${l + 1} quote opened`);
        break;
      default:
        break;
    }
    lines[l] = cells.join(',');
    text = lines.join('\n');
    const at = rng.int(text.length + 1);
    switch (rng.int(8)) {
      case 0:
        text = text.slice(0, at) + '\u0000' + text.slice(at);
        done.push(`NUL at ${at}`);
        break;
      case 1:
        text = text.slice(0, at) + String.fromCharCode(0x80 + rng.int(128)) + text.slice(at); // not UTF-8 alone
        done.push(`byte ≥ 0x80 at ${at}`);
        break;
      case 2:
        text = text.replace(/\n/g, () => (rng.bernoulli(0.3) ? '\r\n' : rng.bernoulli(0.1) ? '\r' : '\n'));
        done.push('line ends mixed');
        break;
      case 3:
        text = text.slice(0, at);
        done.push(`cut at ${at}`);
        break;
      case 4:
        text = `\u00ef\u00bb\u00bf${text}`; // the UTF-8 byte-order mark
        done.push('byte-order mark');
        break;
      default:
        break;
    }
  }
  return { bytes: Buffer.from(text, 'latin1'), done };
}

/** A read's outcome: its value, or its refusal's problems; any other error fails the case. */
async function outcome<T>(read: () => Promise<T> | T, what: string): Promise<{ ok: true; value: T } | { ok: false; problems: readonly string[] }> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw new Error(`${what}: threw ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
    expect(e.problems.length, what).toBeGreaterThan(0);
    for (const p of e.problems) {
      expect(p, what).not.toMatch(RAW);
      expect(p, what).not.toMatch(CONTROL);
      expect(p.length, what).toBeLessThan(2000);
    }
    return { ok: false, problems: e.problems };
  }
}

describe('logged-data CSV, fuzzed', () => {
  it.skipIf(!existsSync(REAL))(`reads or refuses in words each of ${CASES} damaged copies of the Open Bandit sample's first 200 lines (${REAL}; skipped when it is absent)`, async () => {
    const original = sample();
    const dir = tempDir('aisle-logs-fuzz-');
    const file = join(dir, 'fuzz.csv');
    for (let seed = 1; seed <= CASES; seed++) {
      const { bytes, done } = mutate(original, new Rng(seed, 3));
      const what = `seed ${seed} (${done.join('; ')})`;
      writeFileSync(file, bytes);
      const ope = await outcome(() => readLogs(file, 'fuzz.csv'), `${what}: aisle ope`);
      if (!ope.ok) for (const p of ope.problems) expect(p, what).toMatch(/^(fuzz\.csv|--where|holdout)/);
      else {
        // What was read weighs every row by a propensity in (0, 1].
        for (const p of ope.value.propensity) expect(p > 0 && p <= 1, `${what}: propensity ${p}`).toBe(true);
        // And is evaluated, or a target refused in words: the uniform policy, an action the logs may lack, the rows of the logged Thompson sampling.
        const text = bytes.toString('utf8');
        const slice = (where: Readonly<Record<string, string>>) => parseTargetRowLines(textLines(text), 'fuzz.csv', { where });
        for (const spec of [{ kind: 'uniform' }, { kind: 'action', action: '14' }, { kind: 'action', action: 'no such item' }, { kind: 'logs', where: { policy: 'random' } }] as const) {
          await outcome(() => evaluateTargets(ope.value, [spec], slice, { resamples: 20, seed: seed }), `${what}: aisle ope --target ${JSON.stringify(spec)}`);
        }
      }
      const fit = await outcome(async () => fitSimulator(await readLogsToFit(file, 'fuzz.csv')), `${what}: aisle logs mdp`);
      if (!fit.ok) for (const p of fit.problems) expect(p, what).toMatch(/^(fuzz\.csv|--where|holdout)/);
      // The app is sent the text, decoded as UTF-8 (a byte that is not becomes U+FFFD).
      await outcome(async () => fitSimulator(await parseLogLinesToFit(textLines(bytes.toString('utf8')), 'fuzz.csv')), `${what}: the app's fit`);
    }
  });
});
