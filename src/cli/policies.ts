/**
 * `aisle policies [list]`, `show`, `import`, `export` and `delete`: the policies stored in the
 * database (exported from runs, or imported), through the code of the app's Policies screen
 * (src/main/service/policies.ts), so a file the app refuses is refused here in the same words;
 * `runtime` writes the file that serves them.
 */
import { statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { checkpointNote, type PolicyFile } from '../engine/policy/format';
import { escapeControl, listedName, quoted, ValidationError } from '../engine/params';
import { readTextFile, resolvedNote, unreadable } from '../main/files';
import { parseStoredPolicy, readPolicyText } from '../main/policies';
import { readPolicyRuntime, runtimePathBeside } from '../main/policy-runtime';
import { APP_VERSION } from '../main/version';
import { mdpNotHere, mdpNotHereText, storedPolicies, storedPolicy, storeImportedPolicy } from '../main/service/policies';
import { MAX_FILE_CHARS } from '../shared/contract';
import type { PolicySummary } from '../shared/dto';
import { counted, mebi, mebiPast, pastLimit, policySizeText, shellWord, tableSizeText } from '../shared/text';
import { aisleCommand, databaseInput, dateTime, fittedTable, printJson, reportLines, transposedTable, truncatedColumn, warn, withStore, workerPath, type GlobalOptions } from './context';
import { writeOutput } from './output-files';
import { confirmed, type DeleteOptions } from './delete';
import { MAX_POLICY_FILE_BYTES, networkText, provenanceTexts, rankingText, trainedByText } from './policy';

export function policiesListCommand(opts: GlobalOptions): number {
  // No default database yet (a fresh machine): no policies, said as for an empty one, and none made.
  return withStore(opts, (store) => {
    // Newest first, as `aisle runs`: ids only grow (a deleted policy's is never handed out again).
    const policies = storedPolicies(store).reverse();
    if (opts.json) printJson(policies);
    else if (policies.length === 0) process.stdout.write('no policies yet: `aisle export <runId> -o policy.json` stores a run\'s, `aisle policies import <file>` a file\n');
    else {
      // A name is an imported file's, its own or its file name, which nothing checks for control
      // characters (an ESC sequence in it drove the terminal): escaped, then cut to fit below.
      const rows = policies.map((p) => [String(p.id), p.name !== null ? escapeControl(p.name) : '–', p.kind, listedName(p.envId), policySizeText(p), sourceText(p), dateTime(p.createdAt)]);
      // A long name is cut to fit, its end marked "…" (`show` and --json give it whole): a policy a
      // line. To 16 columns at least, which keeps the widest rows (a context-free policy's "any
      // state × 10", a bandit's environment) within 100 columns.
      const header = ['id', 'name', 'kind', 'environment', 'states × actions', 'source', 'created'];
      process.stdout.write(`${fittedTable(header, truncatedColumn(header, rows, 1, 16), 2)}\n`);
    }
    return 0;
  }, { empty: true });
}

export function policiesShowCommand(id: number, opts: GlobalOptions): number {
  return withStore(opts, (store) => {
    const { text, ...summary } = storedPolicy(store, id);
    const policy = readStored(id, text, opts);
    const p = policy.provenance;
    // A running or stopped run's policy is a checkpoint before its end, as `aisle export` and `aisle eval` say.
    const note = checkpointNote(p);
    // An MDP's policy whose MDP (named by hash only) no run or experiment here is on: said as the
    // import warned of it and the app's picker says it, with the commands that evaluate it meanwhile
    // (the app's Evaluate cannot).
    const meanwhile = `evaluate it meanwhile with \`${aisleCommand(opts, `policies export ${id} -o policy.json`)}\` then \`aisle eval policy.json --env <an experiment file on that MDP>\``;
    const mdpMissing = mdpNotHere(store, summary, policy) ? mdpNotHereText(policy, meanwhile) : undefined;
    if (opts.json) {
      const warnings = [note, mdpMissing && `policy.env.mdpHash: ${mdpMissing}`].filter((w) => w !== undefined);
      printJson({ ...summary, env: policy.env, provenance: p, ...kindDetails(policy), ...(warnings.length > 0 ? { warnings } : {}) });
      return 0;
    }
    if (note !== undefined) warn(note);
    const texts = provenanceTexts(p);
    const trainedBy = trainedByText(p);
    const lines: [string, string][] = [
      ['name', summary.name !== null ? escapeControl(summary.name) : '–'], // whole, as the list's is not
      ['kind', kindText(policy)],
      ['environment', `${listedName(policy.env.id)} (fingerprint ${listedName(policy.env.hash.slice(0, 12))})`],
      ...(mdpMissing !== undefined ? [['MDP', mdpMissing] as [string, string]] : []),
      ['source', sourceText(summary)],
      ['trained', `${trainedRunText(summary, `run ${p.runId}${texts.experiment}`, p.runId)}: ${trainedBy}`],
      ['exported', texts.exported],
      ['stored', dateTime(summary.createdAt)],
    ];
    process.stdout.write(`policy ${id}\n${transposedTable(lines.map(([k]) => k), lines.map(([, v]) => v))}\n`);
    return 0;
  });
}

export function policiesImportCommand(file: string, opts: GlobalOptions): number {
  // Read and checked before the database is opened: a file refused leaves it as it was.
  const read = readPolicyText(readPolicyFile(file), file);
  // Each problem names the file, as `aisle eval` says them (a malformed file's already does).
  const refused = (problems: readonly string[]) => new ValidationError(problems.map((p) => (p.startsWith(`${file}: `) ? p : `${file}: ${p}`)));
  if (!read.ok) throw refused(read.problems);
  return withStore(opts, (store) => {
    // Named as the app names an imported file without a name of its own: by the file's name.
    // Refused here too when its tables do not fit the MDP the database holds for it: nothing stored.
    // Its path as given: a warning's `aisle eval` command names it so.
    const stored = storeImportedPolicy(store, read, basename(file), file);
    if (!stored.ok) throw refused(stored.problems);
    const { policy, alreadyStored, warnings } = stored;
    if (opts.json) printJson({ policy, alreadyStored, warnings });
    else if (alreadyStored) process.stdout.write(`already stored as ${policyLine(policy)}: not stored again\n`);
    else process.stdout.write(`stored ${policyLine(policy)}\n`);
    if (!opts.json) for (const w of warnings) warn(w);
    return 0;
  }, { makes: 'default' }); // a --db the user gave is not made (a typo); the default database is, as `aisle run` makes it
}

export interface PoliciesExportOptions extends GlobalOptions {
  output: string;
}

export function policiesExportCommand(id: number, opts: PoliciesExportOptions): number {
  return withStore(opts, (store) => {
    const { text, ...summary } = storedPolicy(store, id);
    readStored(id, text, opts); // not a file the runtime would refuse
    // The stored file as it is, as the app's Save gives it: writing it back is byte for byte the file stored.
    const path = writeOutput('-o', opts.output, text, [databaseInput(opts)], 'policy');
    if (opts.json) printJson({ policyId: id, path });
    else reportLines([`wrote ${path}: ${policyLine(summary)}`]); // the path given escaped
    return 0;
  });
}

/**
 * A stored policy's file, parsed, its problems said with what to do, as a stored config's are
 * (stored-config.ts): a row edited by hand past what the format holds was refused naming its field
 * alone, `stored policy #3: policy.actions: …`, with no word on how it came to be or on the fix. Not
 * said to be an edit alone: an earlier Aisle stored names this one refuses (blank, or holding
 * control characters), and a backup holds such a row as it is.
 */
function readStored(id: number, text: string, opts: GlobalOptions): PolicyFile {
  try {
    return parseStoredPolicy(id, text);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const fix = `delete it (\`${aisleCommand(opts, `policies delete ${id} --yes`)}\`) and export it again from its run or import its file again, or restore the database from a backup`;
    throw new ValidationError(e.problems.map((p) => `${p}; the stored row no longer reads as a policy file (the database edited by hand or damaged, or the policy stored by an earlier Aisle that took it): ${fix}`));
  }
}

export interface PoliciesRuntimeOptions extends GlobalOptions {
  output: string;
}

/**
 * Writes the policy runtime as the app's "Save the runtime" gives it: the built one, byte for byte,
 * for a service to import (README's "Serving a policy"). It needs no database.
 */
export function policiesRuntimeCommand(opts: PoliciesRuntimeOptions): number {
  const { text } = readPolicyRuntime(runtimePathBeside(workerPath()));
  const path = writeOutput('-o', opts.output, text, [databaseInput(opts)]);
  if (opts.json) printJson({ path, bytes: Buffer.byteLength(text), version: APP_VERSION });
  else reportLines([`wrote ${path}: Aisle ${APP_VERSION}'s policy runtime, one ES module with no dependencies: loadPolicy(text).act(state) (README, "Serving a policy")`]);
  return 0;
}

export function policiesDeleteCommand(id: number, opts: DeleteOptions): number {
  return withStore(opts, (store) => {
    const { text: _text, ...summary } = storedPolicy(store, id);
    const what = policyLine(summary);
    confirmed(opts, what, { id, name: summary.name });
    store.deletePolicy(id);
    if (opts.json) printJson({ deleted: id, name: summary.name });
    else process.stdout.write(`deleted ${what}\n`);
    return 0;
  }); // no database made, the default either: the policy can only be in one that exists
}

/**
 * A policy file's text, with the app's limit on what it imports (MAX_FILE_CHARS over the contract)
 * and the file readers' words for a missing file or a folder.
 */
function readPolicyFile(file: string): string {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (e) {
    throw unreadable(file, file, e);
  }
  if (stats.isDirectory()) throw new ValidationError([`${file}: is a folder${resolvedNote(file, file)}: give the path of an aisle.policy/v1 file`]);
  // Said as the app's Import says it (policyTooLarge), with what reads such a file: a policy cannot be
  // made smaller, and the readers' "give a smaller file" said no more.
  if (stats.isFile() && stats.size > MAX_POLICY_FILE_BYTES) {
    // Past what a string holds, which aisle eval and the runtime read it into: sending the user there
    // had them refused again ("file is 600 MB, above the 511.9 MB limit").
    const said = pastLimit(stats.size, MAX_POLICY_FILE_BYTES);
    throw new ValidationError([`${file}: file is ${said.size} MB, more than any reader of policy files takes (\`aisle eval\` and the policy runtime read up to ${said.limit} MB; Aisle stores up to ${mebi(MAX_FILE_CHARS)} MB): check that it is the policy file you meant`]);
  }
  if (stats.isFile() && stats.size > MAX_FILE_CHARS) {
    throw new ValidationError([
      `${file}: file is ${mebiPast(stats.size, MAX_FILE_CHARS)} MB, more than the ${mebi(MAX_FILE_CHARS)} MB Aisle stores of a policy file: evaluate it with \`aisle eval ${shellWord(file)}\`, or serve it with the policy runtime (\`aisle policies runtime\`), which read larger files`,
    ]);
  }
  return readTextFile(file, file, MAX_FILE_CHARS);
}

/** Where a stored policy came from: "run 5", "imported", or "run deleted" (exported from a run since deleted). */
function sourceText(p: Pick<PolicySummary, 'origin' | 'runId'>): string {
  if (p.origin === 'import') return 'imported';
  return p.runId !== null ? `run ${p.runId}` : 'run deleted';
}

/**
 * The run that trained a stored policy, as its file names it: a run of the database it was exported
 * from when it was imported as a file, or brought with its run by `results import`, which gave the
 * run another id here (the file is kept as it was exported): `run 3 of "cliff" where it was exported (run 22 here)`.
 */
function trainedRunText(p: Pick<PolicySummary, 'origin' | 'runId'>, named: string, fileRunId: number): string {
  if (p.origin === 'import') return `${named} where it was exported`;
  return p.runId !== null && p.runId !== fileRunId ? `${named} where it was exported (run ${p.runId} here)` : named;
}

/**
 * `policy 3 "greedy cliff" (tabular, 48 × 4, tabular-mdp, run 5)`: the policy a message is about.
 * Its name quoted with every control character escaped (quoted: JSON.stringify left U+202E and the
 * C1 controls), as an imported file's name may hold any. Whole, as experiment names are quoted: at
 * most 500 characters, and an exported policy's is its experiment's (a sweep's ends in the settings
 * that tell it apart).
 */
function policyLine(p: PolicySummary): string {
  return `policy ${p.id}${p.name !== null ? ` ${quoted(p.name)}` : ''} (${p.kind}, ${policySizeText(p)}, ${listedName(p.envId)}, ${sourceText(p)})`;
}

/** What the policy is, by kind: its sizes, a bandit's ranking, a network's layers. */
export function kindText(policy: PolicyFile): string {
  const actions = counted(policy.actions.length, 'action');
  if (policy.kind === 'tabular') return `tabular: ${tableSizeText(policy.states.length, policy.actions.length)}`;
  if (policy.kind === 'context-free') return `context-free over ${actions}: ${listedName(policy.actions[policy.greedy]!)} in every state; best ${rankingText(policy)}`;
  return `mlp over ${actions}: ${networkText(policy)}`;
}

/** kindText's facts for --json. */
function kindDetails(policy: PolicyFile): Record<string, unknown> {
  if (policy.kind === 'tabular') return {};
  if (policy.kind === 'context-free') return { greedy: policy.greedy, values: policy.values };
  const { layers, encoding, output } = policy.network;
  return { network: { layers, encoding, output } };
}
