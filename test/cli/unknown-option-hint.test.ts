// An option a command does not take but users reach for there is answered with where it is taken:
// `aisle resume 7 --episodes 20000` said only "unknown option '--episodes'" (today's CLI sweep).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommanderError } from 'commander';
import { buildProgram, usageLine } from '../../src/cli/index';

/** What commander reports for these arguments, as `aisle` prints it on stderr. */
async function refusal(args: string[]): Promise<{ code: string; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await buildProgram(() => {}).parseAsync(['node', 'aisle', ...args]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return { code: e.code, stderr };
  }
  throw new Error(`not refused: ${args.join(' ')}`);
}

afterEach(() => vi.restoreAllMocks());

describe('an unknown option with a hint', () => {
  it('aisle resume --episodes: says that aisle again trains a new run longer', async () => {
    const hint = "aisle: unknown option '--episodes'\n(a resumed run trains to the episodes it was launched with: `aisle again <experimentId> --episodes N` trains its experiment anew, longer (`aisle show <runId>` names its experiment))\n";
    for (const args of [['resume', '7', '--episodes', '20000'], ['resume', '--episodes', '20000', '7']]) {
      const r = await refusal(args);
      expect(r.code).toBe('commander.unknownOption');
      expect(r.stderr).toBe(`${hint}(run \`aisle resume --help\` for usage)\n`);
    }
    expect((await refusal(['resume', '7', '--episodes=20000'])).stderr).toContain("aisle: unknown option '--episodes=20000'\n(a resumed run trains to the episodes it was launched with: `aisle again");
  });

  it('aisle eval --experiment: names --env, which takes the experiment file (commander suggested nothing)', async () => {
    const r = await refusal(['eval', 'policy.json', '--experiment', 'shop.json']);
    expect(r.code).toBe('commander.unknownOption');
    expect(r.stderr).toBe("aisle: unknown option '--experiment'\n(the experiment file whose environment to evaluate on is given with --env <experiment>)\n(run `aisle eval --help` for usage)\n");
    expect((await refusal(['eval', 'policy.json', '--bogus'])).stderr).toBe("aisle: unknown option '--bogus'\n(run `aisle eval --help` for usage)\n");
  });

  it('leaves other unknown options, and other commands, as commander says them', async () => {
    expect((await refusal(['resume', '7', '--bogus'])).stderr).toBe("aisle: unknown option '--bogus'\n(run `aisle resume --help` for usage)\n");
    expect((await refusal(['runs', '--episodes', '5'])).stderr).toBe("aisle: unknown option '--episodes'\n(run `aisle runs --help` for usage)\n");
    // --json's problem is the same words (main reads it through usageLine).
    expect(usageLine("error: unknown option '--episodes'\n(a hint)")).toBe("aisle: unknown option '--episodes'\n(a hint)\n");
  });
});
