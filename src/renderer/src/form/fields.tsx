/**
 * One input per JSON Schema parameter: number (with its range), enum, boolean, text, a
 * "constant / schedule" switch for anyOf number|object, an inline file summary for file
 * parameters, and a small JSON box for anything else. Each shows its description as help, its
 * problems under it (aria-invalid on the input), and reports text it cannot read as a local problem.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { JsonSchema } from '../../../shared/dto';
import { describeOf, fieldKind, inlineFileText, inputAttributes, jsonHint, numberSpec, parameters, rangeText, type NumberSpec } from './schema';
import { readJsonSyntax } from '../../../shared/json-text';
import { nonFiniteProblem } from './finite-json';
import { isObject } from '../../../shared/values';
import { show, tooLargeText } from '../../../engine/params';

/** Reports (message) or clears (null) a problem the form found before asking the service. */
export type LocalProblem = (path: string, message: string | null) => void;

export interface FieldProps {
  /** JSON path, e.g. "agent.alpha": names the field for problems and tests. */
  readonly path: string;
  readonly name: string;
  readonly schema: JsonSchema;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  readonly problems: ReadonlyMap<string, readonly string[]>;
  readonly onLocalProblem: LocalProblem;
  /** The experiment's episodes, to prefill schedules (decay over half of training). */
  readonly episodes: number;
  /**
   * The schema requires a value: an emptied text field then holds "" (which the service calls
   * empty) rather than nothing (which it would call missing, i.e. of the wrong type).
   */
  readonly required?: boolean;
  /**
   * The id of problems said under a parent that concern this input (a schedule's "decayEpisodes" is
   * missing, said under ε as a whole): the input is marked invalid and described by them.
   */
  readonly parentProblemsId?: string | undefined;
}

interface ShellProps {
  readonly path: string;
  readonly label: ReactNode;
  readonly inputId: string;
  readonly hint?: string | undefined;
  readonly help?: string | undefined;
  readonly problems: readonly string[];
  readonly children: ReactNode;
}

/** The label, input, help text and problems of one field. */
/** `value` with its field `key` set to `v`, or left out when `v` is undefined (a subfield cleared). */
export function withField(value: Record<string, unknown>, key: string, v: unknown): Record<string, unknown> {
  const next: Record<string, unknown> = { ...value, [key]: v };
  if (v === undefined) delete next[key];
  return next;
}

export function FieldShell({ path, label, inputId, hint, help, problems, children }: ShellProps) {
  return (
    <div className="field" data-testid={`field-${path}`}>
      <label htmlFor={inputId}>
        <span className="name">{label}</span>
        {/* The space keeps the label's accessible name two words ("alpha in (0, 1]", not "alphain (0, 1]"). */}
        {hint && <> <span className="range">{hint}</span></>}
      </label>
      {children}
      <HelpAndProblems inputId={inputId} path={path} help={help} problems={problems} />
    </div>
  );
}

/** Below an input: its description, then its problems (both named by the input's aria-describedby). */
export function HelpAndProblems({ inputId, path, help, problems }: { inputId: string; path: string; help: string | undefined; problems: readonly string[] }) {
  return (
    <>
      {help && (
        <div className="help" id={`${inputId}-help`}>
          {help}
        </div>
      )}
      <Problems id={`${inputId}-problems`} path={path} lines={problems} />
    </>
  );
}

/**
 * A field's problems, in a polite live region that is there before they are (one that comes with its
 * text is not reliably read): a screen reader says a problem when it appears or changes, after what
 * it is saying, without taking the focus from the field.
 */
function Problems({ id, path, lines }: { id: string; path: string; lines: readonly string[] }) {
  return (
    <div aria-live="polite">
      {lines.length > 0 && (
        <div id={id} className="field-error" data-testid={`problem-${path}`}>
          {lines.join('\n')}
        </div>
      )}
    </div>
  );
}

/**
 * ARIA wiring shared by inputs (the parameters, and the form's own seeds and environment and agent
 * selects): invalid state, and the help and problems that describe them, as FieldShell writes them.
 */
export function fieldAria(inputId: string, problems: readonly string[], help: boolean, parentProblemsId?: string) {
  const by = [help ? `${inputId}-help` : '', problems.length ? `${inputId}-problems` : '', parentProblemsId ?? ''].filter(Boolean).join(' ');
  return { 'aria-invalid': problems.length > 0 || parentProblemsId !== undefined, ...(by ? { 'aria-describedby': by } : {}) };
}

/** Field ids are `f-<path>`; inputs are found by tests as `input-<path>`. */
function testIdOf(inputId: string): string {
  return `input-${inputId.replace(/^f-/, '')}`;
}

