/**
 * Compare's Parameter study for a random search (slice-study.ts decides when): a small scatter per
 * differing numeric setting, every group's final mean and t interval against its value, the points
 * not joined and the best group drawn as a diamond (the highest, not called best, for a metric without
 * a better direction), then every group in one table, best first, with a column per setting. Rows and panels carry the raw numbers in data- attributes for the tests,
 * under test ids of their own (slice-study…): with the grid's (parameter-study…), a test of one panel passed on the other.
 */
import { useCallback, useMemo } from 'react';
import type { CompareResult } from '../../../shared/dto';
import { parameterStudyTexts, settingName, settingValueText, type ParameterStudy } from '../../../shared/parameter-study';
import { sliceStudyRows, sliceStudyText, type SlicePanel, type SliceStudy } from '../../../shared/slice-study';
import { ParameterStudyChart } from './parameter-study-chart';
import { StudyPointCells, StudyPointsTable } from './study-point-columns';

/** A panel as the grid's chart draws it: one line, never joined, its own x. */
function panelStudy(panel: SlicePanel): ParameterStudy {
  return { x: panel.x, xChoices: [panel.x], logScale: panel.logScale, points: panel.points, lines: [{ label: settingName(panel.x), points: panel.points }] };
}

function SliceChart({ panel, result, best }: { panel: SlicePanel; result: CompareResult; best: number }) {
  const study = useMemo(() => panelStudy(panel), [panel]);
  const texts = useMemo(() => parameterStudyTexts(study, result.groups), [study, result.groups]);
  return (
    <figure data-testid="slice-panel" data-x={panel.x} data-log-scale={panel.logScale}>
      <figcaption>
        {settingName(panel.x)}
        {panel.logScale ? <span className="muted"> (log scale)</span> : null}
      </figcaption>
      <ParameterStudyChart study={study} texts={texts} metric={result.metric} height={220} joined={false} best={best} valueTicks={false} testId="slice-study-canvas" />
    </figure>
  );
}

export function SliceStudyPanel({ result, study }: { result: CompareResult; study: SliceStudy }) {
  // The groups by their names, as the app shows them everywhere (the CLI's letters A, B, … are named nowhere here).
  const nameOf = useCallback((group: number) => result.groups[group]!.label, [result.groups]);
  const rows = useMemo(() => sliceStudyRows(study, result.groups, nameOf), [study, result.groups, nameOf]);
  const first = study.highestOnly ? 'highest' : 'best';
  return (
    <section className="panel" aria-labelledby="slice-study-heading" data-testid="slice-study" data-kind="slice" data-best={result.groups[study.best]!.key}>
      <h2 id="slice-study-heading">Parameter study</h2>
      <div className="slice-panels">
        {study.panels.map((panel) => (
          <SliceChart key={panel.x} panel={panel} result={result} best={study.best} />
        ))}
      </div>
      <p className="muted small chart-caption" data-testid="slice-study-caption">
        {sliceStudyText(study, result.metric, result.groups, result.direction, nameOf)}
      </p>
      <StudyPointsTable
        summary={`The groups as a table, ${first} first`}
        label={`Parameter study: the groups, ${first} first`}
        testId="slice-study-points"
        settings={study.settings.map((path) => (
          <th scope="col" key={path}>
            {settingName(path)}
          </th>
        ))}
      >
        {study.points.map((point, i) => {
          const group = result.groups[point.group]!;
          const cells = rows[i]!;
          const [mean, interval] = cells.slice(-2);
          return (
            <tr key={group.key} data-testid="slice-study-point" data-key={group.key} data-mean={point.mean} data-lo={point.lo ?? undefined} data-hi={point.hi ?? undefined} data-best={point.group === study.best || undefined}>
              {study.settings.map((path) => (
                <td key={path}>{settingValueText(point.values[path])}</td>
              ))}
              <StudyPointCells group={group.label} runs={point.n} mean={mean} interval={interval} meanTestId="slice-study-mean" />
            </tr>
          );
        })}
      </StudyPointsTable>
    </section>
  );
}
