/**
 * Reads transaction logs in the Online Retail format (`ts,customer,invoice,item,qty,price`, one
 * purchase line per row) and measures what the shop simulator is calibrated from: per-item
 * popularity, median price and repeat-purchase rate, the length of sessions, and which items are
 * bought together. The file is streamed twice (the second pass needs to know the top items) and
 * never held in memory: per item a few counters and a price histogram, per customer the open
 * session. Every row is validated; the first problems are reported as `file:LINE: column …` (once, naming
 * the lines, where they are all one column's one problem, as `aisle ope` says them: engine/csv.ts).
 *
 * A session is a run of one customer's purchase lines whose consecutive timestamps are at most
 * `gapMinutes` apart (two invoices a few minutes apart form one visit), and a line of an invoice
 * already in the customer's open session continues it however long after (logs that stamp each
 * line of an order with its own time keep the order whole; Online Retail stamps an invoice's lines
 * alike). Its length is the number of purchase lines in it. Each customer's rows must come in time
 * order: a row dated before the customer's previous one is a problem naming the previous row's line.
 */
import { createReadStream, statSync, type Stats } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { CATALOG_LIMITS } from '../engine/envs/shop/params';
import { CONTROL, controlAt, rangeNumber, thousands, ValidationError } from '../engine/params';
import { checkInputDescriptor } from '../main/descriptors';
import { fileNotFound, fileTooLarge, socketInput, unreadable } from '../main/files';
import { errorCode } from '../main/make-dir';
import { checkedHeader, type ColumnProblem, DECIMAL, headerNames, numberFormatHint, OPEN_QUOTE_FAULT, rowProblemLines, rowShapeProblem, splitCsvLine } from '../engine/csv';
import { notTextProblem, notUtf8At } from '../shared/text';

export const EVENT_COLUMNS = ['ts', 'customer', 'invoice', 'item', 'qty', 'price'] as const;
type Column = (typeof EVENT_COLUMNS)[number];

export interface EventRow {
  ts: number;
  customer: string;
  invoice: string;
  item: string;
  qty: number;
  price: number;
}

/**
 * The largest events file read, 17 times the Online Retail file (15 MB). The file is streamed,
 * never held, so the limit is not about memory for the rows: it stops an endless input (/dev/zero,
 * a pipe) and bounds the longest line readline would hold.
 */
export const MAX_EVENTS_BYTES = 256 * 1024 * 1024;

/**
 * The largest logs file `aisle ope` and `aisle logs mdp` read, 16 times MAX_EVENTS_BYTES: the full
 * Open Bandit Dataset's campaigns run past 1 GB. The file is streamed and only its kept rows are
 * held, as typed columns (engine/ope/csv.ts, in blocks joined once: row-blocks.ts). Measured on a
 * 323 MB file of 6.4M Open Bandit rows (50 bytes each), ope's peak memory was 1.25 bytes per byte of
 * file with every row kept (0.40 GB; logs mdp, which keeps each row's line too, 1.4: 0.46 GB), 0.55
 * with --where keeping a quarter (0.18 GB, half of it Node's own); with a reward per row distinct, ope
 * 1.26-1.35 (its bootstrap then keeps 17 bytes a row beside the columns: sampler.ts's Units), and logs
 * mdp takes no more with a reward nonzero on every row than with clicks: so 4 GB of logs needs about 6 GB at most.
 * The limit stops an endless input (a pipe); a regular file's size is checked before reading.
 */
export const OPE_LOGS_BYTES = 4096 * 1024 * 1024;

/**
 * The longest line csvFileLines reads, in characters (a character is at least a byte, so no file
 * within MAX_EVENTS_BYTES holds a longer one): past it, with a limit above MAX_EVENTS_BYTES, the
 * line is refused before readline builds a string too long for V8 (its limit is 2^29 characters).
 */
export const MAX_LINE_CHARS = MAX_EVENTS_BYTES;