/** What a number input shows for a draft value: the number, or text kept because it is not one. */
function numberText(v: unknown): string {
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/**
 * HTML's number syntax ("-0.5", "1e3", ".5"), with the digit groups the app prints ("1,000", as a
 * range hint reads "[1, 100,000,000]"): what a number field accepts, and nothing looser ("1-2",
 * "0x10", "1,00", whose comma groups no thousands). A sweep's values are read elsewhere: there a
 * comma separates values.
 */
const NUMBER_TEXT = /^-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number field's text as a draft value: undefined when empty (the default applies), the number it
 * spells, else the text itself. Text that is not a number stays in the draft as a string, so the
 * JSON view shows it, the service rejects it, and a round trip through the JSON view keeps it.
 */
export function readNumberText(text: string): NumberTextRead {
  const t = text.trim();
  if (t === '') return { value: undefined, bad: false };
  const n = NUMBER_TEXT.test(t) ? Number(t.replaceAll(',', '')) : NaN;
  return Number.isFinite(n) ? { value: n, bad: false } : { value: text, bad: true, spelt: n };
}

/**
 * A number field's text as readNumberText reads it. Text that is not a number keeps what it spells
 * (`spelt`): NaN, or ±Infinity for a number too large to represent ("1e309"), which notANumber says
 * from this read rather than reading the text again.
 */
export type NumberTextRead = { value: number | undefined; bad: false } | { value: string; bad: true; spelt: number };

/** The seeds field's problem for a list it cannot read. */
export const SEED_LIST_PROBLEM = 'list whole numbers separated by commas, e.g. 0, 1, 7';

/** Whether the seeds field's text is a list ("0, 1, 7", "0 1 7", "[0, 1, 7]") rather than a count. */
export function looksLikeSeedList(text: string): boolean {
  const t = text.trim();
  return t.startsWith('[') || /[\s,]/.test(t);
}

/**
 * Whether text typed into the seeds field's count is a list of seeds to switch to: not a number, a
 * list by looksLikeSeedList, and not a number in thousands half typed ("1," on its way to "1,000",
 * which a number field reads as 1000).
 */
export function countTextIsList(text: string): boolean {
  return readNumberText(text).bad && looksLikeSeedList(text) && !/^\d{1,3}(?:,\d{3})*,\d{0,2}$/.test(text.trimStart());
}

/**
 * The seeds field's text read as a list of seeds: "0, 1, 7", "0 1 7", or "[0, 1, 7]" as the JSON
 * view and the service's problem for seeds ("or a list of seeds (whole numbers, e.g. [0, 1, 2])")
 * write it. An empty list is a list (the service says it needs a seed).
 */
export function readSeedList(text: string): { seeds: number[] } | { problem: string } {
  // One comma ends the list while the next seed is typed ("0, 1,"); two in a row ("0,, 1") or one
  // first leave a seed out, which the JSON view could not write either.
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '').trim().replace(/,\s*$/, '');
  if (inner === '') return { seeds: [] };
  const parts = inner.includes(',') ? inner.split(',').map((p) => p.trim()) : inner.split(/\s+/);
  // Each seed spelt as a number field takes it (NUMBER_TEXT; no thousands here, where a comma
  // separates seeds): Number() alone read "0x10" as seed 16 and "0b11" as 3, which the count refuses.
  const seeds = parts.map((p) => (NUMBER_TEXT.test(p) ? Number(p) : NaN));
  return seeds.some((n) => !Number.isInteger(n)) ? { problem: SEED_LIST_PROBLEM } : { seeds };
}

interface NumberInputProps {
  readonly id: string;
  readonly value: unknown;
  readonly spec: NumberSpec;
  readonly onChange: (value: number | string | undefined) => void;
  readonly onBad: (message: string | null) => void;
  readonly placeholder?: string | undefined;
  readonly ariaProps: Record<string, unknown>;
  /** A whole number to suggest when the text of an integer field is not a number (its default). */
  readonly example?: unknown;
}

/**
 * The local problem of a number input whose text is not a number ("e", "-"), or is one too large to
 * represent ("1e309": `spelt`, as readNumberText read it, is Infinity): that was told to "type
 * digits", which it is.
 */
