/**
 * `npm run bench shop`: the shop presets' step cost against seed-toy's, both with the uniform random
 * agent, each workload served by a Node process of its own (`bench.js --random-agent-runs`).
 * `npm run bench shop-configs` (asked for by name only): the steps/s of the configurations in
 * docs/shop-simulator.md's "Speed" table, the same way.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRun, train, type RunSpec, type TrainOptions, type TrainResult } from '../engine/train';
import { median } from '../engine/stats/quantile';
import { seedToySpec, timeIt } from './bench-tabular';

export interface BenchShopContext {
  /** The repository (resources/experiments holds the shop presets). */
  readonly root: string;
  /** The built bench.js, forked with --random-agent-runs for each workload. */
  readonly benchPath: string;
  readonly quick: boolean;
  readonly emit: (line: Record<string, unknown>) => void;
}

/** A shop preset's environment (resources/experiments) with the uniform random agent. */
function shopSpec(root: string, preset: string, episodes: number, seed: number): RunSpec {
  const experiment = JSON.parse(readFileSync(join(root, 'resources', 'experiments', `${preset}.json`), 'utf8')) as { env: RunSpec['env'] };
  return { env: experiment.env, agent: { id: 'random' }, episodes, seed, checkpoints: 0 };
}

/** The shops of docs/shop-simulator.md's "Speed" table: the default shop and what it varies. */
export const SHOP_SPEED_CONFIGS: Readonly<Record<string, RunSpec['env']>> = {
  defaults: { id: 'shop' },
  'slateSize 3': { id: 'shop', slateSize: 3 },
  'exact true': { id: 'shop', exact: true },
  'observation vector': { id: 'shop', observation: 'vector' },
  '1,000 items, 20 categories': { id: 'shop', items: 1000, categories: 20 },
  '1,000 items, 20 categories, slates of 5, vector': { id: 'shop', items: 1000, categories: 20, slateSize: 5, observation: 'vector' },
  '1,000 items, 20 categories, driftStd 0.05': { id: 'shop', items: 1000, categories: 20, driftStd: 0.05 },
};

/** The random-agent workloads the shop measures run: seed-toy, the shop presets and the Speed table's shops. */
function randomAgentWorkloads(root: string): Record<string, (seed: number, scale: number) => RunSpec> {
  const configs = Object.entries(SHOP_SPEED_CONFIGS).map(([name, env]) => [
    `shop ${name}`,
    (seed: number, scale: number): RunSpec => ({ env, agent: { id: 'random' }, episodes: Math.round(20_000 * scale), seed, checkpoints: 0 }),
  ]);
  return {
    'seed-toy': (seed, scale) => ({ ...seedToySpec(Math.round(20_000 * scale), seed), agent: { id: 'random' } }),
    'shop-fatigue': (seed, scale) => shopSpec(root, 'shop-fatigue', Math.round(50_000 * scale), seed),
    'shop-large': (seed, scale) => shopSpec(root, 'shop-large', Math.round(60_000 * scale), seed),
    ...(Object.fromEntries(configs) as Record<string, (seed: number, scale: number) => RunSpec>),
  };
}

/** One timed run's figures. */
interface RandomAgentRun {
  readonly rate: number;
  readonly stepsPerEpisode: number;
}

/**
 * `bench.js --random-agent-runs <workload> <scale>`: a process that serves one workload. It warms
 * up (a run that compiles and tiers up its loop), says 'ready', then answers each message with one
 * timed run of a fresh seed on the JavaScript loop: steps/s and steps per episode. Each run's
 * environment and agent are built before its clock starts (building a shop, its catalog, users and
 * choice tables, takes 1–3 ms once per run, not per step).
 */
export function randomAgentRunsChild(root: string): void {
  const [, , , workload, scale] = process.argv;
  const make = randomAgentWorkloads(root)[workload!];
  if (!make) throw new Error(`unknown workload ${workload}`);
  const js: TrainOptions = { backend: 'js' };
  train(make(100, Number(scale)), {}, undefined, js);
  let seed = 0;
  process.on('message', () => {
    const spec = make(seed++, Number(scale));
    const prepared = prepareRun(spec);
    let result: TrainResult | undefined;
    const ms = timeIt(() => (result = train(spec, {}, prepared, js)));
    const run: RandomAgentRun = { rate: result!.steps / (ms / 1000), stepsPerEpisode: result!.steps / result!.episodes };
    process.send!(run);
  });
  process.send!('ready');
}

