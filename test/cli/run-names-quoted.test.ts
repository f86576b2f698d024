// `aisle run`'s lines that name an experiment (its progress header, a sweep's summary heading, the
// line of a lone experiment whose runs were all deleted meanwhile) quote its name as the other
// commands do (quoted: a quote and a backslash in it escaped, and the control characters
// JSON.stringify leaves raw, DEL, the C1 controls, U+202E): the progress header and the heading
// wrote it between bare quotes, where `say "hi"` read as `"say "hi""`, and the deleted line with
// JSON.stringify, which left U+202E to reverse the rest of the line.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { showProgress } from '../../src/cli/run-progress';
import { experimentSummaryText, printSweep, type RunReport } from '../../src/cli/run-summary';
import type { Experiment } from '../../src/engine/experiment';
import type { Lab } from '../../src/main/lab';
import type { Store } from '../../src/main/store';

const NAME = 'say "hi" a\u202Eb';
const SHOWN = '"say \\"hi\\" a\\u202eb"';

const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
afterEach(() => {
  vi.restoreAllMocks();
  if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
  else delete (process.stderr as { isTTY?: boolean }).isTTY;
});

function written(stream: NodeJS.WriteStream): string[] {
  const chunks: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return chunks;
}

describe("an experiment's name in aisle run's lines", () => {
  it('is quoted in the progress header', () => {
    const lines = written(process.stderr);
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const experiment = { name: NAME, episodes: 100, seeds: [0] } as unknown as Experiment;
    showProgress({ pool: new EventEmitter() } as unknown as Lab, [{ experimentId: 1, runIds: [1], experiment, values: '' }]);
    expect(lines[0]).toBe(`experiment 1 ${SHOWN}: 1 run × 100 episodes\n`);
  });

  it("is quoted in a sweep's heading", () => {
    const out = written(process.stdout);
    const report = { experimentId: 2, runs: [] } as unknown as RunReport;
    printSweep(undefined as unknown as Store, [report], new Map([[2, NAME]]), true, {});
    expect(out.join('')).toContain(`\nexperiment 2 ${SHOWN}\n`);
  });

  it('is quoted in the line of a lone experiment whose runs were deleted meanwhile', () => {
    const report = { experimentId: 3, runs: [], deletedRuns: [7] } as unknown as RunReport;
    expect(experimentSummaryText(report, NAME, 400)).toBe(
      `experiment 3 ${SHOWN}: its run 7 was deleted by another process (\`aisle delete\`, or the app) once finished, while this one trained: no summary to print\n`,
    );
  });
});
