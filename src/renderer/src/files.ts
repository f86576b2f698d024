/** Reading the files a user picks in the app. */
import { MAX_FILE_CHARS } from '../../shared/contract';
import { mebi, mebiPast, notTextProblem, notUtf8Problem } from '../../shared/text';

/**
 * A picked file's text, refused when its bytes are not UTF-8 (File.text() would replace them with
 * U+FFFD, and names would be stored garbled): the same refusal the aisle command gives. UTF-16 is
 * told apart by its byte-order mark, as its fix is another conversion than Latin-1's.
 */
export async function readUtf8(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  const notText = notTextProblem(file.name, new Uint8Array(bytes));
  if (notText !== undefined) throw new Error(notText);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // a byte-order mark is dropped
  } catch {
    throw new Error(notUtf8Problem(file.name, new TextDecoder('utf-8').decode(bytes)));
  }
}

/**
 * What a picked file's text past the contract's MAX_FILE_CHARS is told before it is sent (sent, it
 * was refused with a 400 naming no file), or null within it: its characters and the limit in the
 * unit the limit is set in, `limit` saying what the limit is of ("the app reads", "Aisle stores of a
 * policy file"). Each caller names the file and where such a file is read instead. The experiment
 * form's import, the Policies screen's and Off-policy's logs each wrote this sentence themselves.
 */
export function pastFileLimit(chars: number, limit: string): string | null {
  return chars <= MAX_FILE_CHARS ? null : `holds ${mebiPast(chars, MAX_FILE_CHARS)} Mi characters, more than the ${mebi(MAX_FILE_CHARS)} Mi characters ${limit}`;
}
