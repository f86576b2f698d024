/**
 * The WebAssembly fast path of tabular training. The kernel, built from ./assembly (rng, envs,
 * agents, loop) into ./generated at install and build time, plays seed-toy or tabular-mdp episodes
 * with Q-learning, SARSA, Expected SARSA or Double Q-learning draw for draw and bit for bit as the
 * JavaScript classes do: those stay the reference implementation, and
 * test/engine/wasm-tabular.test.ts holds the two equal. This module loads the kernel, copies a
 * prepared run's environment and agent into its linear memory, runs chunks of episodes, and copies
 * the learning state back into the agent. train.ts decides when to use it.
 */
import type { Agent } from '../agent';
import { TabularAgent, type TabularLearningState } from '../agents/tabular';
import type { Env } from '../env';
import { SeedToyEnv } from '../envs/seed-toy';
import { TabularMdpEnv } from '../envs/tabular-mdp';
import { tabularKernel } from './generated/tabular.wasm';
import { compileKernel, type CompiledModule } from './kernel';

/** Rule ids of assembly/agents.ts. */
const RULES: Readonly<Record<string, number>> = { 'q-learning': 0, sarsa: 1, 'expected-sarsa': 2, 'double-q-learning': 3 };

/** What the kernel writes per episode: return, length, train/epsilon (train.ts's row for these runs). */
export const KERNEL_METRICS = ['return', 'length', 'train/epsilon'] as const;

/** The kernel draws integers as (u · n) >> 32, which equals Rng.int's form only for n ≤ 2^21 (assembly/rng.ts). */
const MAX_DRAW_RANGE = 2 ** 21;

interface KernelExports {
  readonly memory: WebAssembly.Memory;
  allocate(bytes: number): number;
  envRngAt(): number;
  agentRngAt(): number;
  agentEpisode(): number;
  agentEpsilon(): number;
  useSeedToy(states: number, actions: number, stepsPerEpisode: number): void;
  useTabularMdp(states: number, actions: number, maxSteps: number, offsets: number, next: number, cumProb: number, reward: number, startCum: number, terminal: number): void;
  useAgent(rule: number, actions: number, alpha: number, gamma: number, epsStart: number, epsEnd: number, decayEpisodes: number, q: number, q2: number, scratch: number, episode: number): void;
  useColumns(at: number, episodes: number): void;
  run(maxEpisodes: number, stepBudget: number, metrics: number): number;
  save(to: number, tables: number, tableBytes: number): void;
  restore(from: number, tables: number, tableBytes: number): void;
}

let compiled: CompiledModule | string | undefined;

/** The compiled kernel, or why there is none. Compiled once per thread, on first use. */
export function tabularKernelModule(): WebAssembly.Module | string {
  compiled ??= compileKernel(tabularKernel, 'tabular', { heapBase: false });
  return typeof compiled === 'string' ? compiled : compiled.module;
}

export interface KernelOptions {
  /** Most episodes per chunk (the size of the metrics buffer). */
  readonly chunkEpisodes: number;
  /** Whether {@link TabularKernel.save} will be used (it needs a copy of the tables). */
  readonly snapshots: boolean;
}

/**
 * One run's kernel instance: the environment's dynamics, the agent's tables, generators and ε
 * schedule in linear memory. The agent object is the source of the starting state (its tables,
 * generator and schedule position, as the JS loop would find them) and receives the final state
 * from {@link writeBack}. The environment's generator is copied in at the start and back at
 * writeBack; nothing else of the environment object changes between episodes (a reset draws anew).
 */
export class TabularKernel {
  /** The metrics of the last chunk: episode i's return, length and ε at [3i], [3i + 1], [3i + 2]. */
  readonly metrics: Float64Array;
  /** The same metrics rounded to float32, a column each (return, length, ε), episode i at [i]. */
  readonly columns: readonly Float32Array[];
  private readonly agentRng: Int32Array;
  private readonly envRng: Int32Array;
  private readonly tableViews: Float64Array[];
  private readonly startEpisode: number;

  private constructor(
    private readonly x: KernelExports,
    private readonly agent: TabularAgent,
    private readonly env: SeedToyEnv | TabularMdpEnv,
    learning: TabularLearningState,
    private readonly tables: number,
    /** Bytes of the agent's tables in the kernel (what {@link save} copies). */
    readonly tableBytes: number,
    private readonly metricsAt: number,
    private readonly snapshotAt: number,
    chunkEpisodes: number,
    columnsAt: number,
  ) {
    const buffer = x.memory.buffer; // allocation is over: the memory no longer grows, views stay valid
    this.metrics = new Float64Array(buffer, metricsAt, KERNEL_METRICS.length * chunkEpisodes);
    this.columns = KERNEL_METRICS.map((_, m) => new Float32Array(buffer, columnsAt + 4 * chunkEpisodes * m, chunkEpisodes));
    this.agentRng = new Int32Array(buffer, x.agentRngAt(), 4);
    this.envRng = new Int32Array(buffer, x.envRngAt(), 4);
    const entries = learning.states * learning.actions;
    this.tableViews = learning.tables.map((_, k) => new Float64Array(buffer, tables + 8 * entries * k, entries));
    this.startEpisode = learning.episode;
  }

