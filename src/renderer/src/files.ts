/** Reading the files a user picks in the app. */
import { notTextProblem, notUtf8Problem } from '../../shared/text';

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

export { pastFileLimit } from '../../shared/text';
