/**
 * Run again's draft: the stored experiment as the form edits it, under a name of its own (againName,
 * shared with `aisle again`). Run detail's Run again once made one named like its run's experiment.
 */
import { againName } from '../../../shared/again-name';
import { fromExperiment, type Draft } from './draft';

/**
 * What Run again opens: the experiment as a draft, named apart from the stored ones (see
 * againName; an experiment without a name is left unnamed). Launched as a sweep or a search, the
 * draft's name is its experiments' too, with their values set in the list it ends in (sweptName).
 */
export function againStart(config: unknown, taken: Iterable<string>): Draft {
  const draft = fromExperiment(config);
  if (typeof draft.name !== 'string' || draft.name.trim() === '') return draft;
  return { ...draft, name: againName(draft.name, taken) };
}
