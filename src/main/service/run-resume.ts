/** Pausing and resuming runs from the app (src/main/resume.ts does the work, for the CLI too). */
import type { Handlers } from '../../shared/contract';
import { whyNotCancelled } from '../../shared/text';
import { pauseRun, resumeRun } from '../resume';
import { recoverDeadOwners, type ServiceContext } from './context';
import { trainedElsewhere } from './runs';

type ResumeHandlers = Pick<Handlers, 'runs.pause' | 'runs.resume'>;

export function resumeHandlers(ctx: ServiceContext): ResumeHandlers {
  const { store, lab } = ctx;
  return {
    'runs.pause': ({ id }) => {
      recoverDeadOwners(ctx); // a run left running by a process that died is interrupted, not another's to pause
      const elsewhere = trainedElsewhere(ctx);
      // Another process's run is that process's to pause (Ctrl-C in `aisle run` keeps its checkpoint).
      pauseRun(store, lab.pool, id, (run) => (elsewhere(run) ? whyNotCancelled([run]) : null));
      return { runId: id };
    },

    'runs.resume': ({ id }) => {
      recoverDeadOwners(ctx);
      const resumed = resumeRun(store, lab.pool, id);
      ctx.adoptRun(resumed.runId, resumed.experimentId);
      ctx.emit('run.status', { runId: id, experimentId: resumed.experimentId, status: 'queued' });
      return resumed;
    },
  };
}
