/**
 * The form view of the draft: the experiment's own fields (name, episodes, seeds, checkpoints,
 * greedy evaluation) and
 * one panel each for the environment and the agent — a select of the catalog's entries, the
 * chosen one's description, and a field per parameter from its JSON Schema.
 */
import { useRef, useState, type ReactNode } from 'react';
import type { Catalog, CatalogEntry, JsonSchema } from '../../../shared/dto';
import { component, entryOf, switchTo, type Draft, type Which } from './draft';
import { FieldShell, FileField, fieldAria, NumberInput, ParamField, fieldPaths, countTextIsList, looksLikeSeedList, readSeedList, type LocalProblem } from './fields';
import { numberSpec, parameters, rangeText } from './schema';
import { isObject } from '../../../shared/values';
import { plural } from '../../../shared/text';
import { SEEDS_FOR_VERDICTS } from '../../../shared/compare-text';
import { EvaluationField } from './evaluation-field';

export interface FormProps {
  readonly catalog: Catalog;
  readonly draft: Draft;
  /** `renamed` says the change should refresh an automatic name (environment or agent changed). */
  readonly onDraft: (next: Draft, renamed?: boolean) => void;
  readonly problems: ReadonlyMap<string, readonly string[]>;
  readonly onLocalProblem: LocalProblem;
  /** Opens the file picker (an MDP or an experiment), for the file field given when its Replace… was pressed. */
  readonly onImport: (field?: string) => void;
  /** Why the files a file field's Replace… picked were not read, said under that field. */
  readonly fileProblems?: { readonly field: string; readonly problems: readonly string[] };
}

function topSchema(catalog: Catalog, key: string): JsonSchema {
  const props = catalog.experimentSchema.properties;
  const prop = isObject(props) ? props[key] : undefined;
  return isObject(prop) ? prop : {};
}

function requiredKeys(catalog: Catalog): string[] {
  const required = catalog.experimentSchema.required;
  return Array.isArray(required) ? required.filter((k): k is string => typeof k === 'string') : [];
}

function episodesOf(draft: Draft): number {
  return typeof draft.episodes === 'number' ? draft.episodes : 500;
}

/** Every path a field of the form covers, for placing the service's problems. */
export function formFieldPaths(catalog: Catalog, draft: Draft): string[] {
  const out = ['name', 'description', 'episodes', 'seeds', 'checkpoints', 'evaluation', 'evaluation.every', 'evaluation.episodes', 'env', 'env.id', 'agent', 'agent.id'];
  for (const which of ['env', 'agent'] as const) {
    const entry = entryOf(catalog, draft, which);
    if (entry) out.push(...fieldPaths(which, entry.schema));
  }
  return out;
}

export function ExperimentForm(props: FormProps) {
  return (
    <>
      <ExperimentFields {...props} />
      <div className="grid2">
        <ComponentPanel {...props} which="env" title="Environment" entries={props.catalog.environments} />
        <ComponentPanel {...props} which="agent" title="Agent" entries={props.catalog.agents} />
      </div>
    </>
  );
}

function ExperimentFields({ catalog, draft, onDraft, problems, onLocalProblem }: FormProps) {
  // An agent that keeps neither a Q-table nor a network (a bandit's counts, a baseline) has nothing to snapshot: the help says so.
  const agent = entryOf(catalog, draft, 'agent');
  const keepsNothing = agent !== undefined && (agent.keeps ?? []).length === 0;
  const schemaOf = (key: string): JsonSchema => {
    const schema = topSchema(catalog, key);
    if (key !== 'checkpoints' || !keepsNothing || typeof schema.description !== 'string') return schema;
    return { ...schema, description: `${schema.description} ${agent.title} keeps neither, so its runs store none.` };
  };
  const field = (key: string, label = key) => (
    <ParamField
      path={key}
      name={label}
      schema={schemaOf(key)}
      value={draft[key]}
      onChange={(v) => {
        const next: Record<string, unknown> = { ...draft, [key]: v };
        if (v === undefined) delete next[key];
        onDraft(next);
      }}
      problems={problems}
      onLocalProblem={onLocalProblem}
      episodes={episodesOf(draft)}
      required={requiredKeys(catalog).includes(key)}
    />
  );
  return (
    <section className="panel form-experiment" aria-label="Experiment">
      <div className="form-row">
        <div className="grow">{field('name')}</div>
        <div className="grow">{field('description', 'description (optional)')}</div>
      </div>
      <div className="form-row">
        {field('episodes')}
        <SeedsField catalog={catalog} draft={draft} onDraft={onDraft} problems={problems} onLocalProblem={onLocalProblem} />
        {field('checkpoints')}
        <EvaluationField
          schema={topSchema(catalog, 'evaluation')}
          value={draft.evaluation}
          onChange={(v) => {
            const next: Record<string, unknown> = { ...draft, evaluation: v };
            if (v === undefined) delete next.evaluation;
            onDraft(next);
          }}
          problems={problems}
          onLocalProblem={onLocalProblem}
          episodes={episodesOf(draft)}
        />
      </div>
    </section>
  );
}

