/**
 * `aisle check`: the database read back whole and checked (src/main/check-database.ts), for when a
 * disk, a copy or a crash may have damaged it: commands meet damage only in what they read, and a
 * database damaged elsewhere opens and takes new runs as if it were whole. Sound: a line saying what
 * was read, exit 0. Damaged: what is wrong, one line each, and what to do, exit 2.
 */
import { checkDatabase } from '../main/check-database';
import { counted, fmt } from '../shared/text';
import { databaseInput, printJson, withStore, type GlobalOptions } from './context';

export function checkCommand(opts: GlobalOptions): number {
  const { path } = databaseInput(opts);
  const { problems, read } = withStore(opts, (store) => checkDatabase(store));
  const sound = problems.length === 0;
  if (opts.json) printJson({ database: path, sound, problems, read });
  else if (sound) {
    process.stdout.write(
      `${path} is sound: SQLite's integrity check passed, and ${counted(read.experiments, 'experiment')}, ${counted(read.runs, 'run')}, ` +
        `${fmt(read.metricValues)} metric values, ${counted(read.checkpoints, 'checkpoint')}, ${counted(read.runStates, 'saved run state')} and ` +
        `${read.policies === 1 ? '1 policy' : `${fmt(read.policies)} policies`} read back whole\n`,
    );
  } else {
    process.stdout.write(`${path} is damaged:\n${problems.map((p) => `  ${p}\n`).join('')}`);
    process.stderr.write(
      `aisle: ${path} is damaged (${counted(problems.length, 'problem')} above): restore it from a backup; or carry what reads whole to a new database with ` +
        '`aisle results export` of the experiments that export, then `aisle --db new.db results import`\n',
    );
  }
  return sound ? 0 : 2;
}
