// Off-policy's logs file past the app's 64 Mi characters: refused naming the file and the commands
// that read it, before its text is sent (it was uploaded whole, then refused as "text: is larger
// than the logs file limit of 64 Mi characters", naming no file).
import { describe, expect, it } from 'vitest';
import { logsTooLarge } from '../../src/renderer/src/components/ope-logs-size';
import { MAX_FILE_CHARS } from '../../src/shared/contract';

const MiB = 2 ** 20;
const commands = (name: string) =>
  `in a terminal, evaluate policies on it with \`aisle ope ${name} --target uniform\` or fit a simulator to it with \`aisle logs mdp ${name}\`, which read larger files`;

describe('logsTooLarge', () => {
  it('refuses by its size, before reading, a file too large to hold 64 Mi characters or fewer', () => {
    expect(logsTooLarge({ name: 'clicks.csv', size: 200 * MiB })).toBe(`clicks.csv: is 200 MB, more than the 64 Mi characters the app reads: ${commands('clicks.csv')}`);
    // 3 bytes a character at most (a byte-order mark besides): a file up to that may hold 64 Mi characters or fewer.
    expect(logsTooLarge({ name: 'clicks.csv', size: 3 * MAX_FILE_CHARS + 3 })).toBeNull();
    expect(logsTooLarge({ name: 'clicks.csv', size: 97 * MiB })).toBeNull();
  });

  it('refuses by its characters, once read, a file past 64 Mi of them, and takes one at the limit', () => {
    expect(logsTooLarge({ name: 'clicks.csv', size: 97 * MiB }, 96.5 * MiB)).toBe(`clicks.csv: holds 96.5 Mi characters, more than the 64 Mi characters the app reads: ${commands('clicks.csv')}`);
    expect(logsTooLarge({ name: 'clicks.csv', size: 70 * MiB }, MAX_FILE_CHARS)).toBeNull();
  });

  it('quotes a name a shell would split in the commands, and names the file as it is', () => {
    expect(logsTooLarge({ name: "May's logs.csv", size: 300 * MiB })).toBe(`May's logs.csv: is 300 MB, more than the 64 Mi characters the app reads: ${commands(`'May'\\''s logs.csv'`)}`);
  });
});
