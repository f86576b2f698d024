// The browser `aisle serve` opens is given a page only this user can read, not the one-time link:
// a command line is readable by every local user, who could trade the code before the browser did.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appDataFolder, htmlOpensInSnap, OPEN_FOLDER, openLink, redirectPage, removeStalePages, writeOpenPage } from '../../src/cli/browser-open';
import { tempDir } from '../helpers/tmp';

const LINK = 'http://127.0.0.1:5717/#once=AbCdEfGhIjKlMnOpQrStUvWx';
const posix = process.platform !== 'win32';

/** The URL each of the page's three ways out leads to, read back as a browser reads it. */
function destinations(html: string): { script: string; refresh: string; link: string } {
  const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const script = /<script>location\.replace\((.*)\);<\/script>/.exec(html)![1]!;
  return {
    script: JSON.parse(script) as string,
    refresh: unescape(/<meta http-equiv="refresh" content="1; url=([^"]*)">/.exec(html)![1]!),
    link: unescape(/<a href="([^"]*)">/.exec(html)![1]!),
  };
}

/** A process id that no process has now: a child's, once it exited. */
function endedPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('openLink', () => {
  it('writes the page 0600 in a 0700 folder under the app data folder and opens the browser on its file:// URL, not on the link', () => {
    const folder = join(appDataFolder({ AISLE_USER_DATA: tempDir() }), OPEN_FOLDER);
    const opened: string[] = [];
    const warned: string[] = [];
    const page = openLink(LINK, { folder, opener: (url) => opened.push(url), unreadable: () => false, warn: (m) => warned.push(m) })!;

    expect(warned).toEqual([]);
    expect(page.path).toBe(join(folder, `open-${process.pid}.html`));
    expect(opened).toEqual([page.url]);
    expect(page.url).toMatch(/^file:\/\//);
    expect(fileURLToPath(page.url)).toBe(page.path);
    expect(opened[0]).not.toContain('once=');
    if (posix) {
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      expect(statSync(page.path).mode & 0o777).toBe(0o600);
    }
    expect(destinations(readFileSync(page.path, 'utf8'))).toEqual({ script: LINK, refresh: LINK, link: LINK });
    // Written whole: nothing but the page is left beside it.
    expect(readdirSync(folder)).toEqual([`open-${process.pid}.html`]);

    page.remove();
    expect(existsSync(page.path)).toBe(false);
    page.remove();
  });

  it('narrows a folder others could read to 0700 before writing the page in it', () => {
    if (!posix) return;
    const folder = join(tempDir(), OPEN_FOLDER);
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    const page = writeOpenPage(folder, LINK);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(page.path).mode & 0o777).toBe(0o600);
  });

  it('refuses a link in place of the folder (the page would land wherever it points), and opens no browser', () => {
    if (!posix) return;
    const dir = tempDir();
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, OPEN_FOLDER));
    const opened: string[] = [];
    const warned: string[] = [];
    expect(openLink(LINK, { folder: join(dir, OPEN_FOLDER), opener: (url) => opened.push(url), unreadable: () => false, warn: (m) => warned.push(m) })).toBeUndefined();
    expect(opened).toEqual([]);
    expect(warned).toEqual([`no browser opened: the page that opens it could not be written in ${join(dir, OPEN_FOLDER)} (${join(dir, OPEN_FOLDER)} is not a folder): open the link above`]);
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });

  it("gives a snap's browser, which cannot read ~/.config, the one-time link itself, and writes no page", () => {
    const folder = join(tempDir(), OPEN_FOLDER);
    const opened: string[] = [];
    expect(openLink(LINK, { folder, opener: (url) => opened.push(url), unreadable: () => true, warn: () => {} })).toBeUndefined();
    expect(opened).toEqual([LINK]);
    expect(existsSync(folder)).toBe(false);
  });
});

describe('redirectPage', () => {
  it('escapes the link for the script and for the attributes: a quote, </script> or & in it ends nothing early', () => {
    const link = `http://host.example:5717/?a=1&b="x"'y'</script><script>alert(1)</script><!--#once=z`;
    const html = redirectPage(link);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).not.toContain('<!--');
    expect(destinations(html)).toEqual({ script: link, refresh: link, link });
  });

  it('fetches nothing from elsewhere and sends no referrer', () => {
    const html = redirectPage(LINK);
    expect(html).not.toMatch(/\bsrc=|<link\b|@import/);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });
});

describe('removeStalePages', () => {
  it("removes the pages (and half-written ones) of hosts no longer running, and keeps this host's, running hosts' and other files", () => {
    const folder = tempDir();
    const ended = endedPid();
    const names = [`open-${ended}.html`, `open-${ended}.html.Ab_-9.tmp`, `open-${process.pid}.html`, `open-${process.ppid}.html`, 'notes.txt', 'open-x.html'];
    for (const name of names) writeFileSync(join(folder, name), '');
    expect(removeStalePages(folder).sort()).toEqual([`open-${ended}.html`, `open-${ended}.html.Ab_-9.tmp`]);
    expect(readdirSync(folder).sort()).toEqual([`open-${process.pid}.html`, `open-${process.ppid}.html`, 'notes.txt', 'open-x.html'].sort());
  });

  it('asks whether each host runs, and takes a missing folder as holding none', () => {
    const folder = tempDir();
    writeFileSync(join(folder, 'open-4000001.html'), '');
    writeFileSync(join(folder, 'open-4000002.html'), '');
    expect(removeStalePages(folder, (pid) => pid === 4000002)).toEqual(['open-4000001.html']);
    expect(removeStalePages(join(folder, 'missing'))).toEqual([]);
  });
});

describe('appDataFolder', () => {
  it("is AISLE_USER_DATA when given, else the default database's folder", () => {
    expect(appDataFolder({ AISLE_USER_DATA: '/data/aisle' }, 'linux', '/home/ann')).toBe(join('/data/aisle'));
    expect(appDataFolder({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Aisle');
    expect(appDataFolder({ XDG_CONFIG_HOME: '/xdg', AISLE_USER_DATA: ' ' }, 'linux', '/home/ann')).toBe('/xdg/Aisle');
    expect(appDataFolder({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Aisle');
  });
});

describe('htmlOpensInSnap', () => {
  it("is true when HTML files open in a snap's desktop entry, as Ubuntu's Firefox and Chromium are", () => {
    const installed = (file: string) => file === 'firefox_firefox.desktop';
    expect(htmlOpensInSnap(() => 'firefox_firefox.desktop\n', installed)).toBe(true);
    expect(htmlOpensInSnap(() => 'firefox.desktop\n', installed)).toBe(false);
    expect(htmlOpensInSnap(() => 'chromium_chromium.desktop\n', installed)).toBe(false);
    expect(htmlOpensInSnap(() => '', installed)).toBe(false);
  });
});
