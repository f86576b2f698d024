/**
 * `aisle results` in the app: experiments exported to an aisle.results/v1 file handed back as
 * bytes to save, and a picked file's bytes imported (src/main/results does the work in both doors).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { exportResults } from '../results/export';
import { RESULTS_EXTENSION } from '../results/format';
import { importResults } from '../results/import';
import { inScratchFolder } from '../results/scratch';
import { recoverDeadOwners, type ServiceContext } from './context';

type ResultsHandlers = Pick<Handlers, 'experiments.exportResults' | 'experiments.importResults'>;

export function resultsHandlers(ctx: ServiceContext): ResultsHandlers {
  const { store } = ctx;
  return {
    'experiments.exportResults': ({ ids }) => {
      // A run a dead process left 'running' is interrupted, not training: it does not hold the export up.
      recoverDeadOwners(ctx);
      return inScratchFolder((folder) => {
        const file = join(folder, `results${RESULTS_EXTENSION}`);
        const { experiments } = exportResults(store, ids, file, store.db.name);
        const first = experiments[0]!;
        const fileName = `${experiments.length === 1 ? `experiment-${first.id}` : `experiments-${experiments.map((e) => e.id).join('-')}`}${RESULTS_EXTENSION}`;
        return { fileName: fileName.length > 100 ? `experiments${RESULTS_EXTENSION}` : fileName, base64: readFileSync(file).toString('base64'), experiments };
      });
    },

    'experiments.importResults': ({ base64, fileName }) =>
      inScratchFolder((folder) => {
        const file = join(folder, `picked${RESULTS_EXTENSION}`);
        writeFileSync(file, Buffer.from(base64, 'base64'));
        const imported = importResults(store, file, { shownAs: fileName });
        for (const e of imported.experiments) if (!e.alreadyImported) ctx.emit('experiments.changed', { experimentId: e.id });
        // A policy whose file was here already is not stored again: the Policies screen has nothing new.
        if (imported.experiments.some((e) => e.policies.some((p) => !p.alreadyStored))) ctx.emit('policies.changed', {});
        return imported;
      }),
  };
}
