/**
 * Run again's draft: the stored experiment as the form edits it, under a name of its own (againName,
 * shared with `aisle again`). Run detail's Run again once made one named like its run's experiment.
 */
import { againName } from '../../../shared/again-name';
import { fromExperiment, type Draft } from './draft';

/** The draft Run again opens: the experiment, named apart from the stored ones (see againName). */
export function againDraft(config: unknown, taken: Iterable<string>): Draft {
  const draft = fromExperiment(config);
  return typeof draft.name === 'string' && draft.name.trim() !== '' ? { ...draft, name: againName(draft.name, taken) } : draft;
}
