/**
 * Run again's draft: the stored experiment as the form edits it, under a name of its own (againName,
 * shared with `aisle again`). Run detail's Run again once made one named like its run's experiment.
 */
import { againName } from '../../../shared/again-name';
import { fromExperiment, type Draft } from './draft';

/** What Run again's draft was named from: the stored experiment's name and the names taken then. */
export interface Again {
  readonly name: string;
  readonly taken: readonly string[];
}

/**
 * What Run again opens: the experiment as a draft, named apart from the stored ones (see
 * againName), and what it was named from, for sweepingDraft (undefined for an experiment without
 * a name, left unnamed).
 */
export function againStart(config: unknown, taken: Iterable<string>): { draft: Draft; again: Again | undefined } {
  const draft = fromExperiment(config);
  if (typeof draft.name !== 'string' || draft.name.trim() === '') return { draft, again: undefined };
  const again = { name: draft.name, taken: [...taken] };
  return { draft: { ...draft, name: againName(again.name, again.taken) }, again };
}

/**
 * Run again's draft as a sweep or a random search launches it: the draft is named when it opens,
 * before a sweep is chosen, so a name againDraft gave it (one the user kept) is given again as
 * `aisle again` gives a sweeping repeat's, without the values of the search that made the stored
 * name ("cliff (alpha=0.413)" gives "cliff (2)", whose experiments the sweep names "cliff (2)
 * (alpha=0.444)", not "cliff (alpha=0.413) (2) (alpha=0.444)"). A name the user typed is kept.
 */
export function sweepingDraft(draft: Draft, again: Again | undefined): Draft {
  if (again === undefined || draft.name !== againName(again.name, again.taken)) return draft;
  return { ...draft, name: againName(again.name, again.taken, true) };
}