export function notANumber(spec: NumberSpec, example?: unknown, spelt = NaN): string {
  if (spelt === Infinity || spelt === -Infinity) {
    const range = rangeText(spec);
    // The range where it bounds the side the text went past; else which way to go ("type a number
    // > 0" of 1e309, which is one, and "a smaller one" of -1e309, which it is, said neither).
    const bounded = spelt > 0 ? (spec.maximum ?? spec.exclusiveMaximum) : (spec.minimum ?? spec.exclusiveMinimum);
    const kind = spec.integer ? 'whole number' : 'number';
    if (bounded !== undefined) return `is ${tooLargeText(spelt)}: type a ${spec.integer ? '' : 'number '}${range}`;
    return `is ${tooLargeText(spelt)}: type a ${spelt > 0 ? 'smaller' : 'larger'} ${range.startsWith('any') ? kind : `${spec.integer ? '' : 'number '}${range}`}`;
  }
  const e = !spec.integer ? 0.5 : typeof example === 'number' && Number.isInteger(example) ? example : Math.max(1, spec.minimum ?? 1);
  return `is not a number: type digits, e.g. ${String(e)}`;
}

/** The value ArrowUp (+1) or ArrowDown (−1) makes of `value`: one step, kept within the range. */
function stepped(value: number, direction: 1 | -1, spec: NumberSpec): number {
  const { min, max, step } = inputAttributes(spec);
  const size = step === 'any' ? 1 : step;
  // Rounded to the step's decimals, so 0.1 + 0.01 shows as 0.11 rather than 0.11000000000000001.
  const next = Number((value + direction * size).toFixed(size < 1 ? 2 : 0));
  return Math.min(max ?? Infinity, Math.max(min ?? -Infinity, next));
}

/**
 * A number input that keeps what the user is typing ("0.", "-") while the draft holds numbers:
 * the text only follows the value when the value changes from elsewhere (the JSON view, an import).
 *
 * A text input read with HTML's number syntax rather than <input type=number>, whose value is ""
 * for text that is not a number: the form must know that text to keep it (see readNumberText).
 * ArrowUp and ArrowDown step the value as a number input would.
 */
export function NumberInput({ id, value, spec, onChange, onBad, placeholder, ariaProps, example }: NumberInputProps) {
  const [text, setText] = useState(() => numberText(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    if (!(text !== '' && readNumberText(text).value === value)) setText(numberText(value));
  }
  const read = (t: string) => {
    setText(t);
    const r = readNumberText(t);
    onBad(r.bad ? notANumber(spec, example, r.spelt) : null);
    if (Object.is(r.value, shown)) return;
    setShown(r.value);
    onChange(r.value);
  };
  return (
    <input
      id={id}
      type="text"
      className="number"
      inputMode="decimal"
      autoComplete="off"
      value={text}
      placeholder={placeholder}
      data-testid={testIdOf(id)}
      {...ariaProps}
      onChange={(e) => read(e.target.value)}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
        const r = readNumberText(text);
        if (r.bad) return;
        e.preventDefault();
        const from = typeof r.value === 'number' ? r.value : typeof example === 'number' ? example : 0;
        read(String(stepped(from, e.key === 'ArrowUp' ? 1 : -1, spec)));
      }}
    />
  );
}

/**
 * A JSON field's text as a draft value: undefined when empty (the default applies), the value it
 * spells, else the text itself with its syntax problem. As with a number field (readNumberText),
 * text that does not parse stays in the draft, so the JSON view shows it, the service rejects it,
 * Launch waits, and a round trip through the JSON view or a reload keeps it.
 */
export function readJsonText(text: string): { value: unknown; problem: string | null } {
  if (text.trim() === '') return { value: undefined, problem: null };
  const read = readJsonSyntax(text);
  const problem = read.ok ? nonFiniteProblem(read.value) : read.problem;
  return problem === null ? { value: read.ok ? read.value : text, problem: null } : { value: text, problem };
}

/**
 * What a JSON field shows for a draft value. No JSON field takes text (they are arrays, objects,
 * numbers or null), so a string that does not parse is text kept from the field: shown as typed.
 */
export function jsonText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string' && readJsonText(value).problem !== null) return value;
  return JSON.stringify(value, null, 1);
}

