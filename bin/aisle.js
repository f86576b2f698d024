#!/usr/bin/env node
// The `aisle` command: runs the built CLI (out/main/cli.js), rebuilding first in a source checkout
// when anything under src/ is newer than the build, so `npx aisle` never runs stale code.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIfStale } from '../scripts/build-if-stale.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
buildIfStale();
const { main } = await import(pathToFileURL(join(root, 'out', 'main', 'cli.js')).href);
process.exitCode = await main(process.argv);
