/**
 * Runs whose results wait for a database another process (`aisle run`, a second window) is
 * writing to: asked once when the page opens, then followed from the `run.storage` pushes. Held
 * above the screens, so a run that started waiting while another screen was open still says so
 * when its page is opened.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../api';
import { withMember } from '../sets';

export const DATABASE_WAIT_NOTICE = 'Waiting for the database: another Aisle process is writing. Training goes on; results are stored when it is done.';

const WaitingContext = createContext<ReadonlySet<number>>(new Set());

export function DatabaseWaitsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [waiting, setWaiting] = useState<ReadonlySet<number>>(new Set());
  useEffect(() => {
    // Runs the pushes have told about since subscribing: newer than the answer to the ask below.
    const told = new Set<number>();
    const unsubscribe = client.on('run.storage', ({ runId, waiting: now }) => {
      told.add(runId);
      setWaiting((runs) => withMember(runs, runId, now));
    });
    // Runs that started waiting before this page opened (a reload, a second window) were told before it listened.
    client
      .call('runs.waitingForDatabase', {})
      .then((runIds) => setWaiting((runs) => new Set([...runs, ...runIds.filter((id) => !told.has(id))])))
      .catch((e: unknown) => console.error('aisle: could not ask which runs wait for the database:', e));
    return unsubscribe;
  }, [client]);
  return <WaitingContext.Provider value={waiting}>{children}</WaitingContext.Provider>;
}

export function useWaitingForDatabase(runId: number): boolean {
  return useContext(WaitingContext).has(runId);
}

/** The notice on a run's page. */
export function DatabaseWaitNotice({ runId }: { runId: number }) {
  if (!useWaitingForDatabase(runId)) return null;
  return (
    <p className="database-wait" role="status" data-testid="database-wait">
      {DATABASE_WAIT_NOTICE}
    </p>
  );
}

/** The notice in a table's status cell: short, with the whole sentence on hover and for screen readers. */
export function DatabaseWaitMark({ runId }: { runId: number }) {
  if (!useWaitingForDatabase(runId)) return null;
  return (
    <span className="database-wait small" title={DATABASE_WAIT_NOTICE} aria-label={DATABASE_WAIT_NOTICE} data-testid="database-wait">
      waiting for the database
    </span>
  );
}
