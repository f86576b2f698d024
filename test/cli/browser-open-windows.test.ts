// On Windows `aisle serve` opened its page with `cmd /c start "" <file:// URL>`: cmd.exe reads the URL
// as part of a command line, so a page under a folder named with & (C:\Users\Tom&Jerry), |, <, >, ^
// or %NAME% was cut there, the rest run as a command, redirected or expanded. The URL now goes to
// rundll32 url.dll,FileProtocolHandler, which hands it to the shell as it is: no command interpreter
// sees it. The opener is checked here by the process it would start (spawn mocked, the platform set).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openWithDesktop } from '../../src/cli/browser-open';

const started = vi.hoisted(() => [] as { command: string; args: readonly string[]; options: Record<string, unknown> }[]);

vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  const spawn = (command: string, args: readonly string[], options: Record<string, unknown>) => {
    started.push({ command, args, options });
    return { on: () => undefined, unref: () => undefined };
  };
  return { ...actual, spawn, default: { ...actual, spawn } };
});

const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
const onPlatform = (name: NodeJS.Platform) => Object.defineProperty(process, 'platform', { ...platform, value: name });

beforeEach(() => {
  started.length = 0;
});
afterEach(() => {
  Object.defineProperty(process, 'platform', platform);
});

// URLs holding each of cmd.exe's metacharacters: pathToFileURL leaves & in a page's path as it is and
// writes ^ | < > % as percent-escapes (%5E %7C %3C %3E %25), which cmd could read as %NAME%; the
// others raw, as a URL given whole may hold them (openWithDesktop takes any).
const URLS = [
  'file:///C:/Users/Tom&Jerry/AppData/Roaming/Aisle/browser-open/open-12.html',
  'file:///C:/Users/a^b/AppData/Roaming/Aisle/browser-open/open-12.html',
  'file:///C:/Users/a|b/AppData/Roaming/Aisle/browser-open/open-12.html',
  'file:///C:/Users/<x>/AppData/Roaming/Aisle/browser-open/open-12.html',
  'file:///C:/Users/100%25%20%25PATH%25/AppData/Roaming/Aisle/browser-open/open-12.html',
];

describe('openWithDesktop on Windows', () => {
  it.each(URLS)('gives %s to no command interpreter: one argument, as it is', (url) => {
    onPlatform('win32');
    openWithDesktop(url);
    expect(started).toHaveLength(1);
    const [{ command, args, options }] = started as [(typeof started)[0]];
    expect(command).not.toMatch(/(^|[\\/])(cmd|powershell|pwsh)(\.exe)?$/i);
    expect(options.shell ?? false).toBe(false);
    expect(options.windowsVerbatimArguments ?? false).toBe(false);
    expect({ command, args }).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
    expect(options).toMatchObject({ stdio: 'ignore', detached: true, windowsHide: true });
  });

  it('leaves macOS as it was: open <url>', () => {
    onPlatform('darwin');
    openWithDesktop(URLS[0]!);
    expect(started.map(({ command, args }) => [command, args])).toEqual([['open', [URLS[0]]]]);
  });
});
