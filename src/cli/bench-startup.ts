/**
 * `npm run bench startup`: how long an `aisle` command takes to start and answer, against Node
 * starting and doing nothing, in the same run. The command is `aisle runs` on an empty database
 * (it loads every module a command loads, opens SQLite and prints a line), the two taking turns,
 * the median of each reported: the tests run the CLI ~500 times, and users pay it per command.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Store } from '../main/store';

export function benchStartup(opts: { root: string; dir: string; quick: boolean; emit: (line: Record<string, unknown>) => void }): void {
  const cli = join(opts.root, 'out', 'main', 'cli.js');
  const db = join(opts.dir, 'startup.db');
  const rounds = opts.quick ? 5 : 21;
  const time = (args: string[]): number => {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AISLE_DB: '' } });
    if (r.status !== 0) throw new Error(`bench startup: node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  Store.open(db).close();
  time([cli, '--db', db, 'runs']); // once before the measure: the file in the page cache
  const aisle: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < rounds; i++) {
    aisle.push(time([cli, '--db', db, 'runs']));
    node.push(time(['-e', '']));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = median(aisle);
  const n = median(node);
  opts.emit({
    bench: 'cli-startup',
    unit: `ms wall, median of ${rounds} turns each: 'aisle runs' on an empty database vs 'node -e ""'`,
    aisleMs: Number(a.toFixed(1)),
    nodeMs: Number(n.toFixed(1)),
    ratio: Number((a / n).toFixed(2)),
    overheadMs: Number((a - n).toFixed(1)),
  });
}
