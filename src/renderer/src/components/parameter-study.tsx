/**
 * Compare's Parameter study panel, for a sweep: the groups' final means against the swept value
 * (parameter-study.ts decides whether there is one, and what goes on x), the chart and the same
 * points as a table, for a screen reader and for reading the numbers. Rows carry the raw numbers in
 * data- attributes, as the final-performance table's cells do.
 */
import { useMemo } from 'react';
import type { CompareResult } from '../../../shared/dto';
import { parameterStudyTexts, parameterStudyText, settingName, type ParameterStudy } from '../../../shared/parameter-study';
import { ParameterStudyChart, studyLineColor } from './parameter-study-chart';
import { StudyPointCells, StudyPointsTable } from './study-point-columns';
import type { ValueKey } from '../url-state';

/**
 * Compare's `study` (the setting on the parameter study's x axis) as the comparison answered reads
 * it: one of the study's x choices. Any other (study=zzz, a setting the sweep did not vary, a study
 * asked of groups that have none) was dropped unsaid, the study's own choice drawn; it is named
 * (UnreadAddress) with the choices and what is on the axis instead.
 */
export function studyValueKey(study: ParameterStudy | null): ValueKey {
  if (study === null) {
    return {
      reads: () => false,
      what: ['a setting of this comparison’s parameter study', 'settings of this comparison’s parameter study'],
      takes:
        'the setting on a parameter study’s x axis, and these groups have none (their configs would differ in one or two settings, one a number with 3 values or more in every group, on a grid): no study is drawn',
    };
  }
  const [first, ...others] = study.xChoices;
  return {
    reads: (raw) => study.xChoices.includes(raw),
    what: ['a setting this sweep varies over 3 values or more', 'settings this sweep varies over 3 values or more'],
    takes:
      others.length === 0
        ? `${first}, the one setting it varies over 3 values or more, such as study=${first}; it is on the x axis instead`
        : `one of ${study.xChoices.join(', ')}, such as study=${others[0]}; ${first} is on the x axis instead`,
  };
}

export function ParameterStudyPanel({ result, study, onChooseX }: { result: CompareResult; study: ParameterStudy; onChooseX: (path: string) => void }) {
  const texts = useMemo(() => parameterStudyTexts(study, result.groups), [study, result.groups]);
  const lineOf = new Map(study.lines.flatMap((line, i) => line.points.map((p) => [p.group, i] as const)));
  const series = study.series;
  return (
    <section className="panel" aria-labelledby="parameter-study-heading" data-testid="parameter-study" data-x={study.x} data-series={series} data-log-scale={study.logScale}>
      <div className="row">
        <h2 id="parameter-study-heading">Parameter study</h2>
        <span className="spacer" />
        {study.xChoices.length > 1 && (
          <label>
            On the x axis{' '}
            <select value={study.x} onChange={(e) => onChooseX(e.target.value)} data-testid="parameter-study-x">
              {study.xChoices.map((path) => (
                <option key={path} value={path}>
                  {settingName(path)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <ParameterStudyChart study={study} texts={texts} metric={result.metric} />
      <p className="muted small chart-caption" data-testid="parameter-study-caption">
        {parameterStudyText(study, result.metric)}
      </p>
      <StudyPointsTable
        summary="The points as a table"
        label="Parameter study: the points"
        testId="parameter-study-points"
        settings={
          <>
            <th scope="col">{settingName(study.x)}</th>
            {series !== undefined && <th scope="col">{settingName(series)}</th>}
          </>
        }
      >
        {texts.map((t) => {
          const group = result.groups[t.point.group]!;
          return (
            <tr key={group.key} data-testid="parameter-study-point" data-key={group.key} data-x={t.point.x} data-mean={t.point.mean} data-lo={t.point.lo ?? undefined} data-hi={t.point.hi ?? undefined}>
              <td>{t.x}</td>
              {series !== undefined && (
                <td>
                  <span className="swatch" style={{ background: studyLineColor(lineOf.get(t.point.group) ?? 0) }} aria-hidden="true" /> {t.series}
                </td>
              )}
              <StudyPointCells group={group.label} runs={t.point.n} mean={t.mean} interval={t.interval} meanTestId="parameter-study-mean" />
            </tr>
          );
        })}
      </StudyPointsTable>
    </section>
  );
}