/** Seeds: a count (seeds 0..n−1), or an explicit list when the experiment came with one. */
function SeedsField({ catalog, draft, onDraft, problems, onLocalProblem }: Pick<FormProps, 'catalog' | 'draft' | 'onDraft' | 'problems' | 'onLocalProblem'>) {
  const schema = topSchema(catalog, 'seeds');
  const countSchema = (Array.isArray(schema.anyOf) ? (schema.anyOf as JsonSchema[]) : []).find((s) => s.type === 'integer') ?? { type: 'integer', minimum: 1 };
  const spec = numberSpec(countSchema);
  const value = draft.seeds;
  const mine = problems.get('seeds') ?? [];
  const listOf = (v: unknown) => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '');
  // A list's text that does not parse is kept in the draft as text (the service rejects it, and the
  // JSON view shows it), and the field stays a list meanwhile; text with a separator comes back as one.
  const looksLikeList = (v: unknown) => Array.isArray(v) || (typeof v === 'string' && looksLikeSeedList(v));
  const [asList, setAsList] = useState(() => looksLikeList(value));
  const [listText, setListText] = useState(() => listOf(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    setListText(listOf(value));
    if (typeof value !== 'string') setAsList(Array.isArray(value));
  }
  const set = (v: unknown) => onDraft({ ...draft, seeds: v });
  const focusList = useRef(false);
  const setList = (text: string) => {
    setListText(text);
    const read = readSeedList(text);
    onLocalProblem('seeds', 'problem' in read ? read.problem : null);
    const next = 'seeds' in read ? read.seeds : text;
    setShown(next);
    set(next);
  };
  const a = fieldAria('f-seeds', mine, !asList);
  if (asList) {
    return (
      <FieldShell path="seeds" label="seeds" inputId="f-seeds" hint="a list: one run per seed" help={`${SEEDS_FOR_VERDICTS}.`} problems={mine}>
        <div className="row">
          <input
            id="f-seeds"
            type="text"
            data-testid="input-seeds"
            value={listText}
            {...a}
            ref={(el) => {
              // Typed into the count's box, the list goes on here, the caret after what was typed.
              if (!el || !focusList.current) return;
              focusList.current = false;
              el.focus();
              el.setSelectionRange(el.value.length, el.value.length);
            }}
            onChange={(e) => setList(e.target.value)}
          />
          <button type="button" onClick={() => set(Array.isArray(value) ? value.length || 1 : 1)}>
            Use a count
          </button>
        </div>
      </FieldShell>
    );
  }
  return (
    <FieldShell path="seeds" label="seeds" inputId="f-seeds" hint={rangeText(spec)} help={`runs: seeds 0..n−1. ${SEEDS_FOR_VERDICTS}.`} problems={mine}>
      {/* Emptied, it says which count applies, as the other number fields do (it read as blank). */}
      <NumberInput
        id="f-seeds"
        value={value}
        spec={spec}
        onChange={(v) => {
          // A list typed here ("0, 1, 7", "[0, 1, 7]", as the service's problem for a count that is
          // not whole suggests) makes the field a list, where it read "is not a number".
          if (typeof v === 'string' && countTextIsList(v)) {
            focusList.current = true;
            setAsList(true);
            setList(v);
          } else set(v);
        }}
        onBad={(m) => onLocalProblem('seeds', m)}
        ariaProps={a}
        placeholder={typeof schema.default === 'number' ? `default ${String(schema.default)}` : undefined}
      />
    </FieldShell>
  );
}

