// Inspecting a logs file whose few-valued columns have more combinations of values than are sent
// (MAX_COMBINATIONS): the combinations still come, over the fewest-valued columns that fit, with
// counts that match a recount, so that the filters on those still follow one another.
import { describe, expect, it } from 'vitest';
import { inspectLogsText, MAX_COMBINATIONS } from '../../src/main/logs-task';

/** 40,000 rows: a policy, a campaign and a position, and three user features of 45–50 values (ts has too many to list). */
function manyCombinations(): { header: string[]; rows: string[][] } {
  let s = 7;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) % n;
  };
  const header = ['policy', 'campaign', 'ts', 'position', 'u1', 'u2', 'u3', 'click'];
  const rows = Array.from({ length: 40_000 }, (_, i) => [i % 2 ? 'random' : 'bts', rnd(2) ? 'men' : 'women', String(1e12 + i), String(1 + rnd(3)), String(rnd(50)), String(rnd(50)), String(rnd(45)), String(rnd(2))]);
  return { header, rows };
}

/** Distinct combinations of the named columns' values among the rows. */
function distinct(header: readonly string[], rows: readonly string[][], names: readonly string[]): number {
  const at = names.map((n) => header.indexOf(n));
  return new Set(rows.map((r) => at.map((i) => r[i]).join('\u0000'))).size;
}

describe('logs.inspect past the combinations cap', () => {
  it('combines the fewest-valued columns that fit, in the file’s order, with the rows of each combination', () => {
    const { header, rows } = manyCombinations();
    const listed = ['policy', 'campaign', 'position', 'u1', 'u2', 'u3', 'click'];
    expect(distinct(header, rows, listed)).toBeGreaterThan(MAX_COMBINATIONS); // all of them: too many
    const reply = inspectLogsText([header, ...rows].map((r) => r.join(',')).join('\n'), 'many.csv');
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    expect(reply.columns.filter((c) => c.values).map((c) => c.name)).toEqual(listed);
    // By their count of values: policy, campaign, click (2), position (3), u3 (45) fit; u1 (50) would not.
    const { columns, rows: combos } = reply.combinations;
    expect(columns).toEqual(['policy', 'campaign', 'position', 'u3', 'click']);
    expect(distinct(header, rows, [...columns, 'u1'])).toBeGreaterThan(MAX_COMBINATIONS);
    expect(combos.length).toBe(distinct(header, rows, columns));
    // Each combination's rows, recounted from the rows written.
    const valuesOf = (name: string) => reply.columns.find((c) => c.name === name)!.values!.map((v) => v.value);
    const recount = new Map<string, number>();
    for (const r of rows) {
      const key = columns.map((name) => valuesOf(name).indexOf(r[header.indexOf(name)]!)).join(',');
      recount.set(key, (recount.get(key) ?? 0) + 1);
    }
    expect(new Map(combos.map((c) => [c.slice(0, -1).join(','), c.at(-1)!]))).toEqual(recount);
  });

  it('combines columns whose counts of values multiply past 2^53 too (11 columns of 30 values), when their combinations are few', () => {
    const header = Array.from({ length: 11 }, (_, c) => `f${c}`);
    const rows = Array.from({ length: 300 }, (_, i) => header.map((_, c) => String((i * (c + 1)) % 30)));
    const reply = inspectLogsText([header, ...rows].map((r) => r.join(',')).join('\n'), 'wide.csv');
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    expect(reply.combinations.columns).toEqual(header);
    expect(reply.combinations.rows.length).toBe(distinct(header, rows, header));
    const valuesOf = (c: number) => reply.columns[c]!.values!.map((v) => v.value);
    const sent = new Map(reply.combinations.rows.map((r) => [r.slice(0, -1).map((k, c) => valuesOf(c)[k]).join(','), r.at(-1)!]));
    const recount = new Map<string, number>();
    for (const r of rows) recount.set(r.join(','), (recount.get(r.join(',')) ?? 0) + 1);
    expect(sent).toEqual(recount);
  });

  it('sends one combination of no columns when none has few enough values to list', () => {
    const text = ['id,score', ...Array.from({ length: 60 }, (_, i) => `${i},${i / 10}`)].join('\n');
    const reply = inspectLogsText(text, 'ids.csv');
    expect(reply).toMatchObject({ ok: true, rows: 60, combinations: { columns: [], rows: [[60]] } });
  });
});
