/** An async error shown where it happened: the contract's message, or each invalid field's line. */
import { errorText } from '../api';

export function ErrorLine({ error, prefix = '', testId }: { error: unknown; prefix?: string; testId?: string }) {
  return (
    <div className="error" role="alert" data-testid={testId}>
      {prefix}
      {errorText(error)}
    </div>
  );
}
