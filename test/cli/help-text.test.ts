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
});