/** The bytes looked at before any is decoded (notTextProblem reads up to 94). */
const HEAD_BYTES = 96;

/** How csvFileLines reads a file: its size limit (MAX_EVENTS_BYTES unless given), its longest line (MAX_LINE_CHARS) and the size of each read (the stream's default 64 KiB unless given). */
export interface CsvReading {
  maxBytes?: number;
  maxLineChars?: number;
  chunkBytes?: number;
}

/** At most this many malformed rows are listed before reading stops. */
const MAX_PROBLEMS = 10;

/**
 * The last second of the year 9999 (the report prints the data's dates, with four-digit years). A
 * time in milliseconds since 1970 (as many exports and Open Bandit's ts_ms write it) is past it for
 * any date after February 1978: read as seconds, it would pass for a year like 42886, and its gaps,
 * a thousand times too long, would cut the sessions.
 */
const MAX_TS = 253_402_300_799;

/** A date written as text: day, month and year with - / or . between them, in any order. */
const DATE_TEXT = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?!\d)/;

/**
 * Names other exports give the columns, lowercased: the original UCI Online Retail file's
 * (InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice, CustomerID) first, then common ones
 * (Online Retail II's "Customer ID" among them; its Invoice and Price are already the names).
 */
const COLUMN_ALIASES: Readonly<Record<Column, readonly string[]>> = {
  ts: ['invoicedate', 'timestamp', 'datetime', 'time', 'date', 'event_time', 'created_at'],
  customer: ['customerid', 'customer id', 'customer_id', 'user', 'user_id', 'userid', 'client', 'client_id'],
  invoice: ['invoiceno', 'invoice_no', 'invoice_id', 'order', 'order_id', 'orderid', 'basket', 'basket_id', 'transaction', 'transaction_id'],
  item: ['stockcode', 'stock_code', 'product', 'product_id', 'productid', 'sku', 'item_id', 'itemid'],
  qty: ['quantity', 'units'],
  price: ['unitprice', 'unit_price'],
};

/**
 * The header's problem when it lacks some of the columns: which, and, where the file names them
 * otherwise (the original UCI file, another shop's export), which of its columns to rename to what.
 */
function missingColumnsProblem(missing: readonly Column[], names: readonly string[], label: string, lineNo: number): string {
  const lower = names.map((n) => n.toLowerCase());
  const renames = missing.flatMap((c) => {
    const at = lower.findIndex((n) => COLUMN_ALIASES[c].includes(n));
    return at < 0 ? [] : [`"${names[at]}" to ${c}${c === 'ts' ? ' (its times as whole seconds since 1970, UTC)' : ''}`];
  });
  // The UCI files, Online Retail's (InvoiceNo) and Online Retail II's (Invoice), hold cancellations and rows without a customer.
  const uci = (lower.includes('invoiceno') || lower.includes('invoice')) && lower.includes('stockcode');
  const customer = names[lower.findIndex((n) => n === 'customerid' || n === 'customer id')] ?? 'CustomerID';
  const rename = renames.length === 0 ? '' : `; rename ${renames.join(', ')}${uci ? `, and leave out the original Online Retail file's cancellations (a negative Quantity) and rows without a ${customer}` : ''}`;
  return `${label}:${lineNo}: the header lacks column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}: the first line must name the columns ${EVENT_COLUMNS.join(',')}${rename}`;
}

