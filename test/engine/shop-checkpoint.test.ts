/**
 * A shop run's checkpoint holds the run's state, not the shop: the model (catalog, segments,
 * slates, parameters), the choice tables' fixed parts and the exposure window's slates are built
 * from the parameters and never change, so the resumed run's environment, built from the same
 * parameters, has them already. Resumed from such a checkpoint, a run plays on as straight through,
 * bit for bit, tastes drifting and shifting after the pause; a checkpoint written before, which
 * holds the model, still resumes so.
 *
 * The fixtures (test/fixtures/checkpoints/*.aislerun.gz) are run states written by Aisle at
 * dfd88aa8, with the whole model and the window's memory slates included: the runs of OLD_RUNS
 * stopped after episode 17.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ShopEnv } from '../../src/engine/envs/shop/env';
import { decodeRunState, encodeRunState } from '../../src/engine/resume/format';
import { ExposureWindow } from '../../src/engine/envs/shop/metrics';
import { captureState, restoreState, type StateNode, type TypedArray } from '../../src/engine/resume/state-tree';
import { Rng } from '../../src/engine/rng';
import { align } from '../../src/engine/wasm/kernel';
import { prepareRun, train, type RunSpec, type TrainOptions } from '../../src/engine/train';

const shopLarge = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/shop-large.json'), 'utf8')) as { env: RunSpec['env'] };

// Tastes drift every episode and shift at episode 25: the environment's state moves after the pause.
const DRIFT = { id: 'shop', items: 8, categories: 2, maxSteps: 12, driftStd: 0.05, shiftAt: 25, shiftMagnitude: 1 };

const OLD_RUNS: Record<string, RunSpec> = {
  'shop-drift-q-learning': { env: DRIFT, agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 30 } }, episodes: 60, seed: 7, checkpoints: 5 } as unknown as RunSpec,
  'shop-drift-features-linucb': { env: { ...DRIFT, observation: 'vector' }, agent: { id: 'linucb' }, episodes: 60, seed: 7, checkpoints: 5 } as unknown as RunSpec,
};

interface Played {
  readonly rows: number[];
  readonly snapshots: number[];
  readonly result: ReturnType<typeof train>;
}

function play(s: RunSpec, options: TrainOptions, stopAfter?: number): Played {
  const rows: number[] = [];
  const snapshots: number[] = [];
  const result = train(
    s,
    {
      onEpisode: (episode, row) => {
        rows.push(...row);
        return episode !== stopAfter;
      },
      onCheckpoint: (episode, values) => void snapshots.push(episode, ...values.q),
      onWeights: (episode, weights) => void snapshots.push(episode, ...weights.params),
    },
    prepareRun(s),
    options,
  );
  return { rows, snapshots, result };
}

/** The same doubles, bit for bit (NaN equals NaN, +0 and −0 differ). */
function bits(values: readonly number[]): string[] {
  return Array.from(new BigUint64Array(Float64Array.from(values).buffer), (b) => b.toString(16));
}

function expectResumedEqualsStraight(s: RunSpec, first: readonly number[], bytes: Uint8Array): void {
  const straight = play(s, {});
  const second = play(s, { resume: decodeRunState(bytes) });
  expect(second.result.status).toBe('completed');
  expect(bits([...first, ...second.rows])).toEqual(bits(straight.rows));
  expect(bits(second.snapshots)).toEqual(bits(straight.snapshots.slice(straight.snapshots.length - second.snapshots.length)));
  expect(second.result.summary).toEqual(straight.result.summary);
  if (straight.result.values) expect(bits(Array.from(second.result.values!.q))).toEqual(bits(Array.from(straight.result.values.q)));
}

/** The captured fields of `node` (a $fields or $custom node). */
function fieldsOf(node: StateNode | undefined): Record<string, StateNode> {
  const n = node as { $fields?: Record<string, StateNode>; $custom?: { $fields: Record<string, StateNode> } };
  return n.$fields ?? n.$custom!.$fields;
}

/** The bytes of the typed arrays reachable from `o`, each counted once. */
function arrayBytes(o: unknown, seen = new Set<object>()): number {
  if (typeof o !== 'object' || o === null || seen.has(o)) return 0;
  seen.add(o);
  if (ArrayBuffer.isView(o)) return o.byteLength;
  return Object.values(o).reduce((n: number, v) => n + arrayBytes(v, seen), 0);
}

