/**
 * The experiment being edited: one plain JSON object that both the form and the JSON view edit
 * (so they round-trip by construction), with the helpers that build it from the catalog's
 * defaults and switch its environment or agent (its JSON text: held-files.ts).
 */
import type { Catalog, CatalogEntry } from '../../../shared/dto';
import { defaults, EXPERIMENT_FORMAT, mdpSummary, parameters } from './schema';
import { isObject } from '../../../shared/values';
import { STARTER, starterSettings } from './starter';

export type Draft = Readonly<Record<string, unknown>>;
export type Which = 'env' | 'agent';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function component(draft: Draft, which: Which): Record<string, unknown> {
  const c = draft[which];
  return isObject(c) ? c : {};
}

export function entryOf(catalog: Catalog, draft: Draft, which: Which): CatalogEntry | undefined {
  const id = component(draft, which).id;
  return (which === 'env' ? catalog.environments : catalog.agents).find((e) => e.id === id);
}

export function getAt(draft: Draft, path: readonly string[]): unknown {
  let v: unknown = draft;
  for (const key of path) v = isObject(v) ? v[key] : undefined;
  return v;
}

/** A copy of `draft` with the value at `path` replaced (`undefined` removes the key). */
export function setAt(draft: Draft, path: readonly string[], value: unknown): Draft {
  const [head, ...rest] = path;
  if (head === undefined) return isObject(value) ? value : draft;
  const next: Record<string, unknown> = { ...draft };
  const child = rest.length ? setAt(isObject(draft[head]) ? (draft[head] as Draft) : {}, rest, value) : value;
  if (child === undefined) delete next[head];
  else next[head] = child;
  return next;
}

/**
 * "q-learning on cliff walking", "q-learning on shop (exact)": the name a new experiment gets until
 * the user types one. Exact mode is named because it is what makes the runs report their gap.
 */
export function autoName(draft: Draft): string {
  const env = component(draft, 'env');
  const mdp = Object.values(env).map(mdpSummary).find((m) => m?.name);
  const exact = env.exact === true ? ' (exact)' : '';
  return `${String(component(draft, 'agent').id ?? 'agent')} on ${mdp?.name ?? String(env.id ?? 'environment')}${exact}`;
}

function topDefault(catalog: Catalog, key: string): unknown {
  const props = catalog.experimentSchema.properties;
  const prop = isObject(props) ? props[key] : undefined;
  return isObject(prop) ? prop.default : undefined;
}

/**
 * The draft New experiment starts from: the starter experiment (see starter.ts), every parameter it
 * does not name at its default. Should the catalog lack its environment or agent, the first one.
 */
export function initialDraft(catalog: Catalog): Draft {
  const env = catalog.environments.find((e) => e.id === STARTER.env.id) ?? catalog.environments[0];
  const agent = catalog.agents.find((a) => a.id === STARTER.agent.id) ?? catalog.agents[0];
  const draft: Record<string, unknown> = {
    format: EXPERIMENT_FORMAT,
    name: '',
    env: env ? { id: env.id, ...defaults(env.schema), ...structuredClone(starterSettings('env', env.id)) } : {},
    agent: agent ? { id: agent.id, ...defaults(agent.schema), ...structuredClone(starterSettings('agent', agent.id)) } : {},
    episodes: STARTER.episodes,
    seeds: STARTER.seeds,
  };
  for (const key of ['checkpoints']) {
    const d = topDefault(catalog, key);
    if (d !== undefined) draft[key] = d;
  }
  draft.name = autoName(draft);
  return draft;
}

/**
 * Without `fittedTo`: the logged rows the environment's MDP was fitted to (the Off-policy screen's
 * simulator), which the policies exported from the experiment carry so that scoring one on those
 * rows is flagged. Another environment, or another file in its place, was fitted to none of them;
 * nor was one edited any other way (the New experiment screen drops it when the service's check
 * says the env's fingerprint is no longer the fitted one).
 */
