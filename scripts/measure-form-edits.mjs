#!/usr/bin/env node
// What one keystroke costs the page in New experiment when the form holds a large inline MDP: a
// generated MDP (20,000 states by default) goes in through the mdp field's Replace…, then the name
// field is typed into, one character at a time, and each keystroke is measured two ways:
//   - latency: from the keydown's timestamp to the first task after the next frame (what the user waits for);
//   - page work: the main thread's busy time (CDP Performance.getMetrics' TaskDuration) from the
//     keystroke until the page has been idle for a while, the 200 ms check included (keys are typed
//     `--gap` ms apart, 400 by default, so every keystroke is checked, as a slow typist's is).
//
//   node scripts/measure-form-edits.mjs [--states 20000] [--keys 12] [--gap 400]
//
// Needs a build (`npm run build`) and Chromium (/usr/bin/chromium, or AISLE_CHROMIUM).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './serve-browser.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const STATES = option('states', 20_000);
const KEYS = option('keys', 12);
const GAP = option('gap', 400);
const chromiumPath = process.env.AISLE_CHROMIUM ?? '/usr/bin/chromium';

/** A random walk on a line of `states` states, 4 actions, two next states a pair (the last state ends it). */
function mdpText(states) {
  const rows = [];
  for (let s = 0; s < states - 1; s++) {
    for (let a = 0; a < 4; a++) {
      const next = Math.min(states - 1, Math.max(0, s + (a % 2 === 0 ? 1 : -1)));
      rows.push(...(next === s ? [`[${s},${a},1,${s},-1]`] : [`[${s},${a},0.75,${next},-1]`, `[${s},${a},0.25,${s},-1]`]));
    }
  }
  return `{"format":"aisle.mdp/v1","name":"walk of ${states}","states":${states},"actions":["a","b","c","d"],"start":{"0":1},"terminal":[${states - 1}],"transitions":[\n${rows.join(',\n')}\n]}`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'aisle-form-edits-'));
const file = join(dir, `walk-${STATES}.mdp.json`);
const text = mdpText(STATES);
writeFileSync(file, text);
const { child, url } = await serve(join(dir, 'aisle.db'));
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.evaluate(() => (window.location.hash = '#/experiments/new'));
  await page.getByTestId('select-env').selectOption('tabular-mdp');
  const chooser = page.waitForEvent('filechooser');
  await page.locator('[id="f-env.mdp"]').click();
  await (await chooser).setFiles(file);
  const loaded = page.getByTestId('summary-env.mdp').filter({ hasText: `${STATES.toLocaleString('en-US')} states` });
  const refused = page.getByTestId('import-problems');
  await loaded.or(refused).waitFor({ timeout: 120_000 });
  if (await refused.isVisible()) throw new Error(`the MDP was not read: ${await refused.innerText()}`);
  await page.getByTestId('validation-state').filter({ hasText: /^Ready/ }).waitFor({ timeout: 120_000 });

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
  const name = page.locator('#f-name');
  await name.click();
  await name.press('End');
  await page.waitForTimeout(GAP);
  await page.evaluate(() => {
    window.__latencies = [];
    document.addEventListener(
      'keydown',
      (e) => {
        const at = e.timeStamp;
        requestAnimationFrame(() => setTimeout(() => window.__latencies.push(performance.now() - at)));
      },
      true,
    );
  });

  const work = [];
  for (let i = 0; i < KEYS; i++) {
    const before = await busy();
    await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
    await page.waitForTimeout(GAP);
    await page.getByTestId('validation-state').filter({ hasText: /^Ready/ }).waitFor();
    work.push((await busy()) - before);
  }
  if (process.argv.includes('--profile')) {
    // Where a keystroke's time goes: the functions with the most self time over three more keystrokes.
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    for (let i = 0; i < 3; i++) {
      await page.keyboard.type('x');
      await page.waitForTimeout(GAP);
      await page.getByTestId('validation-state').filter({ hasText: /^Ready/ }).waitFor();
    }
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map();
    const dt = profile.timeDeltas;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const n = byId.get(id);
      const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    const top = [...self].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 12);
    process.stderr.write(`self time over 3 keystrokes:\n${top.map(([name, t]) => `  ${ms(t)}  ${name}`).join('\n')}\n`);
  }
  const latencies = await page.evaluate((n) => window.__latencies.slice(0, n), KEYS);
  const draftChars = await page.evaluate(() => Object.keys(window.sessionStorage).reduce((n, k) => n + (window.sessionStorage.getItem(k) ?? '').length, 0));
  console.log(
    JSON.stringify({
      measure: 'new-experiment keystroke',
      states: STATES,
      mdpBytes: text.length,
      keys: KEYS,
      latencyMedian: Math.round(median(latencies)),
      latencyMax: Math.round(Math.max(...latencies)),
      pageWorkMedian: Math.round(median(work)),
      pageWorkMax: Math.round(Math.max(...work)),
      sessionStorageChars: draftChars,
    }),
  );
  process.stderr.write(`latencies ${latencies.map(ms).join(', ')}\npage work ${work.map(ms).join(', ')}\n`);
  if (errors.length) process.stderr.write(`the page threw:\n${errors.join('\n')}\n`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
