// A lab service on a fresh temporary database with the real worker pool, called exactly as the
// doors call it (dispatch: schema first, then the handler), recording every pushed event.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import { dispatch } from '../../src/shared/dispatch';
import type { CommandInput, CommandName, CommandOutput, ContractError, EventName, EventPayloads } from '../../src/shared/contract';
import { AisleService } from '../../src/main/service';
import { Store } from '../../src/main/store';
import { tempDir } from './tmp';

export const WORKER = resolve(__dirname, '../../out/main/worker.js');
export const CLIFF_MDP_TEXT = readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8');
export const CLIFF_MDP: unknown = JSON.parse(CLIFF_MDP_TEXT);

/** A small cliff-walking experiment with the MDP inline, as the form sends it. */
export function cliff(overrides: Record<string, unknown> = {}, agent: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'aisle.experiment/v1',
    name: 'cliff q-learning',
    env: { id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 200 },
    agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1, ...agent },
    episodes: 300,
    seeds: 3,
    checkpoints: 4,
    ...overrides,
  };
}

export interface Pushed {
  event: EventName;
  payload: unknown;
  at: number;
}

export interface TestService {
  readonly store: Store;
  readonly service: AisleService;
  readonly dbPath: string;
  readonly events: Pushed[];
  /** Calls a command and returns its value; a contract error fails the test with its message. */
  call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandOutput<K>>;
  /** Calls a command that must fail; returns its contract error. */
  fail(name: string, input: unknown): Promise<ContractError>;
  /** Resolves with the run.status event of each run once every one has one of `statuses`. */
  until(runIds: readonly number[], statuses?: readonly string[]): Promise<EventPayloads['run.status'][]>;
  close(): Promise<void>;
}

/** `busyTimeoutMs`: the store's (see Store.open); lowered where a test locks the database. */
/** `dbPath`: a database the test wrote first (default: a fresh one). */
export function openService(options: { workers?: number; flushMs?: number; busyTimeoutMs?: number; dbPath?: string } = {}): TestService {
  const dbPath = options.dbPath ?? join(tempDir('aisle-service-'), 'aisle.db');
  const store = Store.open(dbPath, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
  const service = new AisleService({ store, workerPath: WORKER, workers: options.workers ?? 2, door: 'browser', dbPath, ...(options.flushMs ? { flushMs: options.flushMs } : {}) });
  const events: Pushed[] = [];
  const statuses = new Map<number, EventPayloads['run.status'][]>();
  const waiters = new Set<() => void>();
  service.on((event, payload) => {
    events.push({ event, payload, at: performance.now() });
    if (event !== 'run.status') return;
    const status = payload as EventPayloads['run.status'];
    statuses.set(status.runId, [...(statuses.get(status.runId) ?? []), status]);
    for (const w of [...waiters]) w();
  });
  return {
    store,
    service,
    dbPath,
    events,
    async call(name, input) {
      const reply = await dispatch(service.handlers, name, input);
      if (!reply.ok) throw new Error(`${name} failed (${reply.error.status}): ${reply.error.message}`);
      return reply.value as CommandOutput<typeof name>;
    },
    async fail(name, input) {
      const reply = await dispatch(service.handlers, name, input);
      if (reply.ok) throw new Error(`${name} was expected to fail but returned ${JSON.stringify(reply.value).slice(0, 200)}`);
      return reply.error;
    },
    until(runIds, wanted = ['completed', 'failed', 'cancelled']) {
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => {
          const missing = runIds.filter((id) => !statuses.get(id)?.some((s) => wanted.includes(s.status)));
          reject(new Error(`${missing.length} runs (${missing.slice(0, 5).join(', ')}…) did not reach ${wanted.join('/')} in time`));
        }, 50_000);
        let next = 0; // runs before it have reached a wanted status
        const check = () => {
          while (next < runIds.length && statuses.get(runIds[next]!)?.some((s) => wanted.includes(s.status))) next++;
          if (next === runIds.length) {
            const reached = runIds.map((id) => statuses.get(id)!.find((s) => wanted.includes(s.status)));
            waiters.delete(check);
            clearTimeout(timer);
            resolvePromise(reached as EventPayloads['run.status'][]);
          }
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      await service.close();
      store.close();
    },
  };
}

/**
 * An opener of services (one worker each, on a fresh database or `dbPath`) that the calling test
 * file closes after each test: call it at the file's top level, where vitest takes the hook.
 */
export function closedAfterEach(): (dbPath?: string) => TestService {
  const open: TestService[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  return (dbPath) => {
    const t = openService({ workers: 1, ...(dbPath ? { dbPath } : {}) });
    open.push(t);
    return t;
  };
}

/** An experiment of `seeds` cliff runs of 10 episodes, a checkpoint each, launched and waited for. */
export async function finishedCliff(t: TestService, name: string, seeds = 1): Promise<{ experimentId: number; runIds: readonly number[] }> {
  const launched = await t.call('experiments.launch', { experiment: cliff({ name, episodes: 10, seeds, checkpoints: 1 }) });
  await t.until(launched.runIds);
  return launched;
}
