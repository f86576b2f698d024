/** Wording shared by the CLI, the main process and the app (the engine's own is in engine/params.ts). */
export { decimal, plural } from '../engine/params';
import { CONTROL, decimal, escapeControl, plural, thousands, wordList } from '../engine/params';
import { MAX_FILE_BYTES, MAX_FILE_CHARS } from './contract';
import type { GammaSource, PolicySummary, RunSummary, RunWithStatus } from './dto';
import { clusterWidth, graphemes } from './display-width';
import { lineColumn } from './json-text';

/**
 * A value for reading, in the app's tables and the CLI's alike: whole numbers grouped in every digit
 * (counts: 40,000 and 320,000,000,000,000,000, where `decimal` would write 3.20e+17), others as
 * `decimal` writes them (0.00038, 21,739.13); '–' for no value. The CLI asks for 4 digits where the
 * app's default is 3. A double from 1e21 on is a whole number too, but JavaScript writes it with an
 * exponent and all 17 digits (an importance weight of 1 / 6e-300: 1.6666666666666666e+299): no count
 * is that large, so it is written as `decimal` writes large values, 1.67e+299.
 */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return Number.isInteger(x) && Math.abs(x) < 1e21 ? thousands(x) : decimal(x, digits);
}

/**
 * A word as a shell reads it back: as it is when it holds nothing special, else in single quotes
 * (a command to type next: the CLI's, and the app's for what it leaves to a terminal). A word with
 * a control character (a file's text: a filter value a policy's fittedTo gives) is written in
 * bash's and zsh's $'…' with each such character as \uHHHH, as messages escape it (escapeControl):
 * in single quotes it reached the terminal raw, an ESC sequence driving it, U+202E reversing the
 * line, a line break splitting the command.
 */
