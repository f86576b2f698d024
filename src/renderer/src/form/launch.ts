/**
 * New experiment's Launch: one experiment, or a sweep's experiments, launched from the draft on
 * screen, and a Launch pressed while that draft is still being checked, kept until the check answers.
 */
import { useEffect, useState } from 'react';
import { useClient } from '../api';
import { href, navigate } from '../router';
import type { Draft } from './draft';
import { forgetDraft } from './kept-draft';
import type { Sweep, Validation } from './validation';

interface LaunchInput {
  readonly draft: Draft;
  readonly sweep: Sweep;
  /** A random search's draws: experiment t takes the t-th value of every field. */
  readonly paired: boolean;
  /** The imported experiment file's (or preset's) name, stored with the experiment. */
  readonly source: string | undefined;
  /** Run again's draft: launched as a repeat, its name checked again where it is stored (experiments.launch's `repeat`). */
  readonly repeat: boolean;
  /** Where the draft is kept for the tab: forgotten once launched. */
  readonly draftKey: string;
  readonly checkKey: string;
  readonly validation: Validation | null;
  /** Text in a field or the JSON view that does not parse: nothing launches while it is there. */
  readonly blocking: boolean;
  /** Focus for the element with this id once the next render is in place. */
  readonly focusNext: (id: string) => void;
}

export function useLaunch({ draft, sweep, paired, source, repeat, draftKey, checkKey, validation, blocking, focusNext }: LaunchInput) {
  const client = useClient();
  const [launching, setLaunching] = useState(false);
  const [launchError, setLaunchError] = useState<unknown>(null);
  /** A Launch pressed while the draft was being checked: the draft it was for, and the notes shown before that check. */
  const [pending, setPending] = useState<{ key: string; seen: readonly string[] } | null>(null);
  /** The draft whose check held a pressed Launch back with notes the user had not seen. */
  const [heldFor, setHeldFor] = useState<string | null>(null);

  const launch = async () => {
    setLaunching(true);
    setLaunchError(null);
    try {
      const from = { ...(source ? { source } : {}), ...(repeat ? { repeat } : {}) };
      if (sweep.length > 0) {
        const r = await client.call('experiments.launchSweep', { experiment: draft, sweep, ...(paired ? { paired } : {}), ...from });
        forgetDraft(draftKey);
        // The sweep's experiments side by side, each a group of its seeds' runs.
        navigate(href('compare', { experiments: r.experiments.map((e) => e.experimentId) }));
      } else {
        const r = await client.call('experiments.launch', { experiment: draft, ...from });
        forgetDraft(draftKey);
        navigate(href('runs', { experiment: r.experimentId }));
      }
    } catch (e) {
      setLaunchError(e);
      setLaunching(false);
    }
  };

  const current = validation !== null && validation.key === checkKey;
  /**
   * Launch acts on the check of the draft on screen, never on the last one's answer. Pressed while
   * that check is under way (an edit a moment ago), the press is kept and goes ahead when the check
   * answers ok with no note the user has not already seen; new notes (a shiftAt past the last
   * episode, a dropped fittedTo) or problems are shown instead, and Launch waits for another press.
   * A kept press rather than a blocked button: a keyboard user who Tabs from a field to Launch and
   * presses Enter at once launches with that one press, as a mouse user's click does. (Enter in a
   * field does not launch: the form is not a <form>.) An edit after the press drops it: it was for
   * another draft.
   */
  const pressLaunch = () => {
    if (current) return void launch();
    setPending({ key: checkKey, seen: validation?.ok ? validation.warnings : [] });
  };
  useEffect(() => {
    if (pending === null) return;
    if (pending.key !== checkKey) return setPending(null);
    if (!current) return;
    setPending(null);
    const unseen = validation.warnings.some((w) => !pending.seen.includes(w)) || validation.fitDropped !== undefined;
    if (validation.ok && !blocking && !unseen) return void launch();
    if (validation.ok && !blocking) return setHeldFor(checkKey);
    // Launch is disabled now: its focus (or focus it already dropped to <body>) goes to the count of problems, which leads to them.
    const focused = document.activeElement;
    if (focused === null || focused === document.body || focused.id === 'launch') focusNext('problem-count');
  }, [pending, checkKey, current, validation, blocking]);

  return { launching, launchError, waiting: pending !== null, heldFor, pressLaunch };
}
