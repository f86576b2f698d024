// `aisle logs mdp` and `aisle ope` on rows that mix logging policies or campaigns (Open Bandit's
// men's and women's items share labels): warned on stderr, and with --json in `warnings`, in the
// Off-policy screen's words; rows of one policy and one campaign get no warning.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aisle as aisleWith, unwrapped } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'aisle-mixed-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aisle = (args: string[]) => aisleWith(args, { db: join(dir, 'aisle.db'), cwd: dir });

{
  const lines = ['policy,campaign,item,position,click,pscore,uf0'];
  for (const policy of ['random', 'bts'])
    for (const campaign of ['men', 'women']) for (let i = 0; i < 60; i++) lines.push(`${policy},${campaign},${i % 3},${1 + (i % 2)},${i % 4 === 0 ? 1 : 0},${1 / 3},${i % 5}`);
  writeFileSync(join(dir, 'obd.csv'), `${lines.join('\n')}\n`);
}

const BOTH = 'The rows kept mix 2 values of policy (bts, random) and 2 values of campaign (men, women). These columns say which policy logged a row or where it was shown';
const CAMPAIGN = 'The rows kept mix 2 values of campaign (men, women). This column says which policy logged a row or where it was shown';

describe('rows of several logging policies or campaigns', () => {
  it('`aisle logs mdp` warns of them on stderr, and in --json', () => {
    const r = aisle(['logs', 'mdp', 'obd.csv', '-o', 'm.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapped(r.stderr)).toContain(`aisle: warning: ${BOTH}`);
    expect(unwrapped(r.stderr)).toContain('Pick one value of each with --where');
    const json = aisle(['logs', 'mdp', 'obd.csv', '--where', 'policy=random', '-o', 'm.json', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { warnings } = JSON.parse(json.stdout) as { warnings: string[] };
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^${CAMPAIGN.replace(/[()]/g, '\\$&')}`));
    const one = aisle(['logs', 'mdp', 'obd.csv', '--where', 'policy=random,campaign=men', '-o', 'm.json', '--json']);
    expect(one.stderr).toBe('');
    expect((JSON.parse(one.stdout) as { warnings: string[] }).warnings).toEqual([]);
  });

  it('`aisle ope` warns of them on stderr, and in --json', () => {
    const r = aisle(['ope', 'obd.csv', '--target', 'uniform', '--resamples', '50']);
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapped(r.stderr)).toContain(`aisle: warning: ${BOTH}`);
    const json = aisle(['ope', 'obd.csv', '--where', 'policy=bts', '--target', 'uniform', '--resamples', '50', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings[0]).toContain(CAMPAIGN);
    const one = aisle(['ope', 'obd.csv', '--where', 'policy=bts,campaign=women', '--target', 'uniform', '--resamples', '50', '--json']);
    expect(one.stderr).toBe('');
    expect((JSON.parse(one.stdout) as { warnings: string[] }).warnings).toEqual([]);
  });
});

describe('a logs: target whose rows mix campaigns', () => {
  it('is warned of under its target: its action frequencies and its truth blend them', () => {
    const r = aisle(['ope', 'obd.csv', '--where', 'policy=random,campaign=men', '--target', 'logs:policy=bts', '--resamples', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { targets } = JSON.parse(r.stdout) as { targets: { warnings: string[]; truth: { rows: number } }[] };
    expect(targets[0]!.truth.rows).toBe(120); // both campaigns' bts rows: what the warning is about
    expect(targets[0]!.warnings[0]).toBe(
      "the target's rows (policy=bts) mix 2 values of campaign (men, women): rows of different values are different experiments, with their own actions (the same label may name another item), so its action frequencies and what it really got blend them: add campaign=men to them, as the rows evaluated have",
    );
    const text = aisle(['ope', 'obd.csv', '--where', 'policy=random,campaign=men', '--target', 'logs:policy=bts', '--resamples', '50']);
    expect(unwrapped(text.stdout)).toContain("warning: the target's rows (policy=bts) mix 2 values of campaign (men, women)");
    const one = aisle(['ope', 'obd.csv', '--where', 'policy=random,campaign=men', '--target', 'logs:policy=bts,campaign=men', '--resamples', '50', '--json']);
    expect(one.code, one.stderr).toBe(0);
    const own = JSON.parse(one.stdout) as { targets: { warnings: string[]; truth: { rows: number } }[] };
    expect(own.targets[0]!.truth.rows).toBe(60);
    expect(own.targets[0]!.warnings.filter((w) => w.startsWith("the target's rows"))).toEqual([]);
  });
});

describe('a learned policy scored on rows of another campaign', () => {
  // As `aisle export` writes a policy from a run of an experiment fitted to the random policy's men's rows.
  const policyFile = (where: Record<string, string>) => {
    const file = join(dir, `learned-${Object.values(where).join('-')}.json`);
    const provenance = { runId: 1, agent: 'q-learning', seed: 0, episodes: 10, configHash: 'x', appVersion: '0.1.0', createdAt: '2026-11-28T00:00:00Z', experimentName: 'learn from obd.csv' };
    const fittedTo = { logs: 'obd.csv', where, rows: 60 };
    writeFileSync(file, JSON.stringify({ format: 'aisle.policy/v1', kind: 'context-free', env: { id: 'tabular-mdp', params: {}, hash: 'cd' }, actions: ['0', '1', '2'], values: [0.1, 0.3, 0.2], greedy: 1, provenance: { ...provenance, fittedTo } }));
    return file;
  };
  const men = policyFile({ policy: 'random', campaign: 'men' });
  const ELSEWHERE = 'warning: the policy was learned on a simulator fitted to the rows with campaign=men, and these rows have campaign=women: rows of another logging policy, campaign or page are another experiment';

  it('is warned of under its target, in the report and in --json', () => {
    const r = aisle(['ope', 'obd.csv', '--where', 'policy=random,campaign=women', '--target', men, '--resamples', '50']);
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapped(r.stdout)).toContain(ELSEWHERE);
    expect(unwrapped(r.stdout)).toContain('Evaluate it on rows with campaign=men, or fit a simulator to these rows and train on that.');
    const json = aisle(['ope', 'obd.csv', '--where', 'policy=random,campaign=women', '--target', men, '--resamples', '50', '--json']);
    const { targets } = JSON.parse(json.stdout) as { targets: { warnings: string[] }[] };
    expect(targets[0]!.warnings[0]).toMatch(/^the policy was learned on a simulator fitted to the rows with campaign=men, and these rows have campaign=women:/);
  });

  it('is not warned of on its own campaign’s rows, nor when the rows are filtered by another logging policy only', () => {
    const own = aisle(['ope', 'obd.csv', '--where', 'policy=random,campaign=men', '--target', men, '--resamples', '50', '--json']);
    expect(own.code, own.stderr).toBe(0);
    const warnings = (JSON.parse(own.stdout) as { targets: { warnings: string[] }[] }).targets[0]!.warnings;
    expect(warnings.filter((w) => w.includes('the policy was learned on a simulator fitted to'))).toEqual([]);
    // policy=bts differs from the fit's policy=random: that is warned of, and the campaign, the same, is not named.
    const bts = aisle(['ope', 'obd.csv', '--where', 'policy=bts,campaign=men', '--target', men, '--resamples', '50']);
    expect(unwrapped(bts.stdout)).toContain('warning: the policy was learned on a simulator fitted to the rows with policy=random, and these rows have policy=bts:');
  });
});