function ComponentPanel({ catalog, draft, onDraft, problems, onLocalProblem, onImport, fileProblems, which, title, entries }: FormProps & { which: Which; title: string; entries: readonly CatalogEntry[] }) {
  const current = component(draft, which);
  const entry = entryOf(catalog, draft, which);
  const selectId = `f-${which}.id`;
  const idProblems = [...(problems.get(`${which}.id`) ?? []), ...(problems.get(which) ?? [])];
  const setParam = (key: string, v: unknown) => {
    const next: Record<string, unknown> = { ...current, [key]: v };
    if (v === undefined) delete next[key];
    onDraft({ ...draft, [which]: next }, entry?.fileParams.includes(key));
  };
  return (
    <section className="panel" aria-label={title} data-testid={`panel-${which}`}>
      <FieldShell path={`${which}.id`} label={title} inputId={selectId} problems={idProblems}>
        <select
          id={selectId}
          data-testid={`select-${which}`}
          value={typeof current.id === 'string' ? current.id : ''}
          {...fieldAria(selectId, idProblems, false)}
          onChange={(e) => {
            const to = entries.find((x) => x.id === e.target.value);
            if (to) onDraft(switchTo(catalog, draft, which, to), true);
          }}
        >
          {!entry && <option value={typeof current.id === 'string' ? current.id : ''}>{typeof current.id === 'string' ? `unknown: ${current.id}` : 'choose…'}</option>}
          {entries.map((x) => (
            <option key={x.id} value={x.id}>
              {x.title}
              {x.family ? ` · ${x.family}` : ''}
            </option>
          ))}
        </select>
      </FieldShell>
      {entry && <p className="description">{entry.description}</p>}
      {entry && parameters(entry.schema).length === 0 && <p className="muted small">No parameters.</p>}
      {entry && <ParamGroups entry={entry} which={which} current={current} problems={problems} field={field} />}
    </section>
  );

  function field([key, schema]: readonly [string, JsonSchema]) {
    if (!entry) return null;
    return entry.fileParams.includes(key) ? (
      <FileField
        key={`${entry.id}.${key}`}
        path={`${which}.${key}`}
        name={key}
        schema={schema}
        value={current[key]}
        problems={problems}
        onReplace={() => onImport(`${which}.${key}`)}
        unread={fileProblems?.field === `${which}.${key}` ? fileProblems.problems : []}
      />
    ) : (
      <ParamField
        key={`${entry.id}.${key}`}
        path={`${which}.${key}`}
        name={key}
        schema={schema}
        value={current[key]}
        onChange={(v) => setParam(key, v)}
        problems={problems}
        onLocalProblem={onLocalProblem}
        episodes={episodesOf(draft)}
      />
    );
  }
}

/** Whether a parameter's value differs from its schema's default (unset counts as the default). */
function changedFromDefault(value: unknown, schema: JsonSchema): boolean {
  if (value === undefined) return false;
  return !('default' in schema) || JSON.stringify(value) !== JSON.stringify(schema.default);
}

/**
 * An entry's parameters: as one list, or for an environment of many (the shop's) its ungrouped ones
 * first, then each group folded under its title with how many of its values differ from the
 * defaults and how many are wrong (an invalid value is a problem, not a change). A group opens by
 * itself while it holds a changed value or a problem; once the user opens or closes it, it stays so,
 * and a closed group still says how many problems it hides.
 */
function ParamGroups({
  entry,
  which,
  current,
  problems,
  field,
}: {
  entry: CatalogEntry;
  which: Which;
  current: Record<string, unknown>;
  problems: ReadonlyMap<string, readonly string[]>;
  field: (param: readonly [string, JsonSchema]) => ReactNode;
}) {
  const [toggled, setToggled] = useState<Readonly<Record<string, boolean>>>({});
  const params = parameters(entry.schema);
  if (!entry.paramGroups) return <>{params.map(field)}</>;
  const byKey = new Map(params);
  const grouped = new Set(entry.paramGroups.flatMap((g) => g.params));
  const hasProblem = (key: string) => [...problems.keys()].some((p) => p === `${which}.${key}` || p.startsWith(`${which}.${key}.`) || p.startsWith(`${which}.${key}[`));
  return (
    <>
      {params.filter(([key]) => !grouped.has(key)).map(field)}
      {entry.paramGroups.map((group) => {
        const members = group.params.filter((key) => byKey.has(key)).map((key) => [key, byKey.get(key)!] as const);
        const wrong = members.filter(([key]) => hasProblem(key)).length;
        const changed = members.filter(([key, schema]) => !hasProblem(key) && changedFromDefault(current[key], schema)).length;
        const open = toggled[group.title] ?? (wrong > 0 || changed > 0);
        return (
          <details
            key={`${entry.id}.${group.title}`}
            className="param-group"
            open={open}
            data-testid={`group-${which}.${group.title}`}
            onToggle={(e) => {
              const now = (e.currentTarget as HTMLDetailsElement).open;
              if (now !== open) setToggled((t) => ({ ...t, [group.title]: now }));
            }}
          >
            <summary>
              {group.title} <span className="muted small">{changed > 0 ? `${changed} of ${members.length} changed` : wrong > 0 ? `${members.length} settings` : `${members.length} settings, defaults`}</span>
              {wrong > 0 && (
                <span className="group-problems small" data-testid="group-problems">
                  {' '}
                  {plural(wrong, 'problem')}
                </span>
              )}
            </summary>
            {members.map(field)}
          </details>
        );
      })}
    </>
  );
}
