// Builds the Node-side entries once before the tests: the job-pool and CLI tests run the real
// built worker (out/main/worker.js) and CLI (out/main/cli.js), as users do.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.AISLE_SKIP_BUILD) return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