/** A process serving a workload's timed runs (see randomAgentRunsChild), and a way to ask it for one. */
async function randomAgentServer(benchPath: string, workload: string, scale: number): Promise<{ run: () => Promise<RandomAgentRun>; close: () => void }> {
  const child = fork(benchPath, ['--random-agent-runs', workload, String(scale)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const reply = () =>
    new Promise<unknown>((res, rej) => {
      const onExit = (code: number | null) => rej(new Error(`measuring ${workload}: its process exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        res(m);
      });
    });
  await reply(); // 'ready'
  return {
    run: async () => {
      const answer = reply();
      child.send('go');
      return (await answer) as RandomAgentRun;
    },
    close: () => child.kill(),
  };
}

/**
 * The shop against seed-toy, both with the uniform random agent on the JavaScript loop (seed-toy's
 * WebAssembly kernel covers only the tabular learners), so the ratio compares the environments'
 * step costs: shop-fatigue (exact mode, category actions, 2-item slates) and shop-large (1,000
 * items, item actions, sparse clicks). Each workload runs in a Node process of its own, so that
 * neither is run by code V8 optimised for the other (a training loop that has seen two
 * environment classes dispatches between them). The processes stay up and take turns, one short
 * run (~0.1 s) at a time: seed-toy, then each shop, round after round, each shop run's ratio taken
 * against the mean of the seed-toy runs just before and just after it, and the median over the
 * rounds reported. This VM's speed moves between states that last seconds and differ by up to
 * 1.7× (seen here: a shop loop at 3.3M steps/s and at 6.4M in the same process, with no
 * recompilation between); runs a second or more apart, as separate processes per measure were,
 * compare one state against another.
 */
export async function benchShop({ benchPath, quick, emit }: BenchShopContext): Promise<void> {
  const rounds = quick ? 3 : 25;
  const scale = quick ? 0.2 : 1;
  const presets = ['shop-fatigue', 'shop-large'] as const;
  const servers = new Map<string, Awaited<ReturnType<typeof randomAgentServer>>>();
  try {
    for (const w of ['seed-toy', ...presets]) servers.set(w, await randomAgentServer(benchPath, w, scale));
    const seedToyRun = async () => (await servers.get('seed-toy')!.run()).rate;
    const reference: number[] = [];
    const rates: Record<string, number[]> = { 'shop-fatigue': [], 'shop-large': [] };
    const ratios: Record<string, number[]> = { 'shop-fatigue': [], 'shop-large': [] };
    const stepsPerEpisode: Record<string, number> = {};
    let before = await seedToyRun();
    for (let round = 0; round < rounds; round++) {
      // The order of the shops alternates, so that neither always follows seed-toy directly.
      const order = round % 2 === 0 ? presets : [...presets].reverse();
      const shop: Record<string, RandomAgentRun> = {};
      for (const preset of order) shop[preset] = await servers.get(preset)!.run();
      const after = await seedToyRun();
      reference.push(before);
      for (const preset of presets) {
        rates[preset]!.push(shop[preset]!.rate);
        ratios[preset]!.push(shop[preset]!.rate / ((before + after) / 2));
        stepsPerEpisode[preset] = shop[preset]!.stepsPerEpisode;
      }
      before = after;
    }
    for (const preset of presets) {
      const ratio = median(ratios[preset]!);
      emit({
        bench: 'shop-random-vs-seed-toy',
        unit: 'steps/s',
        preset,
        agent: 'random',
        backend: 'js',
        aisle: Math.round(median(rates[preset]!)),
        reference: Math.round(median(reference)),
        referenceName: 'seed-toy 10x5 with the random agent, JavaScript loop (a process per workload, runs interleaved)',
        ratio: Number(ratio.toFixed(3)),
        ratioRange: [Number(Math.min(...ratios[preset]!).toFixed(3)), Number(Math.max(...ratios[preset]!).toFixed(3))],
        rounds,
        stepsPerEpisode: Number(stepsPerEpisode[preset]!.toFixed(1)),
        goal: '>= 0.3x',
        met: ratio >= 0.3,
      });
    }
  } finally {
    for (const server of servers.values()) server.close();
  }
}

/**
 * The steps/s of each shop in SHOP_SPEED_CONFIGS with the uniform random agent on the JavaScript
 * loop (the session's metrics read after every session, as in training): one process per shop, as
 * benchShop's, and the median of its timed runs (~0.1 s each) with their range. Absolute rates, so
 * they move with the machine's load: note it beside them.
 */
export async function benchShopConfigs({ benchPath, quick, emit }: BenchShopContext): Promise<void> {
  const runs = quick ? 3 : 15;
  const scale = quick ? 0.2 : 1;
  for (const name of Object.keys(SHOP_SPEED_CONFIGS)) {
    const server = await randomAgentServer(benchPath, `shop ${name}`, scale);
    try {
      const rates: number[] = [];
      let stepsPerEpisode = 0;
      for (let i = 0; i < runs; i++) {
        const run = await server.run();
        rates.push(run.rate);
        stepsPerEpisode = run.stepsPerEpisode;
      }
      emit({
        bench: 'shop-steps',
        unit: 'steps/s',
        config: name,
        agent: 'random',
        backend: 'js',
        aisle: Math.round(median(rates)),
        range: [Math.round(Math.min(...rates)), Math.round(Math.max(...rates))],
        runs,
        stepsPerEpisode: Number(stepsPerEpisode.toFixed(1)),
      });
    } finally {
      server.close();
    }
  }
}
