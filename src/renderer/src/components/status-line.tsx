/**
 * A line said in answer to what the user did (a file saved, runs not cancelled, an evaluation
 * cancelled), in a polite status that is on the page before its text: a status that comes with its
 * text is not reliably read (fields.tsx's Problems keeps its region for the same reason), and the
 * control pressed keeps focus, so the line is all a screen reader has to say what happened.
 */
export function StatusLine({ text, className, testId, inline = false }: { text: string | null | undefined; className: string; testId: string; inline?: boolean }) {
  const Region = inline ? 'span' : 'div';
  const Line = inline ? 'span' : 'p';
  return (
    <Region role="status">
      {text && (
        <Line className={className} data-testid={testId}>
          {text}
        </Line>
      )}
    </Region>
  );
}
