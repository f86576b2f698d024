/** CSV lines and plain decimal numbers, as Aisle's CSV readers (transactions, logged feedback) take them. */
import { show, ValidationError } from './params';

/**
 * Splits one CSV line (RFC 4180 quoting, no embedded newlines); null when the quoting is broken
 * (csvLineFault says how and where): a quote left open, text after a closing quote, or a quote
 * inside a field that does not start with one (`b"c`, which a reader could take as `b"c` or `bc`).
 */
export function splitCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null; // unterminated quote
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      if (i === line.length) return out;
      if (line[i] !== ',') return null;
      i++;
    } else {
      const c = line.indexOf(',', i);
      const field = c < 0 ? line.slice(i) : line.slice(i, c);
      if (field.includes('"')) return null;
      out.push(field);
      if (c < 0) return out;
      i = c + 1;
    }
  }
}

/**
 * A text's lines as the CLI's readers split a file (Node's readline): at CRLF, LF, or a CR alone,
 * as Excel for Mac's "CSV (Macintosh)" ends them; split at LF only, such a file was one line.
 */
export function textLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/**
 * A plain decimal number: an optional sign, digits with an optional point, an optional exponent.
 * Number() alone would also read "0x10" as 16, "Infinity", and "" or " " as 0.
 */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The likely cause of a number DECIMAL refuses that a user can act on: a thousands separator
 * ("1,234.5", as a spreadsheet formats a number) or a decimal comma ("2,55", as a German or French
 * one does), with the number written plainly; `{}` otherwise. Said after the value as a hint.
 */
export function numberFormatHint(text: string): { hint?: string } {
  if (/^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?$/.test(text)) return { hint: `: a thousands separator? Write the number without it, ${text.replace(/,/g, '')}` };
  if (/^[+-]?\d*,\d+$/.test(text)) return { hint: `: a decimal comma? Write the number with a point, ${text.replace(',', '.')}` };
  return {};
}

/**
 * A header's column names as given; JSON, a single column holding another separator, or a name
 * repeated is refused (a repeated column would be read from its first copy only: ambiguous),
 * naming `label:LINE` (and a repeated name's two positions).
 */
export function checkedHeader<T extends readonly string[]>(names: T, label: string, lineNo: number): T {
  refuseJson(names[0] ?? '', label, lineNo);
  // One column whose name holds another separator: the file is not comma-separated, and no column would be found.
  const separator = names.length === 1 ? SEPARATORS.find(([c]) => names[0]!.includes(c)) : undefined;
  if (separator) {
    throw new ValidationError([`${label}:${lineNo}: the header is one column, "${names[0]}": its fields look separated by ${separator[1]}, and Aisle reads comma-separated CSV: save the file with commas between the fields`]);
  }
  // Where each name was first seen: one pass (indexOf per column took 24 s for a 100,000-column header).
  const firstAt = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const c = names[i]!;
    if (c === '') continue;
    const first = firstAt.get(c);
    if (first !== undefined) {
      throw new ValidationError([`${label}:${lineNo}: the header names column ${show(c)} twice (columns ${first + 1} and ${i + 1}): remove or rename one of them`]);
    }
    firstAt.set(c, i);
  }
  return names;
}

/**
 * A header line's column names, trimmed, from its splitCsvLine fields. A line that does not split
 * (a quote left open; JSON written on one line, `{"format":…`) is refused here: read as a header
 * of no columns, it would be reported as every column the reader needs missing.
 */
export function headerNames(fields: readonly string[] | null, line: string, label: string, lineNo: number): string[] {
  if (fields) return fields.map((f) => f.trim());
  refuseJson(line, label, lineNo);
  const fault = csvLineFault(line);
  throw new ValidationError([`${label}:${lineNo}: the header ${fault === OPEN_QUOTE_FAULT ? 'has a quote left open at the end of the line: close the quote' : `has a broken quote at ${fault}`}`]);
}