/** A JSON text box for values the form has no input for; its text is kept while it does not parse. */
function JsonInput({ id, value, onChange, onBad, ariaProps }: { id: string; value: unknown; onChange: (v: unknown) => void; onBad: (m: string | null) => void; ariaProps: Record<string, unknown> }) {
  const [text, setText] = useState(() => jsonText(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    setText(jsonText(value));
  }
  // Reported from the text shown, which the draft holds while it does not parse: text kept from
  // before (a reload, the JSON view and back) is a problem again when the field shows, and none once
  // the field is gone (another agent). onBad is a new function each render, with the same effect.
  const problem = readJsonText(text).problem;
  useEffect(() => {
    onBad(problem);
    return () => onBad(null);
  }, [problem]);
  return (
    <textarea
      id={id}
      rows={Math.min(8, Math.max(2, text.split('\n').length))}
      value={text}
      spellCheck={false}
      data-testid={testIdOf(id)}
      {...ariaProps}
      onChange={(e) => {
        const t = e.target.value;
        const r = readJsonText(t);
        setText(t);
        setShown(r.value);
        onChange(r.value);
      }}
    />
  );
}

export function ParamField(props: FieldProps) {
  const { path, name, schema, value, onChange, problems, onLocalProblem } = props;
  const id = `f-${path}`;
  const kind = fieldKind(schema);
  const help = describeOf(schema);
  const mine = problems.get(path) ?? [];
  const a = fieldAria(id, mine, Boolean(help), props.parentProblemsId);
  const onBad = (m: string | null) => onLocalProblem(path, m);
  const hasDefault = 'default' in schema;
  switch (kind.kind) {
    case 'number':
      return (
        <FieldShell path={path} label={name} inputId={id} hint={rangeText(kind.spec)} help={help} problems={mine}>
          <NumberInput id={id} value={value} spec={kind.spec} onChange={onChange} onBad={onBad} ariaProps={a} placeholder={hasDefault ? `default ${String(schema.default)}` : 'not set'} example={schema.default} />
        </FieldShell>
      );
    case 'enum':
      return (
        <FieldShell path={path} label={name} inputId={id} help={help} problems={mine}>
          <select id={id} data-testid={testIdOf(id)} value={value === undefined ? '' : String(value)} {...a} onChange={(e) => onChange(kind.options.find((o) => String(o) === e.target.value))}>
            {value === undefined && <option value="">(not set)</option>}
            {kind.options.map((o) => (
              <option key={String(o)} value={String(o)}>
                {String(o)}
              </option>
            ))}
          </select>
        </FieldShell>
      );
    case 'boolean':
      return (
        <FieldShell path={path} label={name} inputId={id} help={help} problems={mine}>
          <input id={id} type="checkbox" data-testid={testIdOf(id)} checked={value === true} {...a} onChange={(e) => onChange(e.target.checked)} />
        </FieldShell>
      );
    case 'string':
      return (
        <FieldShell path={path} label={name} inputId={id} help={help} problems={mine}>
          <input id={id} type="text" data-testid={testIdOf(id)} value={typeof value === 'string' ? value : ''} {...a} onChange={(e) => onChange(e.target.value === '' && !props.required ? undefined : e.target.value)} />
        </FieldShell>
      );
    case 'number-or-object':
      return <NumberOrObjectField {...props} constant={kind.constant} object={kind.object} />;
    case 'json':
      return (
        <FieldShell path={path} label={name} inputId={id} hint={jsonHint(schema)} help={help} problems={mine}>
          <JsonInput id={id} value={value} onChange={onChange} onBad={onBad} ariaProps={a} />
        </FieldShell>
      );
  }
}

/** Epsilon's shape: a constant, or an object of numbers (a schedule) with a sub-field each. */
function NumberOrObjectField(props: FieldProps & { constant: JsonSchema; object: JsonSchema }) {
  const { path, name, schema, value, onChange, problems, onLocalProblem, constant, object, episodes } = props;
  const id = `f-${path}`;
  const radio = useId();
  const help = describeOf(schema);
  const mine = problems.get(path) ?? [];
  const spec = numberSpec(constant);
  const isObj = isObject(value);
  const [lastConstant, setLastConstant] = useState<unknown>(isObj ? schema.default : value);
  const objectLabel = typeof object.title === 'string' ? object.title : 'schedule';
  // A schedule's own problems (a field missing from it, one it has no place for) are said under it as
  // a whole, where no input was marked: "1 problem to fix" found no invalid field to focus, and a
  // screen reader in the schedule's fields heard nothing of it. The fields it lacks are marked, or,
  // lacking none, the schedule's choice.
  const missing = isObj && mine.length > 0 ? parameters(object).filter(([key]) => value[key] === undefined).map(([key]) => key) : [];
  const choiceInvalid = isObj && mine.length > 0 && missing.length === 0 ? { 'aria-invalid': true, 'aria-describedby': `${id}-problems` } : {};
  /** A schedule that changes nothing yet: every rate at the constant, decays over half of training. */
  const objectFrom = (c: unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, sub] of parameters(object)) {
      const s = numberSpec(sub);
      if ('default' in sub) out[key] = sub.default;
      else if (s.integer) out[key] = Math.max(s.minimum ?? 1, Math.floor(episodes / 2));
      else if (typeof c === 'number') out[key] = c;
    }
    return out;
  };
  return (
    <fieldset className="field choice" data-testid={`field-${path}`}>
      <legend>
        <span className="name">{name}</span>
        {!isObj && <> <span className="range">{rangeText(spec)}</span></>}
      </legend>
      <div className="segmented" role="radiogroup" aria-label={`${name}: constant or ${objectLabel}`}>
        <label>
          <input type="radio" name={radio} data-testid={`mode-${path}-constant`} checked={!isObj} onChange={() => onChange(typeof lastConstant === 'number' ? lastConstant : schema.default)} /> constant
        </label>
        <label>
          <input
            type="radio"
            name={radio}
            data-testid={`mode-${path}-object`}
            checked={isObj}
            {...choiceInvalid}
            onChange={() => {
              setLastConstant(value);
              onChange(objectFrom(value));
            }}
          />{' '}
          {objectLabel}
        </label>
      </div>
      {isObj ? (
        <div className="subfields">
          {parameters(object).map(([key, sub]) => (
            <ParamField
              {...props}
              key={key}
              path={`${path}.${key}`}
              name={key}
              schema={sub}
              value={value[key]}
              onChange={(v) => onChange(withField(value, key, v))}
              parentProblemsId={missing.includes(key) ? `${id}-problems` : undefined}
            />
          ))}
        </div>
      ) : (
        <NumberInput
          id={id}
          value={value}
          spec={spec}
          onChange={onChange}
          onBad={(m) => onLocalProblem(path, m)}
          ariaProps={{ ...fieldAria(id, mine, Boolean(help)), 'aria-label': `${name} (constant)` }}
          // Emptied, the default applies: said in the box, as every other number field says it.
          placeholder={typeof schema.default === 'number' ? `default ${String(schema.default)}` : 'not set'}
          example={typeof schema.default === 'number' ? schema.default : undefined}
        />
      )}
      <HelpAndProblems inputId={id} path={path} help={help} problems={mine} />
    </fieldset>
  );
}

