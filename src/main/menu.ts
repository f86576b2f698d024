/**
 * The application menu and its two import commands. Importing from the menu goes through the same
 * contract as the page (dispatch parses every input): a policy file is stored; an experiment file is
 * checked, then launched after the user confirms (the page sees it through `experiments.changed`).
 * Electron arrives as a parameter; nothing here imports it at run time.
 */
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type * as Electron from 'electron';
import { MAX_FILE_BYTES, type Handlers } from '../shared/contract';
import type { ExperimentFileResult } from '../shared/dto';
import { dispatch } from '../shared/dispatch';
import { counted, pastFileBytes, pastFileLimit, tableSizeText } from '../shared/text';
import { findEnvironment } from '../engine/registry';
import { readTextFile } from './files';
import { noteLines } from './service/experiments';
import type { ElectronPieces } from './shell';

export interface MenuContext {
  readonly dev: boolean;
  readonly version: string;
  readonly dbPath: string;
  readonly handlers: Handlers;
  readonly window: () => Electron.BrowserWindow | null;
}

/**
 * Reads a file the user picked, refusing one too large to hold what the contract accepts (also a
 * device or a pipe that never ends: see readTextFile). The limit is the browser mode's, 64 Mi
 * characters: capped at 64 MB, a mostly-CJK file of 40 Mi characters (120 MB) that the browser
 * mode takes was refused here. A file within the bytes but past the characters is read and refused
 * here, in the page's words for such a file (pastFileLimit), not sent to the page. At most 192 MB
 * is read, about what the browser mode's page holds of such a file (it reads any file whole).
 */
export async function readPickedFile(path: string): Promise<{ name: string; text: string }> {
  const name = basename(path);
  const stats = statSync(path, { throwIfNoEntry: false });
  // A pipe or a device would block the main process, and with it the window, until written to.
  if (stats?.isFile() === false) throw new Error(`${name} is not a regular file (a pipe, a device or a folder): pick a file`);
  // Said as the Off-policy screen says a logs file too large to read (ope-logs-size.ts), in characters.
  const tooMany = stats === undefined ? null : pastFileBytes(stats.size, 'the app reads');
  if (tooMany !== null) throw new Error(`${name}: ${tooMany}: use a smaller file, or the aisle command, which reads larger ones`);
  const text = readTextFile(path, name, MAX_FILE_BYTES);
  // Past the characters, refused here: sent, a mostly-ASCII file of 190 MB with one character past
  // Latin-1 crossed to the page as 380 MB of two-byte text (several with a multiple pick), IPC
  // messages of a size Electron is known to fail on, only for the page to refuse it.
  const past = pastFileLimit(text.length, 'the app reads');
  if (past !== null) throw new Error(`${name}: ${past}: use a smaller file, or the aisle command, which reads larger ones`);
  return { name, text };
}

type Pieces = Pick<ElectronPieces, 'Menu' | 'dialog' | 'app'>;

