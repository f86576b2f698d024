// Tabs of one Aisle share one event stream: over HTTP/1.1 Chromium keeps at most 6 connections to
// a host and each open stream holds one, so with a stream per tab the 7th tab's calls never went
// out. Eight tabs all answer and update live, and still do once the tab holding the stream closes.
import { openScreen } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

test('eight tabs of one Aisle all answer and follow new runs live, before and after the tab holding the stream closes', async ({ app, server }) => {
  const tabs = [app];
  for (let i = 1; i < 8; i++) {
    const tab = await app.context().newPage();
    await tab.goto(server.url);
    tabs.push(tab);
  }
  for (const tab of tabs) {
    await openScreen(tab, '#/runs');
    // Each tab's own calls go out: the sidebar's foot is the app.info call's answer.
    await expect(tab.getByTestId('app-info')).toHaveText(/ · browser mode · /);
  }
  // A run launched elsewhere (the CLI, another window) shows in every tab without a reload.
  await call(server, 'experiments.launch', { experiment: cliffExperiment('one', undefined, { seeds: 1, episodes: 20 }) });
  for (const tab of tabs) await expect(tab.getByTestId('run-row')).toHaveCount(1);
  // The first tab subscribed first, so it holds the stream: closed, another tab takes it over.
  await tabs[0]!.close();
  await call(server, 'experiments.launch', { experiment: cliffExperiment('two', undefined, { seeds: 1, episodes: 20 }) });
  for (const tab of tabs.slice(1)) await expect(tab.getByTestId('run-row')).toHaveCount(2);
});
