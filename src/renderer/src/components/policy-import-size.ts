/**
 * The Policies screen's refusal of a policy file past what Aisle stores (the contract's
 * MAX_FILE_CHARS), said before its text is sent: the whole file was uploaded, then refused with a
 * 400 (a failed request in the browser's console) as "text: is larger than the policy file limit".
 */
import { shellWord } from '../../../shared/text';
import { pastFileLimit } from '../files';

/** Why the app will not import a policy file of `chars` characters, or null (`aisle policies import` takes no more). */
export function policyTooLarge(fileName: string, chars: number): string | null {
  const past = pastFileLimit(chars, 'Aisle stores of a policy file');
  return past === null ? null : `${past}: evaluate it in a terminal with \`aisle eval ${shellWord(fileName)}\`, or serve it with the policy runtime, which read larger files`;
}

/**
 * A refused file's problems as its outcome lists them, under the heading that names the file ("shop.json
 * was not imported:"): each without the name it begins with, which the heading says already. The
 * service's syntax errors come so named ("shop.json: malformed JSON …"), and so does a file the app
 * cannot read as UTF-8 (readUtf8's "shop.json: is UTF-16 text …"), which was said with its name twice.
 */
export function problemLines(fileName: string, lines: readonly string[]): string[] {
  const named = `${fileName}: `;
  return lines.map((line) => (line.startsWith(named) ? line.slice(named.length) : line));
}
