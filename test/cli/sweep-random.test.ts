// `aisle run --sample path=distribution --trials n`: a random search, its values drawn by the engine's
// seeded generator (the same command twice gives the same experiments), each checked before any is stored.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleValues } from '../../src/engine/sweep-sample';
import { Store } from '../../src/main/store';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const cliffMdp = join(ROOT, 'resources/experiments/cliff.mdp.json');

/** A fresh folder with a database path and a short cliff-walking Q-learning experiment in it. */
function cliff(): { db: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'exp.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'aisle.experiment/v1',
      name: 'cliff',
      env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 50 },
      agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 },
      episodes: 5,
      seeds: 1,
    }),
  );
  return { db: join(dir, 'a.db'), file };
}

function stored(db: string): { name: string; agent: Record<string, unknown> }[] {
  if (!existsSync(db)) return [];
  const store = Store.open(db, { reader: true });
  try {
    return store.listExperiments().map((e) => ({ name: e.name, agent: (e.config as { agent: Record<string, unknown> }).agent }));
  } finally {
    store.close();
  }
}

const SEARCH = ['--sample', 'agent.alpha=log:0.001:1', '--sample', 'agent.epsilon=uniform:0.01:0.3', '--sample', 'agent.gamma=choice:0.9,0.99', '--trials', '4'];