/** Parses a row's fields, or returns the problem in its column. */
function parseRow(fields: readonly string[], index: Readonly<Record<Column, number>>): EventRow | ColumnProblem {
  const get = (c: Column) => fields[index[c]]!.trim();
  const ts = get('ts');
  // Whole seconds, or a whole number written as a decimal ("1291191960.0": pandas writes a float column so).
  if (!/^\d+(\.0+)?$/.test(ts) || Number(ts) > MAX_TS) {
    const ms = /^\d+(\.0+)?$/.test(ts) && Number(ts) / 1000 <= MAX_TS;
    // The original Online Retail file's InvoiceDate "12/1/2010 8:26", an ISO "2010-12-01T08:26:00Z".
    const date = DATE_TEXT.test(ts);
    const hint = ms ? ': in milliseconds? Divide the column by 1000' : date ? ': a date as text? Convert the column to unix time, whole seconds since 1970-01-01 UTC' : undefined;
    return { column: 'ts', rule: `must be a whole number of seconds since 1970 (unix time) up to ${rangeNumber(MAX_TS)} (the end of 9999)`, got: ts, ...(hint ? { hint } : {}) };
  }
  for (const c of ['customer', 'invoice', 'item'] as const) if (get(c) === '') return { column: c, rule: `is empty: every row needs ${c === 'customer' ? 'a' : 'an'} ${c} id` };
  // Item ids become the catalog's ids: refuse here what the catalog would refuse later.
  const item = get('item');
  if (item.length > CATALOG_LIMITS.maxIdLength) return { column: 'item', rule: `is ${item.length} characters long, more than a catalog item id's ${CATALOG_LIMITS.maxIdLength}: shorten the stock codes` };
  if (CONTROL.test(item)) return { column: 'item', rule: `holds a control character (${controlAt(item)}), which a catalog item id cannot hold: remove it`, got: item };
  const qty = get('qty');
  // A whole number, or one written as a decimal ("6.0": pandas writes a float column so), as ts is read.
  const whole = /^-?\d+(\.0+)?$/.test(qty);
  // Only a quantity below 1 is a return or a cancellation; "1,234" or "6.5" is another slip.
  if (whole && Number(qty) < 1) return { column: 'qty', rule: 'must be a whole number ≥ 1 (returns and cancellations are not purchases: remove them)', got: qty };
  if (!whole) return { column: 'qty', rule: 'must be a whole number ≥ 1', got: qty, ...numberFormatHint(qty) };
  if (!Number.isSafeInteger(Number(qty))) return { column: 'qty', rule: `${qty} is more than ${Number.MAX_SAFE_INTEGER}, too large to hold exactly: check the column` };
  const price = get('price');
  if (!DECIMAL.test(price)) return { column: 'price', rule: 'must be a decimal number such as 2.55', got: price, ...numberFormatHint(price) };
  // Median prices become catalog prices, so the catalog's range applies to every row.
  const p = Number(price);
  if (!(p > 0 && p <= CATALOG_LIMITS.maxPrice)) return { column: 'price', rule: `must be a unit price > 0 and at most ${CATALOG_LIMITS.maxPrice} (the catalog's limit)`, got: price };
  return { ts: Number(ts), customer: get('customer'), invoice: get('invoice'), item, qty: Number(qty), price: p };
}

/**
 * The lines of a CSV file a command reads, after the checks every such file gets: it exists, is
 * not a folder, is at most MAX_EVENTS_BYTES (a device or a pipe, which has no size beforehand, is
 * counted as it arrives), can be opened, and is UTF-8 (not UTF-16, which starts with a byte-order
 * mark, nor Latin-1: the line of the first byte that is not UTF-8 is named). Each failure is one ValidationError naming `label`;
 * `what` names the file in the folder message ("give the path of the events CSV file"). `stop`,
 * called as each chunk arrives, throws once Ctrl-C (SIGTERM, SIGHUP) came: the command's handler
 * only notes the signal, and a file of millions of rows would otherwise be read to its end first.
 * `onBytes` is told the bytes read so far as each chunk arrives (a progress line's). `reading`
 * raises the limit (`aisle ope`'s logs: OPE_LOGS_BYTES) and sets the size of each read (tests read
 * a few bytes at a time, so that a line end, a character or the byte-order mark falls across reads).
 *
 * The text is never held whole: readline holds one line at a time, so memory follows what the
 * caller keeps of the rows, not the file's size. A line is bounded apart from the file: past
 * MAX_LINE_CHARS without a line break (a file that is no CSV) it is refused, where a limit above
 * it would let readline build a string V8 cannot hold.
 */