/**
 * What a file field holds, in one line: the inline file's summary, or the path an imported
 * experiment named and the form has not read. The path is the experiment file's text, quoted as a
 * message quotes one (show): raw, U+202E in it reversed the rest of the line, and a path of
 * thousands of characters was shown whole.
 */
export function fileFieldText(value: unknown): string {
  const inline = inlineFileText(value);
  if (inline !== null) return inline;
  if (typeof value === 'string') return `file ${show(value)} (not read yet: import it with the experiment, or replace it)`;
  return value === undefined ? 'none' : 'an inline object';
}

/**
 * A file parameter (an MDP, a shop catalog): a one-line summary of the inline file and a button to
 * replace it; `unread` says why the file Replace… picked was not read (the field keeps its last file).
 */
export function FileField({
  path,
  name,
  schema,
  value,
  problems,
  onReplace,
  unread,
}: Pick<FieldProps, 'path' | 'name' | 'schema' | 'value' | 'problems'> & { onReplace: () => void; unread: readonly string[] }) {
  const id = `f-${path}`;
  const mine = problems.get(path) ?? [];
  const text = fileFieldText(value);
  // The button is named for what it does ("Replace… (mdp)", where the field's label alone made it "mdp")
  // and described by the file in place, then by what went wrong.
  const describedBy = [`${id}-summary`, unread.length > 0 ? `${id}-unread` : '', mine.length > 0 ? `${id}-problems` : ''].filter(Boolean).join(' ');
  return (
    <FieldShell path={path} label={name} inputId={id} help={describeOf(schema)} problems={mine}>
      <div className="row">
        <span className="mdp-summary" id={`${id}-summary`} data-testid={`summary-${path}`}>
          {text}
        </span>
        <button type="button" id={id} aria-label={`Replace… (${name})`} aria-invalid={mine.length > 0} aria-describedby={describedBy} onClick={onReplace}>
          Replace…
        </button>
      </div>
      {unread.length > 0 && (
        <div className="error" role="alert" id={`${id}-unread`} data-testid="import-problems">
          {unread.join('\n')}
        </div>
      )}
    </FieldShell>
  );
}

/** The field paths a component's inputs cover (for placing problems), sub-fields included. */
export function fieldPaths(prefix: string, schema: JsonSchema): string[] {
  const out: string[] = [];
  for (const [key, sub] of parameters(schema)) {
    out.push(`${prefix}.${key}`);
    const k = fieldKind(sub);
    if (k.kind === 'number-or-object') for (const [inner] of parameters(k.object)) out.push(`${prefix}.${key}.${inner}`);
  }
  return out;
}
