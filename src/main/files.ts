/**
 * Reading user files: JSON with errors that name the file, line and column, size limits that keep
 * hostile input from exhausting memory, and experiment files whose `mdp` paths resolve relative to
 * the experiment.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseExperiment, type Experiment } from '../engine/experiment';
import { ValidationError } from '../engine/params';
import { jsonErrorOffset } from './json-errors';

/** Larger files are refused before reading (an MDP with millions of transitions is ~100 MB). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** "line 3, column 7" for a character offset in a text. */
function lineColumn(text: string, offset: number): string {
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

/** Parses JSON text; a syntax error becomes a ValidationError naming the place and the fix. */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const offset = pos ? Number(pos[1]) : jsonErrorOffset(text);
    const where = offset !== null ? ` at ${lineColumn(text, offset)}` : '';
    const detail = message
      .replace(/^JSON\.parse: /, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '')
      .replace(/, ".*" is not valid JSON$/s, ''); // V8 quotes the text itself: the place is given instead
    throw new ValidationError([`${label}: malformed JSON${where} (${detail}): fix the syntax and try again`]);
  }
}

/** Reads and parses a JSON file, refusing missing, huge or malformed files (or a folder) with one clear line. */
export function readJsonFile(path: string, label = path): unknown {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    throw new ValidationError([`${label}: file not found (${resolve(path)}): check the path`]);
  }
  // Reading a folder would fail with Node's raw "EISDIR: illegal operation on a directory, read".
  if (stat.isDirectory()) throw new ValidationError([`${label}: is a folder (${resolve(path)}): give the path of a JSON file`]);
  if (stat.size > MAX_JSON_BYTES) {
    throw new ValidationError([`${label}: file is ${(stat.size / 1e6).toFixed(0)} MB, above the ${MAX_JSON_BYTES / 1e6} MB limit`]);
  }
  return parseJsonText(readFileSync(path, 'utf8'), label);
}

/** Parses an experiment object whose file parameters resolve relative to `baseDir`. */
export function parseExperimentAt(raw: unknown, baseDir: string): Experiment {
  return parseExperiment(raw, { readJson: (p) => readJsonFile(resolve(baseDir, p), p) });
}

/** Loads, parses and checks an experiment file. Throws ValidationError whose lines start with the file. */
export function loadExperimentFile(path: string): Experiment {
  const raw = readJsonFile(path);
  try {
    return parseExperimentAt(raw, dirname(resolve(path)));
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.problems.map((p) => `${path}: ${p}`));
    throw e;
  }
}
