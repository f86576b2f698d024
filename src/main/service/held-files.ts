/**
 * Large inline files (an MDP) that the app's form sent to experiments.validate once, kept by the
 * digest the form names them with, so that its next checks send `{ "$inlineFile": digest }` in the
 * file's place rather than megabytes at every edit. The last few sent are kept; the one least
 * recently used goes first.
 */
import { fileReferencesOf } from '../../shared/inline-files';
import { isObject } from '../../shared/values';

/** Files kept at most: a form's MDP, with room for another tab's or window's. */
export const HELD_FILES = 4;

export interface Resolved {
  /** The experiment with every file it names and that is held put in its place. */
  readonly experiment: unknown;
  /** The file parameters (env.mdp) naming a digest that is not held, with it. */
  readonly unheld: readonly { readonly path: string; readonly digest: string }[];
}

export interface HeldFiles {
  /** Keeps the files `sent` (digest → file), then resolves the experiment's file references against those kept. */
  resolve(experiment: unknown, sent?: Readonly<Record<string, unknown>>): Resolved;
}

export function heldFiles(capacity = HELD_FILES): HeldFiles {
  const kept = new Map<string, unknown>();
  /** Marks the digest's file as just used (a Map iterates in insertion order: the first is the least recently used). */
  const use = (digest: string, file: unknown) => {
    kept.delete(digest);
    kept.set(digest, file);
    for (const oldest of kept.keys()) {
      if (kept.size <= capacity) break;
      kept.delete(oldest);
    }
  };
  return {
    resolve(experiment, sent = {}) {
      for (const [digest, file] of Object.entries(sent)) use(digest, file);
      if (!isObject(experiment)) return { experiment, unheld: [] };
      const unheld: { path: string; digest: string }[] = [];
      let out: Record<string, unknown> = experiment;
      for (const { which, key, digest } of fileReferencesOf(experiment)) {
        if (!kept.has(digest)) {
          unheld.push({ path: `${which}.${key}`, digest });
          continue;
        }
        const file = kept.get(digest);
        use(digest, file);
        out = { ...out, [which]: { ...(out[which] as Record<string, unknown>), [key]: file } };
      }
      return { experiment: out, unheld };
    },
  };
}
