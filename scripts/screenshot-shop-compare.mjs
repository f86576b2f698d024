#!/usr/bin/env node
// docs/screenshots/shop-compare.png, reproducibly: runs shop-fatigue (Q-learning) and
// shop-fatigue-myopic (the myopic oracle), 10 seeds × 10,000 episodes each, into a temporary
// database with the `aisle` command, serves that database in the browser mode, and photographs the
// Compare view (metric `return`, the 95 % t band of the mean, automatic EMA: 0.95) in Chromium at 1280×1060 (the probability of improvement in sight).
//
//   node scripts/screenshot-shop-compare.mjs [--out path.png]
//
// Needs a build (`npm run build`; bin/aisle.js rebuilds what is stale) and Chromium
// (/usr/bin/chromium, or AISLE_CHROMIUM). Takes about a minute on two cores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve-browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'docs', 'screenshots', 'shop-compare.png'));
const chromiumPath = process.env.AISLE_CHROMIUM ?? '/usr/bin/chromium';
const PRESETS = ['shop-fatigue', 'shop-fatigue-myopic'];

/** `aisle run <preset> --db <db> --json`: the experiment's id once all its runs are done. */
function runPreset(db, preset) {
  process.stderr.write(`running ${preset} (10 seeds × 10,000 episodes)…\n`);
  const file = join(root, 'resources', 'experiments', `${preset}.json`);
  const r = spawnSync(process.execPath, [join(root, 'bin', 'aisle.js'), 'run', file, '--db', db, '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, AISLE_DB: '' } });
  if (r.status !== 0) throw new Error(`aisle run ${preset} exited with ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout).experimentId;
}

async function photograph(url, ids) {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1060 } });
    await page.goto(url);
    await page.evaluate(() => (window.location.hash = '#/compare'));
    for (const id of ids) await page.getByTestId(`compare-exp-${id}`).check();
    await page.waitForFunction((n) => {
      const chart = document.querySelector('[data-testid=compare-chart]');
      const canvas = document.querySelector('[data-testid=compare-canvas][data-drawn]');
      return chart?.getAttribute('data-groups') === String(n) && chart.getAttribute('data-bands') === String(n) && canvas !== null;
    }, ids.length);
    // The automatic smoothing, as a reader who follows docs/shop-results.md sees it: 0.95 for these
    // runs' 2,000 bucket means (one session's return is noisy, the trend is the point).
    await page.getByText('smoothed (EMA 0.95, automatic)').waitFor();
    await page.waitForTimeout(500); // let the chart's last frame settle
    // The chart and the final-performance table under it fill the window.
    await page.getByTestId('compare-metric').evaluate((el) => el.closest('section').scrollIntoView());
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'aisle-shop-compare-'));
const db = join(dir, 'aisle.db');
let server;
try {
  const ids = PRESETS.map((p) => runPreset(db, p));
  server = await serve(db);
  await photograph(server.url, ids);
  process.stderr.write(`wrote ${out}\n`);
} finally {
  server?.child.kill('SIGTERM');
  if (server) await new Promise((res) => server.child.once('exit', res));
  rmSync(dir, { recursive: true, force: true });
}