export async function csvFileLines(
  path: string,
  label: string,
  what: string,
  stop?: () => void,
  onBytes?: (bytes: number) => void,
  reading: CsvReading = {},
): Promise<{ lines: AsyncIterable<string>; close(): void }> {
  const maxBytes = reading.maxBytes ?? MAX_EVENTS_BYTES;
  const maxLineChars = reading.maxLineChars ?? MAX_LINE_CHARS;
  checkInputDescriptor(path, label); // one of Node's own descriptors (/dev/fd/4, libuv's pipe) was read forever
  let stat: Stats | undefined;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw unreadable(label, path, e); // `logs.csv/`, or a path through a file: Node's raw ENOTDIR, exit 1
  }
  if (!stat) throw fileNotFound(label, path);
  // A folder opens like a file and fails only on the first read, as an error without a path.
  if (stat.isDirectory()) throw new ValidationError([`${label}: is a folder: give the path of the ${what} CSV file`]);
  if (stat.isFile() && stat.size > maxBytes) throw fileTooLarge(label, maxBytes, stat.size);
  const stream = createReadStream(path, reading.chunkBytes !== undefined ? { highWaterMark: reading.chunkBytes } : {});
  const opened = new Promise<void>((resolveOpen, reject) => {
    stream.once('open', () => resolveOpen());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    if (errorCode(e) === 'ENXIO') throw socketInput(label);
    throw new ValidationError([`${label}: cannot read the file (${e instanceof Error ? e.message : String(e)}): check its permissions`]);
  }
  // A device or a pipe has no size to check beforehand: count what arrives (the error reaches the
  // caller's loop through readline).
  async function* capped(): AsyncGenerator<string> {
    let bytes = 0;
    // Fatal: read leniently, a Latin-1 "café" became "caf\ufffd", the same id as a Latin-1 "cafè".
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let lineNo = 1;
    let afterCr = false; // the text so far ends in a CR, whose line end an LF next completes
    let lineChars = 0; // the characters of the line read so far, after its last line break
    // The first bytes are gathered before they are looked at: a pipe's first chunk can be a few bytes,
    // fewer than the magic numbers notTextProblem reads (94 for a zip's first entry name).
    let head: Buffer[] | undefined = [];
    let headBytes = 0;
    /** The first bytes together, once they are known to be text. */
    function lookedAt(parts: readonly Buffer[]): Buffer {
      const first = Buffer.concat(parts);
      // A spreadsheet's "Unicode text" export and Windows PowerShell write UTF-16 after a byte-order
      // mark; read as UTF-8 it is a NUL between every letter, and every column would be reported missing.
      // So is a logs.csv.gz given as it was downloaded.
      const notText = notTextProblem(label, first);
      if (notText !== undefined) throw new ValidationError([notText]);
      return first;
    }
    /** A chunk's text, counted against the limits. */
    function* take(chunk: Buffer): Generator<string> {
      bytes += chunk.length;
      if (bytes > maxBytes) throw fileTooLarge(label, maxBytes);
      onBytes?.(bytes);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw notUtf8(label, lineNo + newlinesBeforeInvalid(chunk, afterCr));
      }
      // Only where the line carried over and this chunk together pass the bound can a line in them.
      if (lineChars + text.length > maxLineChars) {
        const long = longLineAt(text, lineChars, afterCr, maxLineChars);
        if (long !== undefined) throw lineTooLong(label, lineNo + long, maxLineChars);
      }
      lineNo += newlines(text, text.length, afterCr);
      if (text.length > 0) afterCr = text.endsWith('\r');
      const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
      lineChars = lastBreak < 0 ? lineChars + text.length : text.length - 1 - lastBreak;
      yield text;
    }
    for await (const read of stream as AsyncIterable<Buffer>) {
      stop?.();
      if (head === undefined) {
        yield* take(read);
        continue;
      }
      head.push(read);
      headBytes += read.length;
      if (headBytes < HEAD_BYTES) continue;
      const first = lookedAt(head);
      head = undefined;
      yield* take(first);
    }
    if (head !== undefined && headBytes > 0) yield* take(lookedAt(head)); // a file shorter than HEAD_BYTES
    let rest: string;
    try {
      rest = decoder.decode(); // a character cut off by the end of the file
    } catch {
      throw notUtf8(label, lineNo);
    }
    if (rest) yield rest;
  }
  const input = Readable.from(capped());
  const lines = createInterface({ input, crlfDelay: Infinity });
  return {
    lines,
    close() {
      lines.close();
      input.destroy();
      stream.destroy();
    },
  };
}

