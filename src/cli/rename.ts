/** `aisle rename <experimentId>`: a launched experiment's new name or description (its runs stay as they are). */
import { escapeControl, formatIssues, listedName, ValidationError } from '../engine/params';
import { commands } from '../shared/contract';
import { printJson, withStore, type GlobalOptions } from './context';

export interface RenameOptions extends GlobalOptions {
  name?: string;
  description?: string;
}

export function renameCommand(experimentId: number, opts: RenameOptions): number {
  // The app's own check, so a name the app refuses is refused here too, said with the options' names.
  const parsed = commands['experiments.update'].safeParse({
    id: experimentId,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  });
  if (!parsed.success) {
    throw new ValidationError(
      formatIssues(parsed.error.issues).map((line) =>
        line === 'give a name or a description to change' ? 'give --name, --description or both (--description "" removes it)' : line.replace(/^(name|description):/, '--$1:'),
      ),
    );
  }
  const edit = parsed.data;
  // Opened as the listing commands open it (it runs nothing): a mistyped --db is not created empty.
  // The default database it makes, as the commands that write do.
  return withStore(opts, (store) => {
    const result = store.editExperiment(experimentId, {
      ...(edit.name !== undefined ? { name: edit.name } : {}),
      ...(edit.description !== undefined ? { description: edit.description } : {}),
    });
    // The description kept by a rename of the name alone is the database's: a results file's, of
    // up to 10,000 characters and line breaks, or anything in one Aisle did not check (an ESC
    // sequence drove the terminal). It was printed raw and whole; it is now shown as a message
    // quotes a file's text (listedName: escaped, line breaks too, and cut after 60 characters),
    // --json giving it exact. The name, of at most 200 characters, keeps its length, escaped.
    if (opts.json) printJson(result);
    else process.stdout.write(`experiment ${result.id}: ${escapeControl(result.name)}${result.description === null ? ' (no description)' : `\n${listedName(result.description)}`}\n`);
    return 0;
  }); // no database made, the default either: what is renamed can only be in one that exists
}