describe('aisle run --sample', () => {
  it('draws the same experiments on two databases, named by their values, as the engine sampler draws them', () => {
    const first = cliff();
    const second = cliff();
    for (const { db, file } of [first, second]) {
      const r = aisle(['run', file, ...SEARCH, '--search-seed', '11', '--workers', '1', '--set', 'episodes=3'], { db });
      expect(r.code, r.stderr).toBe(0);
      // The comparison a grid sweep prints, printed here too.
      expect(r.stdout).toMatch(/settings that differ: agent\.alpha, agent\.gamma, agent\.epsilon/);
    }
    const experiments = stored(first.db);
    expect(stored(second.db)).toEqual(experiments);
    const [alpha, epsilon, gamma] = sampleValues(
      [
        { kind: 'log', lo: 0.001, hi: 1 },
        { kind: 'uniform', lo: 0.01, hi: 0.3 },
        { kind: 'choice', texts: ['0.9', '0.99'], values: [0.9, 0.99] },
      ],
      4,
      11,
    );
    expect(experiments.map((e) => [e.agent.alpha, e.agent.epsilon, e.agent.gamma])).toEqual([0, 1, 2, 3].map((t) => [alpha![t], epsilon![t], gamma![t]]));
    expect(experiments.map((e) => e.name)).toEqual([0, 1, 2, 3].map((t) => `cliff (alpha=${alpha![t]}, epsilon=${epsilon![t]}, gamma=${gamma![t]})`));
    // Another search seed, other experiments; no seed, the documented default (0).
    const other = cliff();
    expect(aisle(['run', other.file, ...SEARCH, '--search-seed', '12', '--episodes', '1', '--workers', '1'], { db: other.db }).code).toBe(0);
    expect(stored(other.db).map((e) => e.agent.alpha)).not.toEqual(experiments.map((e) => e.agent.alpha));
  });

  it.each([
    [['--sample', 'agent.alpha=uniform:0.5:2', '--trials', '4'], '--sample agent.alpha=uniform:0.5:2: the upper bound 2 is outside the field\'s range: keep the bounds inside it (agent.alpha: must be a number in (0, 1], got 2)'],
    [['--sample', 'agent.alpha=log:0.01:1', '--set', 'agent.epsilon=0.1,0.2', '--trials', '4'], '--set agent.epsilon=0.1,0.2 with --sample: a random search takes one value per --set'],
    [['--sample', 'agent.alpha=log:0:1', '--trials', '4'], 'log-uniform needs a lower bound above 0'],
    [['--sample', 'agent.alpha=uniform:0.5:0.1', '--trials', '4'], 'the lower bound 0.5 must be below the upper bound 0.1'],
    [['--sample', 'agent.alpha=log:0.01:1', '--trials', '65'], '--trials must be a whole number from 1 to 64, got "65"'],
    // The limit said as the search's, where it said "from 1 to 1000000".
    [['--sample', 'agent.alpha=log:0.01:1', '--trials', '0'], '--trials must be a whole number from 1 to 64, got "0"'],
    [['--sample', 'agent.alpha=log:0.01:1'], 'give the number of experiments to draw with --trials'],
    [['--trials', '3'], '--trials is the number of experiments of a random search'],
    [['--sample', 'agent.alpha=log:0.01:1', '--set', 'agent.alpha=0.2', '--trials', '3'], '--set agent.alpha and --sample agent.alpha both set agent.alpha'],
    [['--sample', 'agent.alhpa=uniform:0.1:1', '--trials', '3'], '--sample agent.alhpa=uniform:0.1:1: agent.alhpa: agent q-learning has no parameter "alhpa"'],
    [['--sample', 'episodes=int:0:5', '--trials', '3'], "--sample episodes=int:0:5: the lower bound 0 is outside the field's range"],
    // A field the experiment does not have, wrong whatever is drawn: said as the --sample typed, not as a --set of its draws.
    [['--sample', 'seedz=int:1:5', '--trials', '2'], '--sample seedz=int:1:5: unknown field "seedz" (did you mean "seeds"?)'],
    // Every trial draws a combination of its own: more trials than there are would repeat one.
    [['--sample', 'agent.gamma=choice:0.9,0.99', '--sample', 'env.maxSteps=int:10:11', '--trials', '5'], 'aisle: --trials 5 asks for more trials than the 4 distinct combinations of --sample agent.gamma=choice:0.9,0.99 --sample env.maxSteps=int:10:11: give --trials 4 or fewer'],
  ])('refuses %j with exit 2 and stores nothing', (args, message) => {
    const { db, file } = cliff();
    const r = aisle(['run', file, ...args], { db });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n').filter((line) => line.startsWith('aisle:'))).toHaveLength(1);
    expect(stored(db)).toEqual([]);
  });

  it('draws over a stored experiment with aisle again, a single --set kept fixed', () => {
    const { db, file } = cliff();
    expect(aisle(['run', file, '--workers', '1'], { db }).code).toBe(0);
    const r = aisle(['again', '1', '--sample', 'agent.alpha=log:0.01:1', '--trials', '2', '--set', 'agent.epsilon=0.2', '--workers', '1'], { db });
    expect(r.code, r.stderr).toBe(0);
    const [alpha] = sampleValues([{ kind: 'log', lo: 0.01, hi: 1 }], 2, 0);
    expect(stored(db).slice(1).map((e) => [e.name, e.agent.alpha, e.agent.epsilon])).toEqual(alpha!.map((a) => [`cliff (2) (alpha=${a})`, a, 0.2]));
    // One trial is still a draw: its name says the value drawn (the first of the two above), numbered past the search's "cliff (2)".
    expect(aisle(['again', '1', '--sample', 'agent.alpha=log:0.01:1', '--trials', '1', '--workers', '1'], { db }).code).toBe(0);
    expect(stored(db).at(-1)!.name).toBe(`cliff (3) (alpha=${alpha![0]})`);
    // A search over a searched experiment: its name's old draw gives way to the new one, not kept before it.
    expect(aisle(['again', '2', '--sample', 'agent.alpha=log:0.01:1', '--trials', '1', '--search-seed', '1', '--workers', '1'], { db }).code).toBe(0);
    const [again] = sampleValues([{ kind: 'log', lo: 0.01, hi: 1 }], 1, 1);
    expect(stored(db).at(-1)!.name).toBe(`cliff (4) (alpha=${again![0]})`);
  });
});
