// New experiment: parameters the service refuses together (a DQN's batchSize above its bufferSize)
// are said next to the field as typed, in the service's words, also while another field has a
// problem of its own (the service stops at that one and said the pair only once it was fixed); a
// Sweep row names the value that breaks the pair. Launch stays refused and nothing is stored.
import { call, expect, test } from './fixtures';

test("a DQN's batchSize above its bufferSize is said under batchSize at once, and under a Sweep row's value; Launch stores nothing", async ({ app, server }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('select-agent').selectOption('dqn');
  // learningRate 7: the draft's own problem, which the service says alone.
  await app.getByTestId('input-agent.learningRate').fill('7');
  await app.getByTestId('input-agent.bufferSize').fill('1000');
  await app.getByTestId('input-agent.batchSize').fill('2048');
  await expect(app.getByTestId('problem-agent.learningRate')).toContainText('must be a number in (0, 1], got 7');
  await expect(app.getByTestId('problem-agent.batchSize')).toHaveText('batchSize 2048 exceeds bufferSize 1000: raise bufferSize');
  await expect(app.getByTestId('validation-state')).toHaveText('2 problems to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();

  // With learningRate fixed the service says the pair too: one line, one problem.
  await app.getByTestId('input-agent.learningRate').fill('0.001');
  await expect(app.getByTestId('problem-agent.learningRate')).toHaveCount(0);
  await expect(app.getByTestId('problem-agent.batchSize')).toHaveText('batchSize 2048 exceeds bufferSize 1000: raise bufferSize');
  await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await app.getByTestId('launch').click({ force: true });
  expect(await call<unknown[]>(server, 'experiments.list')).toEqual([]);

  // batchSize back within bufferSize; a Sweep row that takes it past again names that value.
  await app.getByTestId('input-agent.batchSize').fill('64');
  await expect(app.getByTestId('problem-agent.batchSize')).toHaveCount(0);
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption('agent.batchSize');
  await app.getByTestId('sweep-values-0').fill('32, 64, 2048');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText('batchSize = 2048: batchSize 2048 exceeds bufferSize 1000: raise bufferSize');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await app.getByTestId('launch').click({ force: true });
  expect(await call<unknown[]>(server, 'experiments.list')).toEqual([]);
  await app.getByTestId('sweep-values-0').fill('32, 64');
  await expect(app.getByTestId('sweep-problem-0')).toHaveCount(0);
  await expect(app.getByTestId('launch')).toBeEnabled();
});

test("a tabular agent on the shop's vector observation is said under the agent at once, in the service's words; Launch stores nothing", async ({ app, server }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('select-env').selectOption('shop');
  await app.getByTestId('select-agent').selectOption('q-learning');
  // alpha 7: the draft's own problem, at which the service stops (it said the pair only at launch, once all else was valid).
  await app.getByTestId('input-agent.alpha').fill('7');
  await expect(app.getByTestId('problem-agent.alpha')).toBeVisible();
  await expect(app.getByTestId('problem-agent.id')).toHaveCount(0);
  const observation = app.getByTestId('input-env.observation');
  if (!(await observation.isVisible())) await app.locator('[data-testid^="group-env."]', { has: observation }).locator('summary').click();
  await observation.selectOption('vector');
  await expect(app.getByTestId('problem-agent.id')).toContainText('q-learning needs a discrete observation space, but the environment observes a vector of');
  await expect(app.getByTestId('problem-agent.id')).toContainText('choose a tabular environment (or the shop with observation "discrete") or a vector agent');
  await expect(app.getByTestId('validation-state')).toHaveText('2 problems to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();
  // With alpha fixed the service says it too: one line, one problem.
  await app.getByTestId('input-agent.alpha').fill('0.1');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveCount(0);
  await expect(app.getByTestId('problem-agent.id')).toContainText('q-learning needs a discrete observation space');
  await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');
  await app.getByTestId('launch').click({ force: true });
  expect(await call<unknown[]>(server, 'experiments.list')).toEqual([]);
  // A vector agent takes it.
  await app.getByTestId('select-agent').selectOption('dqn');
  await expect(app.getByTestId('problem-agent.id')).toHaveCount(0);
});