describe("a shop run's checkpoint", () => {
  it('leaves the model, the fixed choice tables and the window\'s slates out (shop-large)', () => {
    const s = { env: shopLarge.env, agent: { id: 'random' }, episodes: 10, seed: 1 } as unknown as RunSpec;
    const prepared = prepareRun(s);
    const state = train(s, { onEpisode: (episode) => episode !== 3 }, prepared, { keepState: true }).state!;
    const model = (prepared.env as ShopEnv).model;
    const env = fieldsOf(state.env);
    expect(Object.keys(env)).not.toContain('model');
    expect(Object.keys(fieldsOf(env.tables))).toEqual(['logAffinity', 'categoryWeight']);
    for (const fixed of ['purchaseGain', 'clickbaitLoss', 'fatigueAfter', 'engagementValues']) expect(Object.keys(env)).not.toContain(fixed);
    // Nor the caches per segment and item: the resumed run computes them again.
    for (const cache of ['clickValues', 'clickValuesStale', 'cart', 'cartVersion']) expect(Object.keys(env)).not.toContain(cache);
    // Drift's state is kept: the affinities and the tables' terms that follow them.
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['affinity', 'stale', 'affinityVersion', 'rng', 'episode']));
    // The window keeps its memory below and above its slates and pair counts, not them.
    const window = fieldsOf(env.window);
    const kept = [window.memory, window.live].reduce((n: number, node) => n + state.blobs[(node as { $blob: number }).$blob]!.byteLength, 0);
    expect(kept).toBe((window.top as number) - align(model.slates.byteLength) - align(model.actions * 4));
  });

  it('is less than a tenth of the slates for a shop of 20,000 items with slates of 100 (they were in it twice)', () => {
    const s = { env: { id: 'shop', items: 20_000, categories: 20, slateSize: 100 }, agent: { id: 'random' }, episodes: 4, seed: 1 } as unknown as RunSpec;
    const prepared = prepareRun(s);
    const result = train(s, { onEpisode: (episode) => episode !== 1 }, prepared, { keepState: true });
    const model = (prepared.env as ShopEnv).model;
    const encoded = encodeRunState(result.state!).length;
    // The slates are 8 MB, the model 8.7 MB: the checkpoint held 19.7 MB (the slates twice, the
    // window's copy among them), now 0.66 MB, mostly the exposure window's counts per item and its ring.
    expect(model.slates.byteLength).toBe(8_000_000);
    expect(encoded).toBeLessThan(model.slates.byteLength / 10);
    expect(encoded).toBeLessThan(arrayBytes(model) / 10);
  });

  it("leaves the slates out of the JavaScript exposure window too (where the kernel does not run), which still resumes", () => {
    const model = (prepareRun({ env: { id: 'shop', items: 30, categories: 3, slateSize: 4 }, agent: { id: 'random' }, episodes: 1, seed: 1 } as unknown as RunSpec).env as ShopEnv).model;
    const make = () => new ExposureWindow(model.category, model.slates, model.slateSize, 5, 2);
    const feed = (w: ExposureWindow, rng: Rng, episodes: number, out: number[]) => {
      for (let e = 0; e < episodes; e++) {
        for (let t = 0, steps = 1 + rng.int(6); t < steps; t++) w.record(rng.int(model.actions), rng.int(31) - 1);
        w.closeEpisode();
        out.push(w.coverage(), w.diversity(), w.gini(), w.novelty(), ...w.exposures);
      }
    };
    const straight: number[] = [];
    feed(make(), new Rng(5, 0), 30, straight);
    const rng = new Rng(5, 0);
    const resumed: number[] = [];
    const first = make();
    feed(first, rng, 4, resumed);
    const blobs: TypedArray[] = [];
    const node = captureState(first, blobs);
    expect(Object.keys(fieldsOf(node))).not.toContain('slates');
    const second = make();
    restoreState(second, node, blobs);
    feed(second, rng, 26, resumed);
    expect(bits(resumed)).toEqual(bits(straight));
  });

  it('resumes a run whose tastes drift and shift after the pause as straight through, bit for bit', () => {
    for (const s of Object.values(OLD_RUNS)) {
      const first = play(s, { keepState: true }, 17);
      const bytes = encodeRunState(first.result.state!);
      expect(fieldsOf(decodeRunState(bytes).env).model).toBeUndefined();
      expectResumedEqualsStraight(s, first.rows, bytes);
    }
  });

  for (const [name, s] of Object.entries(OLD_RUNS)) {
    it(`written by an older Aisle with the model in it still resumes as straight through (${name})`, () => {
      const old = new Uint8Array(gunzipSync(readFileSync(resolve(__dirname, `../fixtures/checkpoints/${name}.aislerun.gz`))));
      const oldState = decodeRunState(old);
      expect(oldState.episode).toBe(18);
      expect(fieldsOf(oldState.env).model, 'the old layout, with the model').toBeDefined();
      const first = play(s, {}, 17);
      expectResumedEqualsStraight(s, first.rows, old);
      // Its state taken again is the new layout's: the same run, without the model.
      const now = encodeRunState(play(s, { keepState: true }, 17).result.state!);
      expect(now.length).toBeLessThan(old.length);
    });
  }
});
