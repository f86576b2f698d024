// The Electron app given `--db lab/` (a folder, as a shell completes one) resolved it without its
// slash and made a database file named lab, where the CLI refuses it (03a8a74). The app now refuses
// it the same way before anything is opened or made: the CLI's one line in its error box and on
// stderr (the terminal it was typed in), exit 2. `electron` is faked (no binary here) and so is the
// service; the store is real, so the old code's file `lab` would be there to see.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appDatabase } from '../../src/main/db-option';
import { tempDir } from '../helpers/tmp';

const fake = vi.hoisted(() => {
  const state = { userData: '', exited: (_code: number) => {} };
  const app = {
    getPath: () => state.userData,
    setPath: vi.fn(),
    isPackaged: true,
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    exit: vi.fn((code: number) => state.exited(code)),
    quit: vi.fn(),
    on: vi.fn(),
  };
  const dialog = { showErrorBox: vi.fn() };
  const electron = { app, dialog, BrowserWindow: {}, ipcMain: {}, Menu: {}, nativeTheme: { themeSource: 'system' }, screen: {}, session: {}, shell: {} };
  return { state, electron, app, dialog };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
vi.mock('../../src/main/service', () => ({
  AisleService: class {
    handlers = {};
    on = () => () => {};
    close = () => Promise.resolve();
  },
}));

let dir: string;
let argv: string[];
let aisleDb: string | undefined;

beforeEach(() => {
  dir = tempDir();
  fake.state.userData = join(dir, 'userData');
  argv = process.argv;
  aisleDb = process.env.AISLE_DB;
  delete process.env.AISLE_DB;
  vi.resetModules();
  fake.app.exit.mockClear();
  fake.app.setPath.mockClear();
  fake.dialog.showErrorBox.mockClear();
});

afterEach(() => {
  process.argv = argv;
  if (aisleDb === undefined) delete process.env.AISLE_DB;
  else process.env.AISLE_DB = aisleDb;
  vi.restoreAllMocks();
});

/** Starts the app's main process (src/main/index.ts) as Electron would, with these arguments. */
async function launch(args: string[]): Promise<string> {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => (written.push(String(text)), true));
  process.argv = ['electron', '.', ...args];
  const exited = new Promise<number>((resolve) => (fake.state.exited = resolve));
  await import('../../src/main/index');
  await exited; // the shell gave up (the old code went on to open the database, and never did)
  return written.join('');
}

describe('the Electron app given a --db ending in "/"', () => {
  for (const [how, args] of [
    ['--db lab/', (folder: string) => ['--db', `${folder}/`]],
    ['--db=lab/', (folder: string) => [`--db=${folder}/`]],
  ] as const) {
    it(`refuses ${how} in the CLI's words, exit 2, and makes nothing`, async () => {
      const folder = join(dir, 'lab');
      const said = `--db: ${folder}/ ends in "/", so it names a folder: give the path of a database file in it, e.g. --db ${folder}/aisle.db`;
      const stderr = await launch(args(folder));
      expect(fake.app.exit).toHaveBeenCalledWith(2);
      expect(fake.dialog.showErrorBox).toHaveBeenCalledWith('Aisle cannot open its database', said);
      expect(stderr).toBe(`aisle: ${said}\n`);
      expect(existsSync(folder)).toBe(false);
      expect(readdirSync(dir)).not.toContain('lab');
    });
  }

  it('refuses AISLE_DB=lab/ likewise, naming AISLE_DB', async () => {
    const folder = join(dir, 'lab');
    process.env.AISLE_DB = `${folder}/`;
    const stderr = await launch([]);
    expect(fake.app.exit).toHaveBeenCalledWith(2);
    expect(stderr).toBe(`aisle: AISLE_DB: ${folder}/ ends in "/", so it names a folder: give the path of a database file in it, e.g. --db ${folder}/aisle.db\n`);
    expect(existsSync(folder)).toBe(false);
  });
});

describe('appDatabase', () => {
  it('takes --db, then AISLE_DB, then the default; a path naming a file is no problem', () => {
    const home = () => '/home/u/.config/Aisle/aisle.db';
    expect(appDatabase(['electron', '.'], {}, home)).toEqual({ path: home() });
    expect(appDatabase(['electron', '.', '--db', '/tmp/a.db'], { AISLE_DB: '/tmp/b.db' }, home)).toEqual({ path: '/tmp/a.db' });
    expect(appDatabase(['electron', '.'], { AISLE_DB: '/tmp/b.db' }, home)).toEqual({ path: '/tmp/b.db' });
    expect(appDatabase(['electron', '.', '--db', '/tmp/lab/'], {}, home)).toEqual({ path: '/tmp/lab', problem: expect.stringMatching(/^--db: \/tmp\/lab\/ ends in "\/"/) as unknown });
  });
});

// The smoke test moved the app's settings folder with XDG_CONFIG_HOME, which only Linux reads: on a Mac
// or Windows it wrote into the real Aisle folder and met a running Aisle's one-app lock.
describe('the Electron app given AISLE_USER_DATA', () => {
  it('keeps its settings there, on every platform, and its default database with them', async () => {
    const folder = join(dir, 'other');
    process.env.AISLE_USER_DATA = folder;
    try {
      // A --db folder makes the app stop before it opens anything: enough to see where it put userData.
      await launch(['--db', `${join(dir, 'lab')}/`]);
    } finally {
      delete process.env.AISLE_USER_DATA;
    }
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', folder);
  });

  it('takes a blank AISLE_USER_DATA for none, as the CLI does (not the folder it was started in)', async () => {
    process.env.AISLE_USER_DATA = ' ';
    try {
      await launch(['--db', `${join(dir, 'lab')}/`]);
    } finally {
      delete process.env.AISLE_USER_DATA;
    }
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', join(fake.state.userData, 'Aisle'));
  });

  it('keeps them in appData/Aisle without it', async () => {
    await launch(['--db', `${join(dir, 'lab')}/`]);
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', join(fake.state.userData, 'Aisle'));
  });
});
