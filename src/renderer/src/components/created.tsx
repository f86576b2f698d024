import { when } from '../format';

/**
 * A creation time as the date over the time, each whole (the text still reads "2026-11-30 23:39"):
 * with the cell's spans as blocks (styles.css), a narrow column breaks between them rather than at
 * the date's hyphens ("2026-" over "12-06" over "08:27"). The Experiments and Policies tables.
 */
export function Created({ at }: { at: number }) {
  const [date, time] = when(at).split(' ');
  return (
    <>
      <span>{date}</span> <span>{time}</span>
    </>
  );
}
