// better-sqlite3's build for Electron (scripts/build-electron-sqlite.mjs), with node-gyp faked: it
// asks for Electron's headers even when npm's config names a nodedir (Debian's npm sets /usr, which
// made node-gyp build for Node and the script report it as Electron's), it refuses a build for
// another ABI, and a build is stamped with what it was made for, so one left from another Electron
// or better-sqlite3 counts as none (npm start makes it again) instead of being loaded.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildElectronSqlite, electronGypEnv, electronSqliteTarget, stampOf } from '../../scripts/build-electron-sqlite.mjs';
import { electronSqliteBinding } from '../../scripts/electron-status.mjs';
import { tempDir } from '../helpers/tmp';

const require = createRequire(import.meta.url);
const NODE_BUILD = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

/**
 * node-gyp as it behaves: with a nodedir in npm's config it compiles against those (Node's)
 * headers; otherwise against Electron's, here a stand-in file this Node cannot load. It logs the
 * options it was given. FAKE_GYP_MODE=node builds for Node whatever it is told.
 */
const FAKE_GYP = `
const fs = require('node:fs');
fs.writeFileSync(process.env.FAKE_GYP_LOG, JSON.stringify({ argv: process.argv.slice(2), nodedir: process.env.npm_config_nodedir ?? null, target: process.env.npm_config_target ?? null }));
fs.mkdirSync('build/Release', { recursive: true });
if (process.env.npm_config_nodedir || process.env.FAKE_GYP_MODE === 'node') fs.copyFileSync(${JSON.stringify(NODE_BUILD)}, 'build/Release/better_sqlite3.node');
else fs.writeFileSync('build/Release/better_sqlite3.node', 'better-sqlite3 for Electron (a stand-in)');
`;

const VARS = ['npm_config_node_gyp', 'npm_config_nodedir', 'FAKE_GYP_LOG', 'FAKE_GYP_MODE'] as const;
let saved: Partial<Record<(typeof VARS)[number], string>>;
let dir: string;
let log: string;

beforeEach(() => {
  saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  dir = tempDir('aisle-electron-sqlite-');
  log = join(dir, 'gyp.json');
  writeFileSync(join(dir, 'node-gyp.cjs'), FAKE_GYP);
  // As `npm run build:electron-sqlite` runs it with Debian's npm.
  process.env.npm_config_node_gyp = join(dir, 'node-gyp.cjs');
  process.env.npm_config_nodedir = '/usr';
  process.env.FAKE_GYP_LOG = log;
});

afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

describe('building better-sqlite3 for Electron', () => {
  const target = electronSqliteTarget();

  it('asks node-gyp for Electron’s headers even when npm’s config names a nodedir, and stamps the build', () => {
    const out = join(dir, 'native', 'better_sqlite3.node');
    const result = buildElectronSqlite({ quiet: true, out });
    expect(result).toEqual({ ok: true, path: out, electronVersion: target.electron });
    const given = JSON.parse(readFileSync(log, 'utf8')) as { argv: string[]; nodedir: string | null; target: string | null };
    expect(given.nodedir).toBeNull();
    expect(given.target).toBe(target.electron);
    expect(given.argv).toContain(`--target=${target.electron}`);
    expect(JSON.parse(readFileSync(stampOf(out), 'utf8'))).toEqual(target);
    expect(electronSqliteBinding(out)).toBe(out);
  });

  it('refuses a build node-gyp made for Node’s ABI, and installs nothing', () => {
    process.env.FAKE_GYP_MODE = 'node';
    const out = join(dir, 'native', 'better_sqlite3.node');
    const result = buildElectronSqlite({ quiet: true, out });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe(
      `node-gyp built better-sqlite3 for Node.js's ABI (${process.versions.modules}), not Electron ${target.electron}'s (${target.abi}): a nodedir or target in npm's config may point it at other headers; nothing was installed`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('takes a build made for another Electron or another better-sqlite3, or an unstamped one, as none', () => {
    const out = join(dir, 'better_sqlite3.node');
    writeFileSync(out, 'a build');
    expect(electronSqliteBinding(out)).toBeNull();
    writeFileSync(stampOf(out), JSON.stringify(target));
    expect(electronSqliteBinding(out)).toBe(out);
    writeFileSync(stampOf(out), JSON.stringify({ ...target, abi: '1' }));
    expect(electronSqliteBinding(out)).toBeNull();
    writeFileSync(stampOf(out), JSON.stringify({ ...target, betterSqlite3: '0.0.1' }));
    expect(electronSqliteBinding(out)).toBeNull();
    expect(electronSqliteBinding(join(dir, 'missing.node'))).toBeNull();
  });

  it('gives node-gyp Electron’s version and headers in its environment, over any npm config naming others', () => {
    const env = electronGypEnv({ PATH: '/bin', NPM_CONFIG_NODEDIR: '/usr', npm_config_target: '20.19.0', npm_config_disturl: 'x', npm_package_config_node_gyp_nodedir: 'y', npm_config_node_gyp: 'g' }, '41.7.1');
    expect(env).toEqual({ PATH: '/bin', npm_config_node_gyp: 'g', npm_config_target: '41.7.1', npm_config_dist_url: 'https://electronjs.org/headers' });
  });
});
