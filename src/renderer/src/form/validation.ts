/**
 * New experiment's check cycle: experiments.validate on the draft and its sweep 200 ms after the
 * last edit. Each answer carries the key of what it checked, so the screen acts only on the answer
 * about the draft on screen; an answer that comes back after a newer check started is dropped.
 */
import { useEffect, useRef, useState } from 'react';
import { errorText, useClient } from '../api';
import type { Draft } from './draft';
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

/** What the service checks: the draft and the sweep's values (not the rows' text as typed), as one key. */
export function checkKeyOf(draft: Draft, sweep: Sweep): string {
  return JSON.stringify({ draft, sweep });
}

/** The last answer, about `checkKey` or an earlier one (kept while the next is checked); null before the first. */
export function useValidation(checkKey: string): Validation | null {
  const client = useClient();
  const [validation, setValidation] = useState<Validation | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const timer = setTimeout(() => {
      const mine = ++seq.current;
      const checked = JSON.parse(checkKey) as { draft: Draft; sweep: Sweep };
      // withoutFiles: the draft holds its inline MDP, which the reply would otherwise carry back whole.
      // Its experiment then lacks env's files (ExperimentWithoutFiles): only its counts are read here.
      client
        .call('experiments.validate', { experiment: checked.draft, ...(checked.sweep.length > 0 ? { sweep: checked.sweep } : {}), withoutFiles: true })
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
  }, [client, checkKey]);
  return validation;
}
