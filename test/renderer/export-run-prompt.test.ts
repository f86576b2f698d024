// The Policies screen's export picker prompted "pick a completed run…" above a list that offers
// paused, cancelled and interrupted runs too (EXPORTABLE_RUNS: what they learned up to their last
// checkpoint exports), found driving the screen in the browser mode. Its prompt names every status
// the list offers, in the words of the line shown when it offers none ("No finished or stopped runs…").
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/shared/dto';
import { EXPORT_RUN_PROMPT, EXPORTABLE_RUNS } from '../../src/renderer/src/screens/policies';

/** The word that covers a status in the app's text; a queued, running or failed run is neither (and not offered). */
const WORD: Record<RunStatus, string | undefined> = { completed: 'finished', paused: 'stopped', cancelled: 'stopped', interrupted: 'stopped', queued: undefined, running: undefined, failed: undefined };

describe('the Policies export picker’s prompt', () => {
  it('names each kind of run the picker offers, not only completed ones', () => {
    const offered = EXPORTABLE_RUNS.status ?? [];
    expect(offered.length).toBeGreaterThan(1);
    for (const status of offered) {
      const word = WORD[status];
      expect(word, `${status} runs are offered`).toBeDefined();
      expect(EXPORT_RUN_PROMPT, `${status} runs are offered`).toContain(word);
    }
  });
});
