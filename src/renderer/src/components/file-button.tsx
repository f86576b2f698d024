/**
 * A button that opens the file picker, as New experiment's Import… does, in place of the native
 * input: that one says "Choose Files / No file chosen" in the browser's own style, and still "No
 * file chosen" beside a file that was read and kept. The input is hidden and cleared after each
 * pick, so picking the same file again (after fixing it) reads it again.
 */
import { useRef, type Ref } from 'react';

export interface FileButtonProps {
  readonly label: string;
  /** The file types offered, as the input's accept attribute. */
  readonly accept: string;
  readonly multiple?: boolean;
  readonly disabled?: boolean;
  /** The hidden input's accessible name (tests set files on it). */
  readonly inputLabel: string;
  readonly testId: string;
  readonly inputTestId: string;
  /** The button, for a screen that gives focus back to it once a read is done. */
  readonly buttonRef?: Ref<HTMLButtonElement>;
  readonly onFiles: (files: File[]) => void;
}

export function FileButton({ label, accept, multiple = false, disabled = false, inputLabel, testId, inputTestId, buttonRef, onFiles }: FileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button ref={buttonRef} type="button" disabled={disabled} onClick={() => input.current?.click()} data-testid={testId}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        multiple={multiple}
        hidden
        aria-label={inputLabel}
        data-testid={inputTestId}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
