/**
 * Migration 16: the names and descriptions an earlier Aisle stored that this one's reads refuse,
 * cleaned as today's checks would have them. Frozen, as every migration: the rules are copied as
 * they stood at schema 16 (engine/params.ts's CONTROL, experiment-text.ts's limits, the policy
 * file's name), so the migration keeps its meaning when those change.
 *
 * What an earlier Aisle took: a policy exported from the app under a name holding a control
 * character or a bidirectional override (until 6bf985d5), blank, or read from an imported file (until
 * 71380423), which the policy file's check now refuses, so every read of that policy (policies.fits,
 * Evaluate, `aisle policies show`, `aisle check`, a results import) failed; a file's provenance
 * holding such an experiment name or agent (until 71380423); an experiment's name or description
 * with a control character (until e3d2326d) or a bidirectional override (until 61750571), which
 * `aisle check` and a results import refuse, and which its policies' exports then carried.
 */
import type Database from 'better-sqlite3';

/** engine/params.ts's CONTROL at schema 16: C0 and C1 controls, DEL, the bidirectional overrides and isolates; runs of them. */
const CONTROLS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]+/gu;
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
/** What a description may keep of them (experiment-text.ts's CONTROL_BUT_LINES). */
const CONTROLS_BUT_LINES = /(?![\n\t])[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;
/** Controls that part words (tab, line breaks): a run holding one becomes a space; the others go. */
const PARTS_WORDS = /[\t\n\v\f\r\u0085]/u;

/** The limits of schema 16, in code points as zod's max counts them. */
const EXPERIMENT_NAME_MAX = 200;
const DESCRIPTION_MAX = 10_000;
const POLICY_NAME_MAX = 500;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to at most `max` code points between user-perceived characters (experiment-text.ts's cutToLength). */
function cut(text: string, max: number): string {
  if (codePoints(text) <= max) return text;
  let kept = '';
  let length = 0;
  for (const { segment } of graphemes.segment(text)) {
    const n = codePoints(segment);
    if (length + n > max) break;
    kept += segment;
    length += n;
  }
  return kept;
}

/** A one-line name as today's checks take it: its controls gone (a line break or tab a space), trimmed, within `max`; '' when nothing is left. */
export function cleanName(text: string, max: number): string {
  return cut(text.replace(CONTROLS, (run) => (PARTS_WORDS.test(run) ? ' ' : '')).trim(), max).trim();
}

/** A description as today's check takes it: its lines and tabs kept, the other controls gone (\r\n a \n), within the limit. */
export function cleanDescription(text: string): string {
  return cut(text.replace(CONTROLS_BUT_LINES, ''), DESCRIPTION_MAX);
}

/** Whether a policy file's name is one its check refuses (a control character, blank, over 500). */
function refusedPolicyName(name: string): boolean {
  return CONTROL.test(name) || name.trim() === '' || codePoints(name) > POLICY_NAME_MAX;
}

/** policy-export.ts's name for a run's policy exported without one, as it stood at schema 16. */
function exportedName(experimentName: string, runId: unknown): string | undefined {
  return typeof runId === 'number' ? `${experimentName} — run ${runId}` : undefined;
}

export function cleanStoredNames(db: Database.Database): void {
  cleanExperiments(db);
  cleanPolicies(db);
}

/**
 * Experiments' names (the row's and the config's, kept alike by a rename) and descriptions. A name
 * with nothing left is "experiment <id>"; a description with nothing left is removed, as a rename
 * to a blank one removes it. Its revision is raised, as a rename's is, so a list another process
 * keeps reads it again.
 */
function cleanExperiments(db: Database.Database): void {
  const text = (path: string) => `CASE WHEN json_valid(config) AND json_type(config, '${path}') = 'text' THEN json_extract(config, '${path}') END`;
  const rows = db
    .prepare<[], { id: number; name: string; configName: string | null; description: string | null }>(
      `SELECT id, name, ${text('$.name')} AS configName, ${text('$.description')} AS description FROM experiments ORDER BY id`,
    )
    .all();
  const setName = db.prepare<[string, number], void>(`UPDATE experiments SET name = ? WHERE id = ?`);
  const setConfigName = db.prepare<[string, number], void>(`UPDATE experiments SET config = json_set(config, '$.name', ?) WHERE id = ?`);
  const setDescription = db.prepare<[string, number], void>(`UPDATE experiments SET config = json_set(config, '$.description', ?) WHERE id = ?`);
  const removeDescription = db.prepare<[number], void>(`UPDATE experiments SET config = json_remove(config, '$.description') WHERE id = ?`);
  const raise = db.prepare<[number], void>(`UPDATE experiments SET revision = (SELECT max(revision) FROM experiments) + 1 WHERE id = ?`);
  const named = (name: string, id: number) => cleanName(name, EXPERIMENT_NAME_MAX) || `experiment ${id}`;
  for (const { id, name, configName, description } of rows) {
    let changed = false;
    if (named(name, id) !== name) {
      setName.run(named(name, id), id);
      changed = true;
    }
    if (configName !== null && named(configName, id) !== configName) {
      setConfigName.run(named(configName, id), id);
      changed = true;
    }
    if (description !== null && cleanDescription(description) !== description) {
      const cleaned = cleanDescription(description);
      if (cleaned.trim() === '') removeDescription.run(id);
      else setDescription.run(cleaned, id);
      changed = true;
    }
    if (changed) raise.run(id);
  }
}

/**
 * Policies' files: the name (and the row's, where it is the file's), the provenance's experiment
 * name and agent. Only their texts change: no hash covers them (the environment's fingerprint holds
 * its id, settings and MDP, the provenance's configHash the run's behaviour), and the file is
 * written back as it is stored, one value per line. A name with nothing left is the one an export
 * gives (`<experiment> — run <id>`), else "policy <id>"; a name that was that default follows its
 * experiment's cleaned name, so exporting the run again still finds it. The files are read one at
 * a time, and only those to change: a shop's Q-table policy is ~15 MB.
 */
function cleanPolicies(db: Database.Database): void {
  const text = (path: string) => `CASE WHEN json_valid(json) AND json_type(json, '${path}') = 'text' THEN json_extract(json, '${path}') END`;
  const rows = db
    .prepare<[], { id: number; rowName: string | null; name: string | null; experimentName: string | null; agent: string | null; runId: unknown }>(
      `SELECT id, name AS rowName, ${text('$.name')} AS name, ${text('$.provenance.experimentName')} AS experimentName,
              ${text('$.provenance.agent')} AS agent,
              CASE WHEN json_valid(json) AND json_type(json, '$.provenance.runId') = 'integer' THEN json_extract(json, '$.provenance.runId') END AS runId
       FROM policies ORDER BY id`,
    )
    .all();
  const selectJson = db.prepare<[number], string>(`SELECT json FROM policies WHERE id = ?`).pluck();
  const update = db.prepare<[string | null, string, number], void>(`UPDATE policies SET name = ?, json = ? WHERE id = ?`);
  for (const { id, rowName, name, experimentName, agent, runId } of rows) {
    const badName = name !== null && refusedPolicyName(name);
    const badExperiment = experimentName !== null && CONTROL.test(experimentName);
    const badAgent = agent !== null && CONTROL.test(agent);
    if (!badName && !badExperiment && !badAgent) continue;
    const file = JSON.parse(selectJson.get(id)!) as { name?: string; provenance: { experimentName?: string; agent?: string; experimentId?: unknown } };
    const provenance = file.provenance;
    let cleanedExperiment = experimentName;
    if (badExperiment) {
      const experimentId = provenance.experimentId;
      cleanedExperiment = cleanName(experimentName, EXPERIMENT_NAME_MAX) || (typeof experimentId === 'number' ? `experiment ${experimentId}` : null);
      if (cleanedExperiment === null) delete provenance.experimentName;
      else provenance.experimentName = cleanedExperiment;
    }
    if (badAgent) provenance.agent = cleanName(agent, Infinity);
    let newName = name;
    if (name !== null) {
      const byDefault = experimentName !== null && name === exportedName(experimentName, runId);
      // The default kept only where reads take it: a 495-character experiment name made a default
      // past the 500 a policy name may hold, kept as it was.
      const byDefaultName = byDefault && cleanedExperiment !== null ? exportedName(cleanedExperiment, runId)! : undefined;
      if (byDefaultName !== undefined && !refusedPolicyName(byDefaultName)) newName = byDefaultName;
      else if (badName) newName = cleanName(name, POLICY_NAME_MAX) || (cleanedExperiment !== null ? exportedName(cleanedExperiment, runId) : undefined) || `policy ${id}`;
      file.name = newName!;
    }
    update.run(rowName !== null && rowName === name ? newName : rowName, `${JSON.stringify(file, null, 1)}\n`, id);
  }
}