/** A line past MAX_LINE_CHARS: no CSV file the limit of MAX_EVENTS_BYTES let through holds one. */
function lineTooLong(label: string, lineNo: number, maxLineChars: number): ValidationError {
  return new ValidationError([`${label}:${lineNo}: the line runs past ${thousands(maxLineChars)} characters without a line break: give a CSV file, one row per line`]);
}

function notUtf8(label: string, lineNo: number): ValidationError {
  return new ValidationError([notUtf8At(label, `line ${lineNo}`)]);
}

/**
 * The line ends in text[0, end) as readline counts them: an LF, a CR alone (Excel for Mac's "CSV
 * (Macintosh)"), or a CR and an LF together as one; `afterCr`: the text before ended in a CR, so
 * an LF first completes that line end. Counting LFs alone put every problem of a CR-only file on line 1.
 */
function newlines(text: string, end: number, afterCr = false): number {
  const count = (s: string) => {
    let n = 0;
    for (let at = text.indexOf(s); at >= 0 && at + s.length <= end; at = text.indexOf(s, at + 1)) n++;
    return n;
  };
  return count('\n') + count('\r') - count('\r\n') - (afterCr && end > 0 && text[0] === '\n' ? 1 : 0);
}

/**
 * The first line in `text` longer than `maxLineChars`, as the line breaks before it (0: the line
 * `carried` characters of which came before `text`), or undefined; `afterCr` as newlines takes it.
 */
function longLineAt(text: string, carried: number, afterCr: boolean, maxLineChars: number): number | undefined {
  let breaks = 0;
  let start = 0;
  let length = carried;
  for (const m of text.matchAll(/\r\n|\r|\n/g)) {
    if (m.index === 0 && afterCr && m[0] === '\n') {
      start = 1; // the LF completing a CR that ended the text before
      continue;
    }
    if (length + m.index - start > maxLineChars) return breaks;
    breaks++;
    start = m.index + m[0].length;
    length = 0;
  }
  return length + text.length - start > maxLineChars ? breaks : undefined;
}

/**
 * The line breaks in a chunk before its first byte that is not UTF-8: where a lenient decoding
 * first writes U+FFFD, after the bytes ending a character the previous chunk began.
 */
function newlinesBeforeInvalid(chunk: Buffer, afterCr: boolean): number {
  let start = 0;
  while (start < 3 && start < chunk.length && (chunk[start]! & 0xc0) === 0x80) start++;
  const lossy = new TextDecoder().decode(chunk.subarray(start));
  return newlines(lossy, lossy.indexOf('\ufffd'), afterCr && start === 0);
}

/**
 * Streams the rows of an events file to `onRow`, validating each. Throws a ValidationError listing
 * the first malformed rows (`label:LINE: column "qty": …`) — nothing is returned for a bad file.
 */
