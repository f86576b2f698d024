// An experiment with a rising ε schedule, stored before such a schedule was refused, through the
// contract: its run's Q-table and policy, evaluation against it (stored or inline) and the app's
// Import all read it; only a new experiment made from it (Run again's draft, Launch) is refused.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';

const RISING = { start: 0.1, end: 0.5, decayEpisodes: 10 };
const REFUSED = 'agent.epsilon.end: must not exceed start (0.1), got 0.5: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)';

let t: TestService;
let experimentId: number;
let runId: number;

beforeAll(async () => {
  t = openService();
  const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 40 }, { epsilon: { ...RISING, start: 0.5, end: 0.1 } }) });
  experimentId = launched.experimentId;
  runId = launched.runIds[0]!;
  await t.until([runId]);
  // What an older Aisle stored: the same rows with the schedule rising.
  const sqlite = new Database(t.dbPath);
  const rise = `json_replace(config, '$.agent.epsilon.start', ${RISING.start}, '$.agent.epsilon.end', ${RISING.end})`;
  sqlite.exec(`UPDATE experiments SET config = ${rise}; UPDATE runs SET config = ${rise}`);
  sqlite.close();
});

afterAll(async () => {
  await t.close();
});

describe('a stored experiment with a rising ε', () => {
  it('opens: its Q-table, its policy, and evaluations on it (stored or inline)', async () => {
    const detail = await t.call('experiments.get', { id: experimentId });
    expect(detail.config).toMatchObject({ agent: { epsilon: RISING } });
    expect((await t.call('qtables.get', { runId })).q).toHaveLength(48);
    const { policyId } = await t.call('policies.export', { runId });
    const onStored = await t.call('policies.evaluate', { policyId, experimentId, episodes: 5 });
    expect(onStored.exact?.gammaFrom).toBe('experiment');
    const onInline = await t.call('policies.evaluate', { policyId, experiment: detail.config, episodes: 5 });
    expect(onInline.exact?.expectedReturn).toBe(onStored.exact?.expectedReturn);
  });

  it('is imported into the form as written, which then says under the field what launching needs', async () => {
    const config = (await t.call('experiments.get', { id: experimentId })).config;
    const imported = await t.call('experiments.parseFile', { text: JSON.stringify(config), fileName: 'old.json', files: {} });
    expect(imported).toMatchObject({ ok: true, experiment: { agent: { epsilon: RISING } } });
    // Run again's draft, and a launch of it, are a new experiment: the rule applies.
    const again = { ...config, name: 'cliff q-learning (2)' };
    expect(await t.call('experiments.validate', { experiment: again })).toEqual({ ok: false, problems: [REFUSED] });
    expect(await t.fail('experiments.launch', { experiment: again })).toMatchObject({ status: 400, message: expect.stringContaining(REFUSED) });
    expect(t.store.listExperiments()).toHaveLength(1);
  });
});