export function withoutFit(draft: Draft): Draft {
  return 'fittedTo' in draft ? setAt(draft, ['fittedTo'], undefined) : draft;
}

/**
 * Switches the environment or agent. Parameters the new one shares with the old keep the user's
 * value when it differs from the old default (alpha carries from Q-learning to SARSA); the rest
 * start at the new defaults. The starter's values are not the user's: they stay behind too (the
 * starter shop's 50 steps would cut a tabular MDP's episodes short). Another environment drops the
 * rows the last one was fitted to (withoutFit).
 */
export function switchComponent(draft: Draft, which: Which, to: CatalogEntry, from: CatalogEntry | undefined): Draft {
  const old = component(draft, which);
  const oldDefaults = from ? defaults(from.schema) : {};
  const starter = starterSettings(which, from?.id);
  const next: Record<string, unknown> = { id: to.id, ...defaults(to.schema) };
  for (const [key] of parameters(to.schema)) {
    if (key in old && !same(old[key], oldDefaults[key]) && !(key in starter && same(old[key], starter[key]))) next[key] = old[key];
  }
  const switched = { ...draft, [which]: next };
  return which === 'env' ? withoutFit(switched) : switched;
}

/**
 * The component with the starter's values it still holds put back to the defaults; values the user
 * changed stay (the same rule as switching). An imported file builds on this: the starter's small
 * shop (exact mode, 50 steps, one segment) suits its own six generated items, not a catalog of a
 * hundred, which would train in exact mode and end far from optimal.
 */
export function withoutStarter(draft: Draft, which: Which, entry: CatalogEntry): Draft {
  const current = component(draft, which);
  const starter = starterSettings(which, current.id);
  const defaultValues = defaults(entry.schema);
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(starter)) {
    if (!same(current[key], value)) continue;
    if (key in defaultValues) next[key] = defaultValues[key];
    else delete next[key];
  }
  return same(next, current) ? draft : { ...draft, [which]: next };
}

/**
 * The starter's agent tuning (α 0.005, γ 0.9, ε falling over 10,000 episodes) was chosen for its
 * small shop: on another environment, or on the shop with a catalog of its own, it would learn
 * slowly (the cliff barely moves in 20,000 episodes), so the values it still holds go back to the
 * agent's defaults as an agent picked in the form comes with its own; values the user changed stay.
 */
export function withoutStarterAgent(catalog: Catalog, draft: Draft): Draft {
  const agent = entryOf(catalog, draft, 'agent');
  return agent ? withoutStarter(draft, 'agent', agent) : draft;
}

/**
 * What the form's environment or agent select does: switchComponent from the entry in place, and on
 * another environment the starter's agent tuning goes too (withoutStarterAgent).
 */
export function switchTo(catalog: Catalog, draft: Draft, which: Which, to: CatalogEntry): Draft {
  const from = entryOf(catalog, draft, which);
  const switched = switchComponent(draft, which, to, from);
  return which === 'env' && from?.id !== to.id ? withoutStarterAgent(catalog, switched) : switched;
}

/** An experiment from a file or the store, as the form edits it: seeds 0..n−1 become the count n. */
export function fromExperiment(experiment: unknown): Draft {
  if (!isObject(experiment)) return {};
  const draft: Record<string, unknown> = structuredClone(experiment);
  const seeds = draft.seeds;
  if (Array.isArray(seeds) && seeds.length > 0 && seeds.every((s, i) => s === i)) draft.seeds = seeds.length;
  return draft;
}

/** Parameters that may hold a whole file inline (an MDP, a shop catalog), as [which, key] paths. */
export function filePaths(catalog: Catalog, draft: Draft): [Which, string][] {
  const out: [Which, string][] = [];
  for (const which of ['env', 'agent'] as const) for (const key of entryOf(catalog, draft, which)?.fileParams ?? []) out.push([which, key]);
  return out;
}
