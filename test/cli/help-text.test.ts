// Every command's --help, as commander renders it from buildProgram: no option's help ends with a
// default the user cannot read (`--target`'s and `--where`'s said "(default: [])": QA).
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/index';

function commands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(commands)];
}

describe('aisle <command> --help', () => {
  it('shows no empty list as an option\'s default', () => {
    const all = commands(buildProgram(() => {}));
    const helps = all.map((c) => ({ name: c.name(), help: c.helpInformation() }));
    expect(helps.map((h) => h.name)).toEqual(expect.arrayContaining(['ope', 'mdp', 'run']));
    expect(helps.filter((h) => /default: \[\]/.test(h.help)).map((h) => h.name)).toEqual([]);
  });

  // `aisle qtable diff --help` listed qtable's own options (--checkpoint, --all, --trained, --csv, -o)
  // as Global Options, which diff refuses: found following docs/cli.md's option lists.
  it('lists as Global Options only the options every command takes: --db, --json, --version', () => {
    const all = commands(buildProgram(() => {})).filter((c) => c.parent !== null);
    const globalTerms = all.map((c) => {
      const section = c.helpInformation().split('Global Options:\n')[1] ?? '';
      const terms = section.split('\n\n')[0]!.split('\n').map((line) => /^ {2}((?:-\w, )?--?[\w-]+)/.exec(line)?.[1]).filter((t) => t !== undefined);
      return { name: `${c.parent!.parent ? `${c.parent!.name()} ` : ''}${c.name()}`, terms };
    });
    expect(globalTerms.find((g) => g.name === 'qtable diff')?.terms).toEqual(['-V, --version', '--db', '--json']);
    expect(globalTerms.filter((g) => g.terms.join() !== '-V, --version,--db,--json')).toEqual([]);
    const diff = all.find((c) => c.name() === 'diff')!.helpInformation();
    expect(diff).toContain('--checkpoint-a <id>');
    expect(diff).not.toMatch(/--checkpoint <id>|--csv|--trained|--all|--output/);
  });
});
