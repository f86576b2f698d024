// What the Runs screen's Cancel and Delete say of the selected runs.
import { describe, expect, it } from 'vitest';
import { runWords } from '../../src/renderer/src/components/runs-selection';
import { counted } from '../../src/shared/text';

describe('runWords', () => {
  it('groups large counts, as the selection line does', () => {
    expect(runWords(1000)).toEqual({ cancel: 'Cancel 1,000 runs', delete: 'Delete 1,000 runs', cancelAndDelete: 'Cancel and delete 1,000 runs' });
    expect(runWords(1).cancel).toBe('Cancel 1 run');
    expect(counted(12_000, 'experiment')).toBe('12,000 experiments');
  });
});
