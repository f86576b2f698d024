/**
 * The columns the two parameter studies' tables end with (the sweep's, parameter-study.tsx, and the
 * random search's, parameter-study-slices.tsx): each group's name, its runs, its mean final and the
 * mean's t interval, after the settings' own columns.
 */
import type { ReactNode } from 'react';
import { GroupName } from './group-name';

/** Their headings. */
export function StudyPointHeadings() {
  return (
    <>
      <th scope="col">Group</th>
      <th scope="col" className="num">
        Runs
      </th>
      <th scope="col" className="num">
        Mean final
      </th>
      <th scope="col" className="num">
        Mean 95 % CI (t)
      </th>
    </>
  );
}

/** A group's cells, its mean's under `meanTestId`. */
export function StudyPointCells({ group, runs, mean, interval, meanTestId }: { group: string; runs: number; mean: ReactNode; interval: ReactNode; meanTestId: string }) {
  return (
    <>
      <td className="group-cell">
        <GroupName name={group} />
      </td>
      <td className="num">{runs}</td>
      <td className="num" data-testid={meanTestId}>
        {mean}
      </td>
      <td className="num">{interval}</td>
    </>
  );
}
