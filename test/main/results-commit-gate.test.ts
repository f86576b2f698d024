// A results import or export stopped from another thread (the CLI's Ctrl-C) is either stopped before
// its commit (nothing imported, no file) or, once past it, finished: never reported stopped when done.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { behaviourConfig } from '../../src/engine/experiment';
import { configHash } from '../../src/main/hash';
import { importResultsFileInWorker } from '../../src/main/jobs/run-in-worker';
import { newCommitGate, pastCommit, stopBeforeCommit, StoppedAtGateError } from '../../src/main/results/commit-gate';
import { exportResults } from '../../src/main/results/export';
import { importResults } from '../../src/main/results/import';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

const WORKER = path.resolve(__dirname, '../../out/main/worker.js');

let dir: string;
let home: Store;
let away: Store;
let file: string;

beforeEach(() => {
  dir = tempDir();
  home = Store.open(path.join(dir, 'home.db'));
  away = Store.open(path.join(dir, 'away.db'));
  const config = { name: 'e', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [] };
  home.createExperimentWithRuns({ name: 'e', config, configHash: configHash(behaviourConfig(config)), source: 'form', runs: [] });
  file = path.join(dir, 'e.aisle-results');
  exportResults(home, [1], file, 'home.db');
});

afterEach(() => {
  home.close();
  away.close();
});

const experiments = () => away.db.prepare('SELECT count(*) FROM experiments').pluck().get();

it('an import stopped before its commit rolls back', () => {
  const gate = newCommitGate();
  expect(stopBeforeCommit(gate)).toBe(true);
  expect(() => importResults(away, file, { gate })).toThrow(StoppedAtGateError);
  expect(experiments()).toBe(0);
});

it('an import past its commit declines a stop, and is done', () => {
  const gate = newCommitGate();
  expect(importResults(away, file, { gate }).experiments[0]!.alreadyImported).toBe(false);
  expect(pastCommit(gate)).toBe(true);
  expect(stopBeforeCommit(gate)).toBe(false);
  expect(experiments()).toBe(1);
});

it('an export stopped before its rename writes nothing', () => {
  const gate = newCommitGate();
  stopBeforeCommit(gate);
  const out = path.join(dir, 'out.aisle-results');
  expect(() => exportResults(home, [1], out, 'home.db', gate)).toThrow(StoppedAtGateError);
  expect(fs.readdirSync(dir).filter((n) => n.startsWith('out.'))).toEqual([]);
});

it("the worker the CLI's import runs in honours the gate", async () => {
  const gate = newCommitGate();
  stopBeforeCommit(gate);
  await expect(importResultsFileInWorker(WORKER, path.join(dir, 'away.db'), file, { gate })).rejects.toThrow(/stopped before its commit/);
  expect(experiments()).toBe(0);
});