export function menuTemplate(electron: Pieces, context: MenuContext, platform: NodeJS.Platform = process.platform): Electron.MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const report = (e: unknown) => electron.dialog.showErrorBox('Import failed', e instanceof Error ? e.message : String(e));
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import experiment…', accelerator: 'CmdOrCtrl+O', click: () => importExperiment(electron, context).catch(report) },
        { label: 'Import policy…', click: () => importPolicy(electron, context).catch(report) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(context.dev ? [{ role: 'reload' as const }, { role: 'forceReload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'help', submenu: [{ label: 'About Aisle', click: () => void showAbout(electron, context) }] },
  ];
}

export function installMenu(electron: Pieces, context: MenuContext): void {
  electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(menuTemplate(electron, context)));
}

async function pickOne(electron: Pieces, context: MenuContext, title: string, filter: Electron.FileFilter): Promise<string | null> {
  const options: Electron.OpenDialogOptions = { title, filters: [filter, { name: 'All files', extensions: ['*'] }], properties: ['openFile'] };
  const window = context.window();
  const picked = window ? await electron.dialog.showOpenDialog(window, options) : await electron.dialog.showOpenDialog(options);
  return picked.canceled ? null : (picked.filePaths[0] ?? null);
}

async function message(electron: Pieces, context: MenuContext, options: Electron.MessageBoxOptions): Promise<number> {
  const window = context.window();
  return (window ? await electron.dialog.showMessageBox(window, options) : await electron.dialog.showMessageBox(options)).response;
}

export async function importPolicy(electron: Pieces, context: MenuContext): Promise<void> {
  const path = await pickOne(electron, context, 'Import policy', { name: 'Aisle policy (aisle.policy/v1)', extensions: ['json'] });
  if (!path) return;
  const file = await readPickedFile(path);
  const reply = await dispatch(context.handlers, 'policies.import', { text: file.text, fileName: file.name });
  if (!reply.ok) throw new Error(reply.error.message);
  const result = reply.value as Awaited<ReturnType<Handlers['policies.import']>>;
  if (!result.ok) throw new Error(`${file.name} is not a valid policy:\n${result.problems.join('\n')}`);
  const named = result.policy.name ?? `#${result.policy.id}`;
  // Stored either way, but its settings edited since export are said, as `aisle policies import` warns.
  const warnings = result.warnings.map((w) => `\n\nWarning: ${w}`).join('');
  const type = warnings ? 'warning' : 'info';
  if (result.alreadyStored) {
    await message(electron, context, { type, message: `${file.name} is already stored`, detail: `It is policy #${result.policy.id} (${named}): not imported again.${warnings}` });
    return;
  }
  await message(electron, context, { type, message: `Imported policy ${named}`, detail: `${tableSizeText(result.policy.states, result.policy.actions)}, environment ${result.policy.envId}.${warnings}` });
}

export async function importExperiment(electron: Pieces, context: MenuContext): Promise<void> {
  const path = await pickOne(electron, context, 'Import experiment', { name: 'Aisle experiment (aisle.experiment/v1)', extensions: ['json'] });
  if (!path) return;
  const file = await readPickedFile(path);
  const reply = await dispatch(context.handlers, 'experiments.parseFile', { text: file.text, fileName: file.name, files: await referencedFiles(path, file.text) });
  if (!reply.ok) throw new Error(reply.error.message);
  const result = reply.value as ExperimentFileResult;
  if (!result.ok) throw new Error(`${file.name} is not a valid experiment:\n${result.problems.join('\n')}`);
  const { experiment } = result;
  // What the form says beside Ready (a fittedTo left out, a shift that never happens), said before the user launches over it.
  const notes = noteLines(result).map((n) => `\n\nNote: ${n}`).join('');
  const choice = await message(electron, context, {
    type: 'question',
    buttons: ['Launch', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    message: `Launch “${experiment.name}”?`,
    detail: `${counted(experiment.seeds.length, 'run')} × ${counted(experiment.episodes, 'episode')}.${notes}`,
  });
  if (choice !== 0) return;
  const launched = await dispatch(context.handlers, 'experiments.launch', { experiment, source: path });
  if (!launched.ok) throw new Error(launched.error.message);
}

/**
 * The files an experiment names by a relative path in its environment's file parameters (tabular-mdp's
 * `mdp`, the shop's `catalog`: the definition's fileParams), each read from beside it, as the CLI
 * reads them, keyed by the path as written. The shop-calibrated preset names
 * `"catalog": "../shops/online-retail.shop.json"`.
 */
async function referencedFiles(experimentPath: string, text: string): Promise<Record<string, string>> {
  let env: unknown;
  try {
    env = (JSON.parse(text) as { env?: unknown }).env;
  } catch {
    return {}; // parseFile reports the JSON error
  }
  if (env === null || typeof env !== 'object' || Array.isArray(env)) return {};
  const fields = env as Record<string, unknown>;
  const def = typeof fields.id === 'string' ? findEnvironment(fields.id) : undefined;
  const files: Record<string, string> = {};
  for (const key of def?.fileParams ?? []) {
    const path = fields[key];
    if (typeof path !== 'string' || path === '' || isAbsolute(path)) continue;
    const sibling = resolve(dirname(experimentPath), path);
    // Only a regular file: a pipe named there (a shared experiment's "mdp": "../../fifo") would block
    // the main process. Left out, it is said as a file not read, as a missing one is.
    if (!statSync(sibling, { throwIfNoEntry: false })?.isFile()) continue;
    files[path] = (await readPickedFile(sibling)).text;
  }
  return files;
}

async function showAbout(electron: Pieces, context: MenuContext): Promise<void> {
  await message(electron, context, {
    type: 'info',
    message: `Aisle ${context.version}`,
    detail: `A lab for reinforcement-learning recommenders.\n\nDatabase: ${context.dbPath}\nElectron ${process.versions.electron ?? '–'}, Chromium ${process.versions.chrome ?? '–'}, Node.js ${process.versions.node}`,
  });
}
