/**
 * Configurations as trees of dot paths ("agent.alpha"): their leaves, the paths whose values differ
 * between configurations, and a path's setting as a label shows it. Used where runs are compared
 * and where a policy's environment is checked against the one it is evaluated on.
 */
import { canonicalJson } from '../engine/canonical';

/** Leaves of a JSON value by dot path ("agent.epsilon.start"), as canonical JSON; arrays are leaves. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out.set(prefix, canonicalJson(value));
  }
  return out;
}

/** Paths whose values are not the same in every config (missing counts as a value), in first-seen order. */
export function differingPaths(configs: readonly unknown[]): string[] {
  const flat = configs.map((c) => flatten(c));
  const paths = new Set<string>();
  for (const f of flat) for (const path of f.keys()) paths.add(path);
  return [...paths].filter((path) => flat.some((f) => f.get(path) !== flat[0]!.get(path)));
}

/** A leaf's canonical JSON as labels show it: strings unquoted, "–" for a missing one. */
function shownValue(value: string | undefined): string {
  return value === undefined ? '–' : value.startsWith('"') ? (JSON.parse(value) as string) : value;
}

/** "agent.alpha=0.5": a setting for a label (strings unquoted). */
export function describeSetting(config: unknown, path: string): string {
  return `${path}=${shownValue(flatten(config).get(path))}`;
}

/**
 * The settings that differ between two configurations, as "path a → b" (values as canonical JSON,
 * strings unquoted; "–" for a missing one), at most `max` of them and "N more" after.
 */
export function settingChanges(from: unknown, to: unknown, max = 6): string {
  const a = flatten(from);
  const b = flatten(to);
  const changes = differingPaths([from, to]).map((path) => `${path} ${shownValue(a.get(path))} → ${shownValue(b.get(path))}`);
  return changes.length <= max ? changes.join(', ') : `${changes.slice(0, max).join(', ')} and ${changes.length - max} more`;
}