export async function readEvents(
  path: string,
  label: string,
  onRow: (row: EventRow, line: number) => ColumnProblem | string | void,
  stop?: () => void,
  onBytes?: (bytes: number) => void,
): Promise<number> {
  const file = await csvFileLines(path, label, 'events', stop, onBytes);
  const problems: { line: number; problem: ColumnProblem | string }[] = [];
  let index: Record<Column, number> | undefined;
  let width = 0;
  let headerRead: { names: readonly string[]; line: number } | undefined;
  let lineNo = 0;
  let rows = 0;
  try {
    for await (const raw of file.lines) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const fields = splitCsvLine(line);
      if (!index) {
        // Checked first: a JSON file or a semicolon-separated one lacks every column, which says less.
        const names = headerNames(fields, line, label, lineNo);
        const header = checkedHeader(names.map((f) => f.toLowerCase()), label, lineNo);
        const missing = EVENT_COLUMNS.filter((c) => !header.includes(c));
        if (missing.length > 0) throw new ValidationError([missingColumnsProblem(missing, names, label, lineNo)]);
        index = Object.fromEntries(EVENT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;
        width = header.length;
        headerRead = { names: header, line: lineNo };
        continue;
      }
      let problem: ColumnProblem | string | void = rowShapeProblem(fields, width, line, headerRead);
      if (problem === undefined && fields) {
        const row = parseRow(fields, index);
        if ('rule' in row) problem = row;
        else {
          problem = onRow(row, lineNo);
          rows++;
        }
      }
      if (problem) {
        problems.push({ line: lineNo, problem });
        if (problems.length >= MAX_PROBLEMS || problem === OPEN_QUOTE_FAULT) break;
      }
    }
  } finally {
    file.close(); // stopped by a signal too
  }
  if (!index) throw new ValidationError([`${label}: the file is empty: expected a header ${EVENT_COLUMNS.join(',')} and purchase rows`]);
  // A line each; stopped at MAX_PROBLEMS, one line where they are all one column's one problem (as aisle ope's).
  if (problems.length > 0) throw new ValidationError(rowProblemLines(problems, label, problems.length >= MAX_PROBLEMS));
  return rows;
}

/**
 * Cuts each customer's purchase lines into sessions (see the module comment). `onClose` receives a
 * session's length and, when asked for, the distinct marked items in it.
 */
export class Sessionizer {
  private readonly open = new Map<string, { lastTs: number; lastLine: number; lines: number; id: number; items: number[]; invoices: Set<string> }>();
  private nextId = 0;

  constructor(
    private readonly gapSeconds: number,
    private readonly onClose: (lines: number, items: readonly number[], customer: string) => void,
  ) {}

  /**
   * Adds the row on line `line`; `item` is a marked item's index (or −1). Returns a problem when
   * time runs backwards: the same for every later row of the customer dated before that row (one
   * mis-dated row, or the file in another order), so they are said together, naming its line.
   */
  add(row: EventRow, item: number, line: number): { session: number } | ColumnProblem {
    let s = this.open.get(row.customer);
    if (s && row.ts < s.lastTs) {
      return {
        column: 'ts',
        rule: `customer ${row.customer}'s purchases go back in time after line ${s.lastLine} (${s.lastTs})`,
        got: String(row.ts),
        hint: `: sort the file by ts (each customer's rows must come in time order), or correct line ${s.lastLine}'s ts if it is the one wrong`,
      };
    }
    if (s && row.ts - s.lastTs > this.gapSeconds && !s.invoices.has(row.invoice)) {
      this.onClose(s.lines, s.items, row.customer);
      s.lines = 0;
      s.items.length = 0;
      s.invoices.clear();
      s.id = this.nextId++;
    }
    if (!s) {
      s = { lastTs: row.ts, lastLine: line, lines: 0, id: this.nextId++, items: [], invoices: new Set() };
      this.open.set(row.customer, s);
    }
    s.lastTs = row.ts;
    s.lastLine = line;
    s.lines++;
    s.invoices.add(row.invoice);
    if (item >= 0 && !s.items.includes(item)) s.items.push(item);
    return { session: s.id };
  }

  /** Closes every open session (end of the file). */
  finish(): void {
    for (const [customer, s] of this.open) this.onClose(s.lines, s.items, customer);
    this.open.clear();
  }

  get customers(): number {
    return this.open.size;
  }
}