/** JSON where a CSV belongs (an experiment, a policy): one line saying so, not a missing column per role. */
function refuseJson(start: string, label: string, lineNo: number): void {
  const first = start.trimStart();
  // "{", or "[" opening a JSON array ("[Item]" is a column name some databases export).
  if (/^(\{|\[\s*([{["\d-]|$))/.test(first)) {
    throw new ValidationError([`${label}:${lineNo}: this is not a CSV file: it starts with "${first[0]}", as JSON does: give a CSV file with a header row (column names separated by commas)`]);
  }
}

/** Separators other programs write CSV with (a spreadsheet in some locales writes ';'), and their names. */
const SEPARATORS: readonly (readonly [string, string])[] = [
  [';', 'semicolons'],
  ['\t', 'tabs'],
  ['|', 'vertical bars'],
];

/**
 * A quote left open at the end of a line. RFC 4180 lets a quoted field hold a line break; Aisle's
 * readers take one record per line (they stream files of millions of rows line by line), so the
 * readers stop at it: the lines after it would each be reported as another, knock-on, fault.
 */
export const OPEN_QUOTE_FAULT =
  'a quoted field is still open at the end of the line: Aisle reads one record per line, so a field cannot hold a line break; remove the line break inside the quotes (a space in its place), or close the quote';

/** Why splitCsvLine refused a line, with the character (1-based) and field where its quoting breaks. */
export function csvLineFault(line: string): string {
  let field = 1;
  for (let i = 0; i <= line.length; field++) {
    const start = i;
    if (line[i] === '"') {
      for (i++; ; i += 2) {
        i = line.indexOf('"', i);
        if (i < 0) return OPEN_QUOTE_FAULT;
        if (line[i + 1] !== '"') break;
      }
      i++; // past the closing quote
      if (i < line.length && line[i] !== ',') {
        return `character ${i + 1}, field ${field}: text after the closing quote of ${line.slice(start, i + 1)}…: quote the whole field, or put a comma after the quote`;
      }
    } else {
      const end = line.indexOf(',', i) < 0 ? line.length : line.indexOf(',', i);
      const quote = line.indexOf('"', i);
      if (quote >= 0 && quote < end) {
        const text = line.slice(start, end);
        return `character ${quote + 1}, field ${field}: a quote inside ${text}, a field that does not start with one: quote the whole field and double the quote inside it, "${text.replace(/"/g, '""')}"`;
      }
      i = end;
    }
    i++; // past the comma
  }
  return OPEN_QUOTE_FAULT;
}

/**
 * What is wrong with a data line's shape (splitCsvLine's fields, null for broken quoting) against a
 * header of `width` columns, if anything. A reader stops at OPEN_QUOTE_FAULT (see there). Given the
 * `header` (its names and line), a line that repeats it is named so: two exports joined with `cat`
 * put the second's header among the rows, which was reported as a bad value in the first column
 * checked (`column "ts": must be a whole number …, got "ts"`).
 */
export function rowShapeProblem(fields: readonly string[] | null, width: number, line: string, header?: { readonly names: readonly string[]; readonly line: number }): string | undefined {
  if (!fields) return csvLineFault(line);
  if (fields.length !== width) return `has ${fields.length} fields, the header has ${width}: check for a missing or extra comma`;
  if (header && fields.every((f, i) => f.trim().toLowerCase() === header.names[i]?.toLowerCase())) {
    return `repeats the header (line ${header.line}): files joined one after another? Remove this line`;
  }
  return undefined;
}

/** A row's problem in one column: the rule its field breaks, and the field when the rule is about its value. */
export interface ColumnProblem {
  readonly column: string;
  readonly rule: string;
  readonly got?: string;
  /** Said after the value (`: in milliseconds? Divide the column by 1000`); rows with another hint, or none, have another problem. */
  readonly hint?: string;
}

/**
 * A row's problem as a reader lists it after `label:LINE: `: its shape's (a string), or its column's.
 * The field is quoted as show() quotes a text, cut after 60 characters: a field of thousands (a
 * quote left open in a cell swallows the rest of its line) made a line of thousands.
 */
function problemText(problem: ColumnProblem | string): string {
  if (typeof problem === 'string') return problem;
  return `column ${show(problem.column)}: ${problem.rule}${problem.got !== undefined ? `, got ${show(problem.got)}` : ''}${problem.hint ?? ''}`;
}

/** A row's problem as a CSV reader lists it: `label:LINE: …`. */
function problemLine(label: string, { line, problem }: { line: number; problem: ColumnProblem | string }): string {
  return `${label}:${line}: ${problemText(problem)}`;
}

/**
 * The problems a CSV reader found, listed: a line per problem. When it `stopped` at its most (the
 * first `problems.length` rows that had one) and every one breaks one column's one rule (a
 * propensity column that holds the logging policy's name, timestamps in milliseconds), one line
 * naming the lines, the first few values and the count, rather than ten lines saying the same;
 * `ask` ends it (": is "x" the … column?"). Otherwise stopped, a last line saying reading stopped.
 */
export function rowProblemLines(
  problems: readonly { line: number; problem: ColumnProblem | string }[],
  label: string,
  stopped: boolean,
  ask: (problem: ColumnProblem) => string = () => '',
): string[] {
  if (!stopped) return problems.map((p) => problemLine(label, p));
  const [first] = problems;
  const one = first!.problem;
  if (typeof one !== 'string' && problems.every(({ problem: p }) => typeof p !== 'string' && p.column === one.column && p.rule === one.rule && p.hint === one.hint)) {
    const values = [...new Set(problems.map(({ problem: p }) => (p as ColumnProblem).got).filter((v) => v !== undefined))];
    const got = values.length > 0 ? `, got ${values.slice(0, 3).map((v) => show(v)).join(', ')}${values.length > 3 ? ', …' : ''}` : '';
    return [`${label}:${first!.line}–${problems.at(-1)!.line}: column ${show(one.column)}: ${one.rule}${got}${one.hint ?? ''}, on each of the first ${problems.length} rows checked, so reading stopped${ask(one)}`];
  }
  return [...problems.map((p) => problemLine(label, p)), `${label}: stopped after ${problems.length} problems: fix these and run again`];
}