export function shellWord(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  if (!CONTROL.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  // Its quote and backslashes escaped for $'…' first: escapeControl's own backslashes must stay single.
  return `$'${escapeControl(text.replace(/[\\']/g, '\\$&'))}'`;
}

/** "97", "96.4", "5,000.5": a size in units of 2^20 (bytes, characters), as the app's file limits are set and named. */
export function mebi(n: number): string {
  const tenths = Math.round((n / 2 ** 20) * 10) / 10;
  return Number.isInteger(tenths) ? fmt(tenths) : grouped(tenths, 1);
}

/** `x` with `digits` decimals, its whole part grouped as fmt groups it ("4,096.04", where toFixed wrote "5000.5" beside "4,096"). */
function grouped(x: number, digits: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * A size past `limit` (both counted in units, said in 2^20s) and the limit, as mebi says them, with as
 * many more decimals as it takes for the size to read larger than the limit: a file 10 characters
 * past 64 Mi read "holds 64 Mi characters, more than the 64 Mi", and one byte past 256 MB was rounded
 * up to "257 MB". A limit that is no whole tenth of 2^20 (a policy file's 2^29 − 24 bytes, 511.99998
 * MB) is said rounded down, with the size's decimals: rounded up, "512 MB", a file of 511.99998 MB
 * past it read "511.999978 MB, above the 512 MB limit".
 */
export function pastLimit(n: number, limit: number): { size: string; limit: string } {
  const wholeTenths = ((limit / 2 ** 20) * 10) % 1 === 0;
  if (wholeTenths && (n <= limit || mebi(n) !== mebi(limit))) return { size: mebi(n), limit: mebi(limit) };
  // Seven decimals tell apart any two sizes a unit apart (one unit is 0.00000095 of 2^20).
  for (let digits = wholeTenths ? 2 : 1; ; digits++) {
    const scale = 10 ** digits;
    const limitSaid = wholeTenths ? limit / 2 ** 20 : Math.floor((limit / 2 ** 20) * scale) / scale;
    const size = digits === 1 ? mebi(n) : grouped(n / 2 ** 20, digits);
    if (digits >= 7 || Number(size.replace(/,/g, '')) > limitSaid) return { size, limit: wholeTenths ? mebi(limit) : digits === 1 && Number.isInteger(limitSaid) ? fmt(limitSaid) : grouped(limitSaid, digits) };
  }
}

/** A size past `limit`, as pastLimit says it beside a limit said by mebi (a whole tenth of 2^20). */
export function mebiPast(n: number, limit: number): string {
  return pastLimit(n, limit).size;
}

/**
 * What a picked file's text past the contract's MAX_FILE_CHARS is told before it is sent (sent, it
 * was refused with a 400 naming no file), or null within it: its characters and the limit in the
 * unit the limit is set in, `limit` saying what the limit is of ("the app reads", "Aisle stores of a
 * policy file"). Each caller names the file and where such a file is read instead. The experiment
 * form's import, the Policies screen's and Off-policy's logs each wrote this sentence themselves;
 * the desktop app's reading of a picked file (menu.ts) says it too.
 */
export function pastFileLimit(chars: number, limit: string): string | null {
  return chars <= MAX_FILE_CHARS ? null : `holds ${mebiPast(chars, MAX_FILE_CHARS)} Mi characters, more than the ${mebi(MAX_FILE_CHARS)} Mi characters ${limit}`;
}

/** A file's size in bytes past MAX_FILE_BYTES, which cannot hold MAX_FILE_CHARS characters or fewer, said in them as pastFileLimit says it; null within it. */
export function pastFileBytes(bytes: number, limit: string): string | null {
  return bytes <= MAX_FILE_BYTES ? null : `is ${mebi(bytes)} MB, more than the ${mebi(MAX_FILE_CHARS)} Mi characters ${limit}`;
}

/** A count and its noun as tables and messages show them: "1 run", "1,000 runs" (plural with fmt's grouping). */
export function counted(n: number, noun: string): string {
  return plural(n, noun, fmt(n));
}

/**
 * A Q-table's size in words, as the Q-tables screen, `aisle export` and `aisle policies show` say
 * it: "757 states × 1,000 actions" (a shop's thousand items read "1000" in one place and "1,000" in
 * the next).
 */
export function tableSizeText(states: number, actions: number): string {
  return `${counted(states, 'state')} × ${counted(actions, 'action')}`;
}

/** Items in a sentence: "a", "a and b", "a, b and c". */
export function andList(items: readonly string[]): string {
  return wordList(items, 'and');
}

/** Where an exact evaluation's γ came from, in words: "the agent's in training". */
export function gammaSourceText(from: GammaSource): string {
  return { option: 'as asked', experiment: "the experiment's agent's", policy: "the agent's in training", default: 'undiscounted: the policy does not say its γ' }[from];
}

/**
 * A normalised score (1 optimal) with `digits` decimals, but never rounded up to 1 when it is not
 * optimal: a gap of 4 against a random policy's −9,512 is 0.99958, shown as 0.9996, not 1. Within
 * 1e-9 of 1 is float noise, and is 1.
 */
export function scoreText(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (Math.abs(1 - x) <= 1e-9) return '1';
  let d = digits;
  while (d < 9 && x < 1 && Number(x.toFixed(d)) >= 1) d++;
  return x.toFixed(d).replace(/\.?0+$/, '');
}

/**
 * Whether a file's first bytes are UTF-16's byte-order mark (FF FE or FE FF): a spreadsheet's
 * "Unicode text" export and Windows PowerShell write UTF-16 after one. Such a file is refused with
 * utf16Problem, not notUtf8Problem, whose Latin-1 advice would not convert it.
 */
export function startsUtf16(bytes: ArrayLike<number>): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/**
 * A binary file given where text is read, named by its first bytes, with what to do instead: an
 * Aisle database or results file (SQLite), a gzip or zip archive, a spreadsheet workbook. Said before the UTF-8 check,
 * whose "save it as UTF-8 (iconv …)" cannot help such a file. Undefined for anything else.
 */
export function binaryFileProblem(label: string, bytes: ArrayLike<number>): string | undefined {
  const starts = (magic: readonly number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
  if (starts([...'SQLite format 3'].map((c) => c.charCodeAt(0)).concat(0))) {
    return `${label}: is a SQLite database (an Aisle database or results file?), not a JSON or CSV file: import a results file with \`aisle results import\` or the app's Import results`;
  }
  if (starts([0x1f, 0x8b])) {
    // A stream (`… | aisle ope /dev/stdin`) has no file to gunzip: decompress into the pipe.
    const stream = /^\/(dev\/(stdin|fd\/\d+)|proc\/self\/fd\/\d+)$/.test(label);
    return `${label}: is gzip-compressed: decompress it first (e.g. ${stream ? 'zcat logs.csv.gz | aisle … /dev/stdin, not cat' : `gunzip -k ${label}`})`;
  }
  // A spreadsheet saved in its own format, not as CSV: an .xlsx (a zip whose first entry is Excel's, or
  // LibreOffice's .ods), or a legacy .xls (an OLE2 compound document). Extracting such a zip helps nothing.
  const spreadsheet = `, not a text file: save it from the spreadsheet as CSV (comma-separated, UTF-8)`;
  if (starts([0x50, 0x4b, 0x03, 0x04])) {
    const first = String.fromCharCode(...Array.from({ length: Math.min(64, Math.max(0, bytes.length - 30)) }, (_, i) => bytes[30 + i]!));
    if (/^(\[Content_Types\]\.xml|xl\/|docProps\/|mimetypeapplication\/vnd\.oasis\.opendocument\.spreadsheet)/.test(first)) return `${label}: is a spreadsheet workbook (.xlsx or .ods)${spreadsheet}`;
    return `${label}: is a zip archive: extract the file from it first`;
  }
  if (starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return `${label}: is an Excel 97–2003 workbook (.xls)${spreadsheet}`;
  return undefined;
}

/**
 * A range of ids as typed ("3-7", "3..7", "3–7"), its ends as written (the caller says what a
 * backwards or out-of-bounds one means), or undefined for text that is no range: the app's run box
 * and the CLI's id arguments read ranges alike.
 */
export function idRange(text: string): { from: number; to: number } | undefined {
  const range = /^(\d+)\s*(?:-|–|\.\.)\s*(\d+)$/.exec(text.trim());
  return range ? { from: Number(range[1]), to: Number(range[2]) } : undefined;
}

/**
 * A whole number in exponent form as an experiment file takes it (1e8, 2.5e5): what `aisle run`'s
 * whole-number options take beside digits (cli/arguments.ts integer()), and the app's search seed
 * with them, so that both take the same spellings (whether the value is whole is the caller's test).
 */
export const EXPONENT_FORM = /^\d+(\.\d+)?e\+?\d+$/i;

/**
 * Ids ascending, each once, consecutive ones (three or more) as a range: ["3", "101–105"], which
 * idRange reads back. The app's run box says missing runs so, and `aisle run` the runs a Ctrl-C
 * stopped (a thousand seeds' ids were one line of some 5,000 characters).
 */
export function idSpans(ids: readonly number[]): string[] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const spans: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) spans.push(`${sorted[i]}–${sorted[j]}`);
    else spans.push(...sorted.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return spans;
}

/**
 * What is wrong with a file read as UTF-8 text, by its first bytes, before its bytes are decoded:
 * a binary file (binaryFileProblem), or UTF-16 (startsUtf16), whose fixes are not the Latin-1 one
 * notUtf8Problem gives. The CLI's readers and the app's file pickers ask it alike.
 */
export function notTextProblem(label: string, head: ArrayLike<number>): string | undefined {
  return binaryFileProblem(label, head) ?? (startsUtf16(head) ? utf16Problem(label) : undefined);
}

/** A UTF-16 file (see startsUtf16), as the CLI's readers and the app's file pickers say it. */
export function utf16Problem(label: string): string {
  return `${label}: is UTF-16 text, not UTF-8: save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8)`;
}

/**
 * A file whose bytes are not UTF-8 (saved as Latin-1 or Windows-1252): `lossy` is its text decoded
 * with U+FFFD for the bad bytes, whose first one is the place to look (unless a real U+FFFD comes
 * first). The CLI's reader and the app's file pickers say it the same way.
 */
export function notUtf8Problem(label: string, lossy: string): string {
  const at = lossy.indexOf('\ufffd');
  return notUtf8At(label, at >= 0 ? lineColumn(lossy, at) : undefined);
}

/** The same, where the place of the first bad byte is known otherwise ("line 12": a file read as a stream). */
export function notUtf8At(label: string, place: string | undefined): string {
  return `${label}: is not UTF-8 text${place !== undefined ? ` (at ${place})` : ''}: save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`;
}

/**
 * A policy file's name from the policy's name, safe on every file system: "Greedy cliff (v2)" →
 * "greedy-cliff-v2.json" (letters and digits of any script kept, accents dropped, the rest one
 * dash, at most 80 characters); `fallback` when the name leaves nothing.
 */
export function policyFileName(name: string | null | undefined, fallback: string): string {
  const slug = (name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .slice(0, 80)
    .replace(/^-+|-+$/g, '');
  return `${slug || fallback}.json`;
}

/**
 * A stored policy's size, as the Policies screen and `aisle policies` list it: "48 × 4" (states ×
 * actions), "any state × 5" for a context-free policy, "vector × 3" for a network on feature vectors.
 */
export function policySizeText(p: Pick<PolicySummary, 'kind' | 'states' | 'actions'>): string {
  const states = p.kind === 'context-free' ? 'any state' : p.states > 0 ? p.states.toLocaleString('en-US') : 'vector';
  return `${states} × ${p.actions.toLocaleString('en-US')}`;
}

/** Why runs another Aisle process trains or queued are not cancelled from this one: where to stop them. */
export function whyNotCancelled(runs: readonly RunWithStatus[]): string {
  const several = runs.length > 1;
  const what = runs.every((r) => r.status === 'queued') ? 'queued' : runs.every((r) => r.status === 'running') ? 'trained' : 'trained or queued';
  const which = several ? `runs ${runs.map((r) => r.id).join(', ')} are` : `run ${runs[0]!.id} is`;
  return `${which} ${what} by another Aisle process (\`aisle run\` or another window): stop ${several ? 'them' : 'it'} there`;
}

/** The same, as the app says it beside a run or a Cancel button it leaves out. */
export function notCancelledHere(runs: readonly RunWithStatus[]): string {
  return `Not cancelled from here: ${whyNotCancelled(runs)}.`;
}

/**
 * A name split before the settings it ends with, which tell a sweep's experiments apart:
 * "q-learning on shop (exact) (alpha=0.1, epsilon=0.05)" → "q-learning on shop" and
 * " (exact) (alpha=0.1, epsilon=0.05)" (with the space before it; '' when the name ends in no "(…)").
 * Every trailing "(…)": Run again's repeat of a sweep's experiment ends "(alpha=0.1, epsilon=0.05) (2)",
 * and keeping its "(2)" alone would make the repeats of one sweep read alike. middleCut keeps them
 * whole in a cut to a number of columns, the app's name cells in a cut to their width.
 */
export function nameParts(name: string): { start: string; settings: string } {
  const settings = /(?:\s*\([^()]*\))+$/.exec(name)?.[0] ?? '';
  return { start: name.slice(0, name.length - settings.length), settings };
}

/** The columns a name's start keeps when middleCut keeps its trailing "(…)" whole. */
const LEAST_START = 8;

/**
 * A name cut to `width` columns for a list, a chip or a legend ("…" where it is cut), keeping what
 * tells it from its siblings: a sweep's experiments share their start and differ in the settings
 * their names end with ("quickstart: cliff walking, q-learning (alpha=0.1, epsilon=0.05)"), which
 * a cut at the end hid. So a trailing "(…)" (or several: a repeat's "(…) (2)") stays whole and the middle goes, when that leaves the
 * start LEAST_START columns; a longer "(…)" keeps those columns of the start and as much of its end
 * as fits. A name not ending in "(…)" is cut at its end. Cut between user-perceived characters
 * (grapheme clusters); `widthOf` measures one: by default a terminal's columns, so a name in Chinese
 * or with emoji (two columns a character) is cut to the width an ASCII name is, not to twice it.
 */
export function middleCut(text: string, width: number, widthOf: (cluster: string) => number = clusterWidth): string {
  const clusters = [...graphemes.segment(text)].map((s) => s.segment);
  const widths = clusters.map(widthOf);
  const sum = (ws: readonly number[]) => ws.reduce((a, b) => a + b, 0);
  if (sum(widths) <= width) return text;
  const room = Math.max(0, width - 1); // "…" takes a column
  const trailing = nameParts(text).settings || undefined;
  let tailRoom = 0;
  if (trailing !== undefined) {
    const whole = sum([...graphemes.segment(trailing)].map((s) => widthOf(s.segment)));
    tailRoom = whole <= room - LEAST_START ? whole : room - Math.min(LEAST_START, Math.floor(room / 3));
  }
  let tail = '';
  let used = 0;
  for (let i = clusters.length - 1; i >= 0 && used + widths[i]! <= tailRoom; i--) {
    tail = clusters[i]! + tail;
    used += widths[i]!;
  }
  let head = '';
  for (let i = 0; i < clusters.length && used + widths[i]! <= room; i++) {
    head += clusters[i]!;
    used += widths[i]!;
  }
  return `${head.trimEnd()}…${tail}`;
}

/** The columns of an experiment's name in a run picker's option (see runPickerLabel), and of a policy's in a policy picker's. */
export const PICKER_NAME = 48;

/**
 * A run as the Q-tables and Policies pickers list it: "run 12 · greedy return −13 (exact) ·
 * q-learning on a… (alpha=0.1, epsilon=0.05) · q-learning · seed 3", its score (runScoreText) next
 * to its number, where a select too narrow for the option does not cut it off, and the experiment's
 * name cut in its middle (middleCut) to `width` columns, so a sweep's runs keep the settings that
 * tell them apart. The pickers give the whole label (width Infinity) as the select's title.
 */
export function runPickerLabel(r: Pick<RunSummary, 'id' | 'experimentName' | 'agentId' | 'seed'> & Partial<Pick<RunSummary, 'greedyScore' | 'returnLast100'>>, width = PICKER_NAME): string {
  const score = runScoreText(r);
  return `run ${r.id} · ${score !== undefined ? `${score} · ` : ''}${middleCut(r.experimentName, width)} · ${r.agentId} · seed ${r.seed}`;
}

/**
 * How good a run's greedy policy is, for choosing among runs, labelled with where the figure comes
 * from: its exact expected return ("greedy return −13 (exact)", discounted: "(exact, γ 0.9)"), else
 * its greedy evaluations' mean return over its last 100 episodes ("greedy return 6.12 (evaluated)"),
 * else its training return's last-100 mean, exploration included ("return (last 100) −49.61", the
 * Runs list's column); undefined when it has none of them.
 */
export function runScoreText(r: Partial<Pick<RunSummary, 'greedyScore' | 'returnLast100'>>): string | undefined {
  const g = r.greedyScore;
  if (g !== undefined) return `greedy return ${fmt(g.value)} (${g.source === 'exact' ? `exact${g.gamma !== undefined ? `, γ ${fmt(g.gamma)}` : ''}` : 'evaluated'})`;
  return r.returnLast100 !== null && r.returnLast100 !== undefined ? `return (last 100) ${fmt(r.returnLast100)}` : undefined;
}
