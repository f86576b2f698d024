/**
 * New experiment's check cycle: experiments.validate on the draft and its sweep 200 ms after the
 * last edit. Each answer carries the key of what it checked, so the screen acts only on the answer
 * about the draft on screen; an answer that comes back after a newer check started is dropped.
 */
import { useEffect, useRef, useState } from 'react';
import { errorText, useClient } from '../api';
import type { Client } from '../../../shared/client';
import type { ExperimentCheck } from '../../../shared/dto';
import { fileReference } from '../../../shared/inline-files';
import type { Draft } from './draft';
import { withHeldAs, type HeldFile } from './held-files';
import type { sweepOf } from './sweep-section';

export interface Validation {
  readonly key: string;
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Valid but probably not meant (see experimentWarnings): shown, launching still allowed. */
  readonly warnings: readonly string[];
  readonly runs: number;
  /** Episodes per run as the service read the draft (its default when the field is empty). */
  readonly episodes: number;
  /** With a sweep: how many experiments it launches (`runs` then counts all of theirs). */
  readonly experiments?: number;
  /** Why the draft's fittedTo no longer applies (its env is not the one fitted, see fitted-env.ts), when it does not. */
  readonly fitDropped?: string;
}

/** The sweep as the service takes it: each parameter with its values. */
export type Sweep = ReturnType<typeof sweepOf>['sweep'];

/**
 * What the service checks: the draft and the sweep's values (not the rows' text as typed), as one
 * key. `draftText` is the draft's draftKeyText, its large inline files named by their digests: the
 * key of a form holding a 20,000-state MDP is a few hundred characters, made anew at each edit.
 */
export function checkKeyOf(draftText: string, sweep: Sweep, paired = false): string {
  return `{"draft":${draftText},"sweep":${JSON.stringify(sweep)}${paired ? ',"paired":true' : ''}}`;
}

/** The digests of the files each service (client) was sent in a check: it keeps them (see experiments.validate's heldFiles). */
const sentFiles = new WeakMap<Client, Set<string>>();

/**
 * experiments.validate on the draft, its large inline files (`held`) named by digest; each file is
 * sent with the first check that names it, and again when the service says it does not hold it
 * (restarted, or it kept other tabs' files since): an MDP crosses once, not at every check.
 */
export async function checkDraft(client: Client, draft: Draft, held: readonly HeldFile[], sweep: Sweep, paired = false): Promise<ExperimentCheck> {
  const sent = sentFiles.get(client) ?? new Set<string>();
  sentFiles.set(client, sent);
  const experiment = withHeldAs(draft, held, (h) => fileReference(h.measure.digest));
  const send = async (all: boolean) => {
    const files = held.filter((h) => all || !sent.has(h.measure.digest));
    const r = await client.call('experiments.validate', {
      experiment,
      ...(sweep.length > 0 ? { sweep, ...(paired ? { paired } : {}) } : {}),
      // The draft holds its inline MDP, which the reply would otherwise carry back whole. Its
      // experiment then lacks env's files (ExperimentWithoutFiles): the form reads only its counts.
      withoutFiles: true,
      ...(files.length > 0 ? { heldFiles: Object.fromEntries(files.map((h) => [h.measure.digest, h.file])) } : {}),
    });
    for (const h of files) sent.add(h.measure.digest);
    return r;
  };
  const r = await send(false);
  return !r.ok && (r.unheldFiles ?? []).length > 0 ? send(true) : r;
}

/**
 * The last answer, about `checkKey` or an earlier one (kept while the next is checked); null before
 * the first. `draft`, `held` (its heldFiles) and `sweep` are what `checkKey` was made of.
 */
export function useValidation(checkKey: string, draft: Draft, held: readonly HeldFile[], sweep: Sweep, paired = false): Validation | null {
  const client = useClient();
  const [validation, setValidation] = useState<Validation | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const timer = setTimeout(() => {
      const mine = ++seq.current;
      checkDraft(client, draft, held, sweep, paired)
        .then(
          (r) =>
            mine === seq.current &&
            setValidation({
              key: checkKey,
              ok: r.ok,
              problems: r.ok ? [] : r.problems,
              warnings: r.ok ? r.warnings : [],
              runs: r.ok ? (r.sweep?.runs ?? r.experiment.seeds.length) : 0,
              episodes: r.ok ? r.experiment.episodes : 0,
              ...(r.ok && r.sweep ? { experiments: r.sweep.experiments } : {}),
              ...(r.ok && r.fitDropped !== undefined ? { fitDropped: r.fitDropped } : {}),
            }),
        )
        .catch((e: unknown) => mine === seq.current && setValidation({ key: checkKey, ok: false, problems: [errorText(e)], warnings: [], runs: 0, episodes: 0 }));
    }, 200);
    return () => clearTimeout(timer);
    // The key changes with what draft and sweep hold (and only then): a new object of the same draft is not checked again.
  }, [client, checkKey]);
  return validation;
}
