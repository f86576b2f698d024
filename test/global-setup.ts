// Builds the Node-side entries once before the tests: the job-pool and CLI tests run the real
// built worker (out/main/worker.js) and CLI (out/main/cli.js), as users do. Always, not only when
// stale (the tests must run what the sources say), but under the lock `npx aisle` and `npm start`
// take (scripts/build-if-stale.mjs): one of them started meanwhile waits for the build rather than
// import an out/ the build has just emptied.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { withLock } from '../scripts/build-if-stale.mjs';

export default function setup(): void {
  if (process.env.AISLE_SKIP_BUILD) return;
  withLock(join(__dirname, '..', 'node_modules', '.aisle-build.lock'), () => {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  });
}