  /**
   * A kernel for this environment and agent, seeded as train.ts seeds the environment, or a
   * sentence saying why the run needs the JavaScript path.
   */
  static open(env: Env, agent: Agent, seed: number, options: KernelOptions): TabularKernel | string {
    if (!(agent instanceof TabularAgent) || RULES[agent.id] === undefined) return `agent ${agent.id} has no WebAssembly kernel`;
    if (!(env instanceof SeedToyEnv) && !(env instanceof TabularMdpEnv)) return `environment ${env.id} has no WebAssembly kernel`;
    const learning = agent.learningState();
    const states = env instanceof SeedToyEnv ? env.states : env.mdp.states;
    const actions = env instanceof SeedToyEnv ? env.actions : env.mdp.actions;
    if (learning.states !== states || learning.actions !== actions) return 'the agent was built for other spaces than the environment';
    if (states > MAX_DRAW_RANGE || actions > MAX_DRAW_RANGE) return `more than ${MAX_DRAW_RANGE} states or actions`;
    if (env.episodeMetricNames.length > 0 || agent.episodeMetricNames.join() !== 'train/epsilon') return 'the run reports metrics the kernel does not';
    // seed-toy × Q-learning's loop relies on Q-values that are never NaN (assembly/seed-toy-q.ts)
    if (learning.tables.some((table) => !table.every(Number.isFinite))) return 'the agent\'s tables hold a value that is not finite';
    const module = tabularKernelModule();
    if (typeof module === 'string') return module;
    try {
      const abort = () => {
        throw new RangeError('the kernel ran out of memory');
      };
      const x = new WebAssembly.Instance(module, { env: { abort } }).exports as unknown as KernelExports;
      const allocate = (bytes: number) => x.allocate(bytes) >>> 0; // an address (u32; JS sees i32)
      const entries = states * actions;
      const tableBytes = 8 * entries * learning.tables.length;
      const tables = allocate(tableBytes);
      const scratch = allocate(8 * actions);
      const metricsAt = allocate(8 * KERNEL_METRICS.length * options.chunkEpisodes);
      const columnsAt = allocate(4 * KERNEL_METRICS.length * options.chunkEpisodes);
      const snapshotAt = options.snapshots ? allocate(40 + tableBytes) : 0;
      const mdp = env instanceof TabularMdpEnv ? copyMdp(x, allocate, env) : null;

      const buffer = x.memory.buffer;
      learning.tables.forEach((table, k) => new Float64Array(buffer, tables + 8 * entries * k, entries).set(table));
      // A fresh run's environment has no generator yet (train.ts seeds it at episode 0, as this
      // does); a resumed run's holds where the paused one stood.
      env.generator(seed).saveState(new Int32Array(buffer, x.envRngAt(), 4));
      learning.rng.saveState(new Int32Array(buffer, x.agentRngAt(), 4));
      if (env instanceof SeedToyEnv) x.useSeedToy(states, actions, env.stepsPerEpisode);
      else x.useTabularMdp(states, actions, env.maxSteps, ...mdp!);
      const eps = learning.epsilon;
      const [epsStart, epsEnd, decay] = typeof eps === 'number' ? [eps, eps, 0] : [eps.start, eps.end, eps.decayEpisodes];
      const q2 = learning.tables.length > 1 ? tables + 8 * entries : tables;
      x.useAgent(RULES[agent.id]!, actions, learning.alpha, learning.gamma, epsStart, epsEnd, decay, tables, q2, scratch, learning.episode);
      x.useColumns(columnsAt, options.chunkEpisodes);
      return new TabularKernel(x, agent, env, learning, tables, tableBytes, metricsAt, snapshotAt, options.chunkEpisodes, columnsAt);
    } catch (e) {
      return `the run does not fit the WebAssembly kernel (${e instanceof Error ? e.message : String(e)})`;
    }
  }

  /**
   * Plays up to `maxEpisodes` episodes (at most the chunk size), stopping early once `stepBudget`
   * steps are taken (checked between episodes). Returns how many it played; their metrics are in
   * {@link metrics}.
   */
  run(maxEpisodes: number, stepBudget: number): number {
    return this.x.run(maxEpisodes, stepBudget, this.metricsAt);
  }

  /** Remembers the learning state (tables, both generators, schedule position) between episodes. */
  save(): void {
    this.x.save(this.snapshotAt, this.tables, this.tableBytes);
  }

  /** Returns to the state of the last {@link save}. */
  restore(): void {
    this.x.restore(this.snapshotAt, this.tables, this.tableBytes);
  }

  /**
   * Copies the tables, the agent's generator and its schedule position back into the agent, and
   * the environment's generator into the environment (a paused run's checkpoint takes them there).
   */
  writeBack(): void {
    const learning = this.agent.learningState();
    learning.tables.forEach((table, k) => table.set(this.tableViews[k]!));
    learning.rng.loadState(this.agentRng);
    this.env.generator(0).loadState(this.envRng);
    const episode = this.x.agentEpisode();
    if (episode !== this.startEpisode) this.agent.resume(episode, this.x.agentEpsilon());
  }
}

/** Copies tabular-mdp's compiled arrays into the kernel; returns their addresses in useTabularMdp's order. */
function copyMdp(x: KernelExports, allocate: (bytes: number) => number, env: TabularMdpEnv): [number, number, number, number, number, number] {
  const { mdp, startCum } = env;
  const at = [mdp.offsets, mdp.next, mdp.cumProb, mdp.reward, startCum, mdp.terminal].map((a) => allocate(a.byteLength));
  const buffer = x.memory.buffer;
  new Int32Array(buffer, at[0], mdp.offsets.length).set(mdp.offsets);
  new Int32Array(buffer, at[1], mdp.next.length).set(mdp.next);
  new Float64Array(buffer, at[2], mdp.cumProb.length).set(mdp.cumProb);
  new Float64Array(buffer, at[3], mdp.reward.length).set(mdp.reward);
  new Float64Array(buffer, at[4], startCum.length).set(startCum);
  new Uint8Array(buffer, at[5], mdp.terminal.length).set(mdp.terminal);
  return at as [number, number, number, number, number, number];
}
