// `aisle serve --port 0 --no-open` for the scripts that drive the app in Chromium (screenshots,
// measures): the built CLI on a database of their own, and its tokened link once it prints it.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Starts the browser-mode host on the database `db`; resolves with its process and its link. */
export function serve(db) {
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), '--db', db, 'serve', '--port', '0', '--no-open'], {
    cwd: root,
    env: { ...process.env, AISLE_DB: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`aisle serve did not start in 20 s:\n${text}`)), 20_000);
    const read = (d) => {
      text += d.toString();
      const m = /Aisle is running at (\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        res({ child, url: m[1] });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (d) => (text += d.toString()));
    child.on('exit', (code) => rej(new Error(`aisle serve exited with ${code}:\n${text}`)));
  });
}
