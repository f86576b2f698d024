// `aisle runs` offered `aisle resume` for an interrupted run whose worker had died twice from its
// last autosave as for any other, though resuming it as it is would most likely die there again:
// its line now says how many times, and that `aisle show` says what to try (the run's error). So
// for a run whose whole process stopped there more than once (recovery's words).
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { runsCommand } from '../../src/cli/inspect';
import { diedAgainMessage } from '../../src/main/jobs/worker-deaths';
import { Store } from '../../src/main/store';
import { processStoppedMessage } from '../../src/main/store/sessions';
import { seedToyQLearning, storeOneRun } from '../helpers/one-run';
import { tempDir } from '../helpers/tmp';

afterEach(() => vi.restoreAllMocks());

it("names a worker's repeated deaths from the autosave an interrupted run continues from, and where to read what to try", () => {
  const db = join(tempDir(), 'aisle.db');
  const store = Store.open(db);
  const reason = 'the training worker exited unexpectedly (code 3)';
  const errors = [
    `${reason}; it continues from its last autosave, at episode 1,200: resume it (Resume in the app, \`aisle resume 1\` in a terminal)`,
    diedAgainMessage(reason, 2, 1200, 2),
    diedAgainMessage(reason, 3, 1200, 3),
    // Its whole process stopped (recovery's words), once, then twice from there.
    processStoppedMessage(4, 1200, null),
    processStoppedMessage(5, 1200, processStoppedMessage(5, 1200, null)),
  ];
  for (const [i, error] of errors.entries()) {
    const runId = storeOneRun(store, `run ${i + 1}`, seedToyQLearning({ episodes: 5000, seed: i }));
    store.markRunning(runId);
    store.appendMetrics(runId, { start: 0, count: 1500, columns: { return: new Float32Array(1500) } });
    store.autosaveRun(runId, { episode: 1200, data: Uint8Array.of(1, 2, 3) });
    store.finishRun(runId, 'interrupted', { error });
  }
  store.close();
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
  expect(runsCommand({ db })).toBe(0);
  const resume = (id: number) => `run ${id} was interrupted: it continues from its last autosave, at episode 1,200: \`aisle --db ${db} resume ${id}\``;
  expect(out).toContain(`${resume(1)}\n`);
  expect(out).toContain(`${resume(2)}; its worker has died twice from there, and \`aisle --db ${db} show 2\` says what to try first\n`);
  expect(out).toContain(`${resume(3)}; its worker has died 3 times from there, and \`aisle --db ${db} show 3\` says what to try first\n`);
  expect(out).toContain(`${resume(4)}\n`);
  expect(out).toContain(`${resume(5)}; the process running it stopped twice from there, and \`aisle --db ${db} show 5\` says what to check first\n`);
});
