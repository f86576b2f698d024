// The problems a ValidationError lists, for tests of what is refused and in which words.
import { ValidationError } from '../../src/engine/params';

/** The problems `run` is refused with; fails the test when it resolves, or throws anything else. */
export async function problemsOf(run: () => Promise<unknown>): Promise<readonly string[]> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

/** The message of what `f` throws, of any kind; fails the test when it returns. */
export function thrownMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('not refused');
}
