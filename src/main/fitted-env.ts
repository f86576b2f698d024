/**
 * Keeping an experiment's `fittedTo` true: a simulator experiment records the fingerprint hash of
 * the environment fitted (fittedTo.envHash), and an env edited since (in the JSON view, on a
 * duplicate, in the file by hand) is another environment, fitted to none of those rows.
 */
import { EXPERIMENT_FORMAT, parseExperiment, type Experiment } from '../engine/experiment';
import { fitApplies } from '../engine/ope/fitted-rows';
import { SIMULATOR_AGENT, simulatorEnv } from '../engine/ope/simulator';
import type { MdpFile } from '../engine/mdp/format';
import { fingerprintOf, fingerprintsOf } from './service/configs';

/** The fingerprint hash of simulatorEnv on `mdp` as an experiment holds it once read (every default filled): what its fittedTo records. */
export function simulatorEnvHash(mdp: MdpFile): string {
  const { env } = parseExperiment({ format: EXPERIMENT_FORMAT, name: 'simulator', env: simulatorEnv(mdp), agent: SIMULATOR_AGENT });
  return fingerprintOf(env).hash;
}

/**
 * The experiment without a fittedTo recorded for another environment than its env, and the
 * warning that says so (none when nothing was dropped). A fittedTo without envHash is kept.
 */
export function withoutStaleFit(experiment: Experiment): { experiment: Experiment; dropped?: string } {
  const { fittedTo, ...rest } = experiment;
  if (fittedTo?.envHash === undefined) return { experiment };
  const envHashes = envHashesOf(experiment.env);
  if (fitApplies(fittedTo, envHashes)) return { experiment };
  const envHash = envHashes[0]!;
  return {
    experiment: rest,
    dropped:
      `fittedTo: no longer applies: it records the rows of ${fittedTo.logs} a simulator was fitted to, and env is no longer that simulator ` +
      `(its fingerprint ${envHash.slice(0, 12)}… is not the fitted ${fittedTo.envHash.slice(0, 12)}…), so it was not copied: the policies learned here will not carry it. ` +
      'Remove fittedTo from the experiment, or fit the simulator again to train on it',
  };
}

/**
 * The last environment hashed, as JSON, and its hashes. The form checks its draft at every edit,
 * mostly of other fields than env, and fingerprintsOf builds the environment (~0.4 s for a
 * simulator of 100k transitions, on the thread that answers the app).
 */
let lastHashed: { readonly text: string; readonly hashes: readonly string[] } | undefined;

/** The fingerprint hashes of the environment, this version's first (see fingerprintsOf). */
function envHashesOf(env: Experiment['env']): readonly string[] {
  const text = JSON.stringify(env);
  if (lastHashed?.text !== text) lastHashed = { text, hashes: fingerprintsOf(env).map((f) => f.hash) };
  return lastHashed.hashes;
}
