/**
 * Runs whose results wait for a database another process (`aisle run`, a second window) is
 * writing to: asked once when the page opens, then followed from the `run.storage` pushes. Held
 * above the screens, so a run that started waiting while another screen was open still says so
 * when its page is opened. While this app's own results import holds the database, the notice
 * names it instead (the service says who writes when it is this app).
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../api';
import { StatusLine } from './status-line';

export const DATABASE_WAIT_NOTICE = 'Waiting for the database: another Aisle process is writing. Training goes on; results are stored when it is done.';

/** The notice for a run waiting for `writer` ("this app is importing results (night.aisle-results)"), or for another process when not said. */
export function databaseWaitNotice(writer: string | undefined): string {
  return writer === undefined ? DATABASE_WAIT_NOTICE : `Waiting for the database: ${writer}. Training goes on; results are stored when it is done.`;
}

/** The runs that wait, each with who writes when the service knows it (undefined: another process). */
type Waiting = ReadonlyMap<number, string | undefined>;

const WaitingContext = createContext<Waiting>(new Map());

/** `waiting` with `runId` waiting for `writer`, or no longer waiting: the same map when that changes nothing. */
function withRun(waiting: Waiting, runId: number, now: boolean, writer: string | undefined): Waiting {
  if (now ? waiting.has(runId) && waiting.get(runId) === writer : !waiting.has(runId)) return waiting;
  const next = new Map(waiting);
  if (now) next.set(runId, writer);
  else next.delete(runId);
  return next;
}

export function DatabaseWaitsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [waiting, setWaiting] = useState<Waiting>(new Map());
  useEffect(() => {
    // Runs the pushes have told about since the last ask: newer than its answer.
    let told = new Set<number>();
    const unsubscribe = client.on('run.storage', ({ runId, waiting: now, writer }) => {
      told.add(runId);
      setWaiting((runs) => withRun(runs, runId, now, writer));
    });
    // Asked once events flow, and again each time the connection comes back: runs that started (or
    // stopped) waiting before this page listened (a reload, a second window), or while the
    // connection was lost, were told to no one here. The answer is every run that waits.
    const ask = () => {
      told = new Set();
      client
        .call('runs.waitingForDatabase', {})
        .then((asked) =>
          setWaiting((runs) => {
            const next = new Map(asked.filter((r) => !told.has(r.runId)).map((r) => [r.runId, r.writer] as const));
            for (const [runId, writer] of runs) if (told.has(runId)) next.set(runId, writer);
            return next;
          }),
        )
        .catch((e: unknown) => console.error('aisle: could not ask which runs wait for the database:', e));
    };
    // Electron's IPC is up from the start and says nothing of its state.
    if (client.door === 'electron') ask();
    const stop = client.onConnection((now) => now === 'up' && ask());
    return () => {
      unsubscribe();
      stop();
    };
  }, [client]);
  return <WaitingContext.Provider value={waiting}>{children}</WaitingContext.Provider>;
}

/** The notice for the run while its results wait for the database, else null. */
export function useDatabaseWait(runId: number): string | null {
  const waiting = useContext(WaitingContext);
  return waiting.has(runId) ? databaseWaitNotice(waiting.get(runId)) : null;
}

/**
 * The notice on a run's page, in a status that is there before it: a run starts waiting while its
 * page is open, and a status that comes with its text is not reliably read.
 */
export function DatabaseWaitNotice({ runId }: { runId: number }) {
  return <StatusLine text={useDatabaseWait(runId)} className="database-wait" testId="database-wait" />;
}

/** The notice in a table's status cell: short, with the whole sentence on hover and for screen readers. */
export function DatabaseWaitMark({ runId }: { runId: number }) {
  const notice = useDatabaseWait(runId);
  if (notice === null) return null;
  return (
    <span className="database-wait small" title={notice} aria-label={notice} data-testid="database-wait">
      waiting for the database
    </span>
  );
}
