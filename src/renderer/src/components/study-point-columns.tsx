/**
 * The two parameter studies' tables (the sweep's, parameter-study.tsx, and the random search's,
 * parameter-study-slices.tsx): folded under a summary, the settings' own columns first, then each
 * group's name, its runs, its mean final and the mean's t interval.
 */
import type { ReactNode } from 'react';
import { GroupName } from './group-name';
import { ScrollRegion } from './scroll-region';

/**
 * The table, folded (the chart above it says the same): `settings` are the headings of its first
 * columns, `children` its rows; both studies style it by its class, study-points.
 */
export function StudyPointsTable({ summary, label, testId, settings, children }: { summary: string; label: string; testId: string; settings: ReactNode; children: ReactNode }) {
  return (
    <details className="diff-common">
      <summary>{summary}</summary>
      <ScrollRegion label={label}>
        <table className="study-points" data-testid={testId}>
          <thead>
            <tr>
              {settings}
              <StudyPointHeadings />
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </ScrollRegion>
    </details>
  );
}

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
