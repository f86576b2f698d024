/**
 * Exploration schedules. `epsilon` is a constant or a linear decay from `start` to `end` over
 * `decayEpisodes` episodes, then held at `end` (the schedule in Mnih et al. 2015, per episode).
 */
import * as z from 'zod';
import { decimal, formatIssues, numberSchema, plural, showJson, thousands } from './params';

export const epsilonSchedule = z
  .object({
    start: numberSchema({ min: 0, max: 1, describe: 'Exploration rate at the first episode.' }),
    end: numberSchema({ min: 0, max: 1, describe: 'Exploration rate after the decay.' }),
    decayEpisodes: numberSchema({ int: true, min: 1, describe: 'Episodes over which epsilon falls linearly from start to end.' }),
  })
  .strict();

export type EpsilonSchedule = z.output<typeof epsilonSchedule>;

/** Epsilon field: a probability of a random action, or a linear schedule. */
export function epsilonParam(def: number, describe = 'Probability of a uniformly random action (ε-greedy), or a schedule { start, end, decayEpisodes }.') {
  return z
    .union([numberSchema({ min: 0, max: 1, describe: 'Constant exploration rate.' }), epsilonSchedule], { error: (iss) => epsilonProblem(iss.input) })
    .default(def)
    .describe(describe);
}

/**
 * What an ε field says of a value neither a number nor an object (a text, true, null), or of an
 * object that is no schedule: a number out of [0, 1] is the constant's own to refuse (zod gives the
 * union's message only when no branch takes the value's type). The form's check of a sweep's values
 * (form/sweep-checks.ts) says it too.
 */
export function epsilonProblem(value: unknown): string {
  return scheduleProblem(value) ?? `must be a number in [0, 1] or a schedule { "start", "end", "decayEpisodes" }, got ${showJson(value)}`;
}

/**
 * What is wrong with an object meant as a schedule, field by field, or undefined for anything else.
 * The union above reports a failed object as a whole, so without this a missing or misspelt field
 * ({ "start": 1, "end": 0.05, "decay": 500 }) read as "must be a number or a schedule" and named
 * neither the field nor the fix.
 */
function scheduleProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const parsed = epsilonSchedule.safeParse(input);
  if (parsed.success) return undefined;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path[0];
    return typeof key === 'string' && issue.path.length === 1 && !(key in input) ? `"${key}" is missing` : formatIssues([issue], '', epsilonSchedule)[0]!;
  });
  return `a schedule needs "start", "end" and "decayEpisodes" (e.g. { "start": 1, "end": 0.05, "decayEpisodes": 500 }): ${problems.join('; ')}`;
}

/**
 * The parameters among `params` that hold a rising ε schedule (end above start), one line each on
 * its end field, with the fix: a decay that rises explores more as the agent learns, almost always
 * start and end swapped. Not part of the schema: experiments stored before the rule (files,
 * database rows) hold such schedules and must still be read, so parseExperiment refuses them only
 * for an experiment about to be defined or launched.
 */
export function risingScheduleProblems(params: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const { start: startSchema, end: endSchema } = epsilonSchedule.shape;
  for (const [key, value] of Object.entries(params)) {
    // start and end alone: a problem elsewhere in the schedule (decayEpisodes 0) is said on its own
    // field and must not hide this one, or fixing it would reveal a problem never shown.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const fields = value as Record<string, unknown>;
    const [first, last] = [startSchema.safeParse(fields.start), endSchema.safeParse(fields.end)];
    if (!first.success || !last.success || last.data <= first.data) continue;
    const [start, end] = [first.data, last.data];
    out.push(`${key}.end: must not exceed start (${start}), got ${end}: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)`);
  }
  return out;
}

/** The schedule's value at an episode index (0-based). */
export function scheduleValue(spec: number | EpsilonSchedule, episode: number): number {
  if (typeof spec === 'number') return spec;
  if (episode >= spec.decayEpisodes) return spec.end;
  return spec.start + (spec.end - spec.start) * (episode / spec.decayEpisodes);
}

/**
 * A decay longer than the run never reaches its end: the app's starter decays over 10,000 episodes,
 * and a run cut to 500 then explores at about 0.95 throughout. One line with the field's path and the
 * fix, for experimentWarnings; nothing for a constant or a decay that ends within the run.
 */
export function scheduleWarnings(spec: unknown, episodes: number, field = 'epsilon'): string[] {
  const parsed = epsilonSchedule.safeParse(spec);
  if (!parsed.success) return [];
  const s = parsed.data;
  if (s.decayEpisodes <= episodes || s.start === s.end) return [];
  const last = decimal(scheduleValue(s, episodes - 1), 3);
  return [
    `${field}.decayEpisodes: ε falls from ${s.start} to ${s.end} over ${thousands(s.decayEpisodes)} episodes, and the run has ${plural(episodes, 'episode', thousands(episodes))}: it ends at ${last}, never reaching ${s.end}; lower decayEpisodes to at most ${thousands(episodes)}, or raise episodes`,
  ];
}
