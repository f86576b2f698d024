// A whole-number field out of range says why beside itself, at once, and is described by that
// message for a screen reader: Evaluate's Episodes and Seed here (Off-policy's numbers use the same field).
import { tabularPolicy } from '../helpers/policy';
import { openScreen } from './arrange';
import { call, expect, test } from './fixtures';

test('Evaluate\'s Episodes and Seed each say their range beside the field, linked to it, and both at once', async ({ app, server }) => {
  await call(server, 'policies.import', { text: JSON.stringify(tabularPolicy({ name: 'fields' })), fileName: 'fields.json' });
  await openScreen(app, '#/policies');
  const seed = app.getByTestId('eval-seed');
  const episodes = app.getByTestId('eval-episodes');
  await expect(seed).toBeVisible();
  await expect(app.getByTestId('eval-seed-problem')).toHaveCount(0);
  // One past the largest seed `aisle eval --seed` takes (the generator keeps a seed's low 32 bits):
  // said as the range, not as "0 or more".
  await seed.fill('2147483648');
  await episodes.fill('1');
  const seedProblem = app.getByTestId('eval-seed-problem');
  const episodesProblem = app.getByTestId('eval-episodes-problem');
  await expect(seedProblem).toHaveText('Seed: a whole number from 0 to 2,147,483,647.');
  await expect(episodesProblem).toHaveText('Episodes: a whole number from 2 to 1,000,000 (an interval needs at least two).');
  await expect(seed).toHaveAttribute('aria-invalid', 'true');
  await expect(seed).toHaveAttribute('aria-describedby', (await seedProblem.getAttribute('id'))!);
  await expect(episodes).toHaveAttribute('aria-describedby', (await episodesProblem.getAttribute('id'))!);
  await expect(seed).toHaveAccessibleDescription('Seed: a whole number from 0 to 2,147,483,647.');
  await expect(seed).toHaveAccessibleName('Seed');
  await expect(app.getByTestId('eval-run')).toBeDisabled();
  await seed.fill('7');
  await expect(seedProblem).toHaveCount(0);
  await expect(seed).not.toHaveAttribute('aria-describedby', /./);
});
