/**
 * The Off-policy screen's refusal of a logs file past what the app reads (the contract's
 * MAX_FILE_CHARS), said before its text is sent: the whole file used to be uploaded, then refused
 * as "text: is larger than the logs file limit of 64 Mi characters", naming no file.
 */
import { pastFileBytes, shellWord } from '../../../shared/text';
import { pastFileLimit } from '../files';

/**
 * Why the app will not read the logs file, or null: by its size in bytes before it is read (a UTF-8
 * character takes at most 3 bytes per UTF-16 unit, so a file past 3 bytes a character of the limit
 * holds more characters than it), then by its characters once read (`chars`), before they are sent.
 */
export function logsTooLarge(file: { readonly name: string; readonly size: number }, chars?: number): string | null {
  const past = chars !== undefined ? pastFileLimit(chars, 'the app reads') : pastFileBytes(file.size, 'the app reads');
  if (past === null) return null;
  const name = shellWord(file.name);
  return (
    `${file.name}: ${past}: in a terminal, ` +
    `evaluate policies on it with \`aisle ope ${name} --target uniform\` or fit a simulator to it with \`aisle logs mdp ${name}\`, which read larger files`
  );
}
