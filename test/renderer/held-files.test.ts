// New experiment's large inline files held aside: measured once per object, named by digest in the
// check's key and the kept draft (so an edit of the name does not write the MDP out), shown in the
// JSON view as a line or in full, and kept for the tab once per file.
import { describe, expect, it } from 'vitest';
import { catalog } from '../helpers/catalog';
import { initialDraft, setAt, type Draft } from '../../src/renderer/src/form/draft';
import { draftKeyText, fileText, fromJsonText, HELD_CHARS, heldFiles, measureFile, toJsonText } from '../../src/renderer/src/form/held-files';
import { forgetDraft, keepDraft, keepJsonText, savedDraft, savedJsonText } from '../../src/renderer/src/form/kept-draft';
import { checkDraft, checkKeyOf } from '../../src/renderer/src/form/validation';
import type { Client } from '../../src/shared/client';

const PATHS = [['env', 'mdp']];

/** A line of `states` states, 2 actions: ~25 characters of JSON a transition. */
function mdp(states: number, name = 'walk') {
  const transitions = Array.from({ length: 2 * states }, (_, i) => [i >> 1, i & 1, 1, Math.min(states - 1, (i >> 1) + (i & 1)), -1]);
  return { format: 'aisle.mdp/v1', name, states, actions: ['stay', 'go'], start: { '0': 1 }, terminal: [states - 1], transitions };
}

function withMdp(file: unknown): Draft {
  return setAt(initialDraft(catalog), ['env'], { id: 'tabular-mdp', mdp: file, maxSteps: 100 });
}

/** sessionStorage's interface on a Map, with a quota in characters (keys and values, as browsers count them) and a log of what was written. */
function memoryStorage(quota = Infinity): Storage & { writes: string[] } {
  const items = new Map<string, string>();
  const used = () => [...items].reduce((n, [k, v]) => n + k.length + v.length, 0);
  return {
    writes: [],
    get length() {
      return items.size;
    },
    key: (i: number) => [...items.keys()][i] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem(key: string, value: string) {
      if (used() - (items.get(key)?.length ?? -key.length) + value.length > quota) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, value);
      this.writes.push(key);
    },
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
}

describe('a large inline file, held aside', () => {
  it('is measured by its JSON: equal files have one digest, any change gives another', () => {
    const a = mdp(2000);
    expect(measureFile(a)).toEqual({ chars: JSON.stringify(a).length, digest: expect.stringMatching(/^[0-9a-z]+-[0-9a-z]+$/) });
    expect(measureFile(mdp(2000)).digest).toBe(measureFile(a).digest);
    const changed = mdp(2000);
    changed.transitions[1234]![4] = -2;
    expect(measureFile(changed).digest).not.toBe(measureFile(a).digest);
    expect(measureFile(mdp(2000, 'walk2')).digest).not.toBe(measureFile(a).digest);
  });

  it('is held only above HELD_CHARS, and only at the file parameters given', () => {
    expect(JSON.stringify(mdp(2000)).length).toBeGreaterThan(HELD_CHARS);
    expect(heldFiles(withMdp(mdp(2000)), PATHS)).toHaveLength(1);
    expect(heldFiles(withMdp(mdp(2000)), [])).toHaveLength(0);
    expect(heldFiles(withMdp(mdp(3)), PATHS)).toHaveLength(0);
  });

  it('is named by its digest in the draft’s key, which follows every other edit', () => {
    const draft = withMdp(mdp(2000));
    const key = (d: Draft) => draftKeyText(d, heldFiles(d, PATHS));
    expect(key(draft).length).toBeLessThan(1000);
    expect(JSON.parse(key(draft))).toEqual(setAt(draft, ['env', 'mdp'], { $inlineFile: measureFile(mdp(2000)).digest }));
    expect(key(setAt(draft, ['name'], 'renamed'))).not.toBe(key(draft));
    expect(key(setAt(draft, ['env', 'mdp'], mdp(2000)))).toBe(key(draft)); // another object, the same file
    expect(key(setAt(draft, ['env', 'mdp'], mdp(2001)))).not.toBe(key(draft));
    // A small file is part of the key as it is.
    expect(JSON.parse(key(withMdp(mdp(3))))).toEqual(withMdp(mdp(3)));
    expect(JSON.parse(checkKeyOf(key(draft), [{ path: 'agent.alpha', values: [0.1] }]))).toEqual({ draft: JSON.parse(key(draft)), sweep: [{ path: 'agent.alpha', values: [0.1] }] });
  });

  it('shows in the JSON view as a line, or in full, one row a line, and reads back the same either way', () => {
    const draft = withMdp(mdp(2000));
    const brief = toJsonText(draft, PATHS);
    expect(brief.length).toBeLessThan(2000);
    expect(brief).toContain('MDP: walk, 2,000 states × 2 actions: kept as is, too large to show here; “Show files in full” shows it');
    const whole = toJsonText(draft, PATHS, true);
    expect(JSON.parse(whole)).toEqual(draft);
    expect(whole.split('\n').length).toBeLessThan(4000 + 40); // a line per transition, not per number
    expect(whole).toContain('\n      "transitions": [\n        [0,0,1,0,-1],\n        [0,1,1,1,-1],\n');
    expect(fromJsonText(whole, draft, PATHS)).toEqual({ ok: true, draft });
    expect(fromJsonText(whole.replace('"maxSteps": 100', '"maxSteps": 50'), draft, PATHS)).toEqual({ ok: true, draft: setAt(draft, ['env', 'maxSteps'], 50) });
    // Without a held file, the whole text is the brief one.
    expect(toJsonText(withMdp(mdp(3)), PATHS, true)).toBe(toJsonText(withMdp(mdp(3)), PATHS));
    expect(fileText({}, '')).toBe('{}');
  });
});

describe('the kept draft', () => {
  it('keeps a held file once, apart from the draft’s text, and comes back whole after a reload', () => {
    const storage = memoryStorage();
    let draft = withMdp(mdp(2000));
    for (const name of ['a', 'ab', 'abc']) {
      draft = setAt(draft, ['name'], name);
      const held = heldFiles(draft, PATHS);
      keepDraft('aisle.draft.test-once', draftKeyText(draft, held), held, storage);
    }
    const fileKeys = storage.writes.filter((k) => k.startsWith('aisle.inline-file.'));
    expect(fileKeys).toEqual([`aisle.inline-file.${measureFile(mdp(2000)).digest}`]);
    expect(storage.getItem('aisle.draft.test-once')!.length).toBeLessThan(1000);
    expect(savedDraft('aisle.draft.test-once', storage)).toEqual(draft);
  });

  it('drops a replaced file, keeps one two drafts hold until both let it go, and forgets a draft whose file is gone', () => {
    const storage = memoryStorage();
    const keep = (key: string, draft: Draft) => {
      const held = heldFiles(draft, PATHS);
      keepDraft(key, draftKeyText(draft, held), held, storage);
    };
    const files = () => Array.from({ length: storage.length }, (_, i) => storage.key(i)!).filter((k) => k.startsWith('aisle.inline-file.'));
    keep('aisle.draft.test-new', withMdp(mdp(2000)));
    keep('aisle.draft.test-from-1', withMdp(mdp(2000)));
    expect(files()).toHaveLength(1);
    keep('aisle.draft.test-new', withMdp(mdp(2500)));
    expect(files()).toHaveLength(2);
    expect(savedDraft('aisle.draft.test-new', storage)).toEqual(withMdp(mdp(2500)));
    expect(savedDraft('aisle.draft.test-from-1', storage)).toEqual(withMdp(mdp(2000)));
    forgetDraft('aisle.draft.test-from-1', storage);
    expect(files()).toEqual([`aisle.inline-file.${measureFile(mdp(2500)).digest}`]);
    forgetDraft('aisle.draft.test-new', storage);
    expect(files()).toEqual([]);
    // A draft that names a file no longer there (storage cleared in part) is none.
    keep('aisle.draft.test-new', withMdp(mdp(2000)));
    storage.removeItem(files()[0]!);
    expect(savedDraft('aisle.draft.test-new', storage)).toBeUndefined();
  });

  it('with storage full, keeps nothing of the draft rather than its text without its file', () => {
    const draft = withMdp(mdp(2000));
    const storage = memoryStorage(JSON.stringify(mdp(2000)).length); // room for the file or the text, not both
    const held = heldFiles(draft, PATHS);
    keepDraft('aisle.draft.test-full', draftKeyText(draft, held), held, storage);
    expect(storage.length).toBe(0);
    expect(savedDraft('aisle.draft.test-full', storage)).toBeUndefined();
  });

  it('reads a draft kept whole, as the Off-policy screen writes its simulator’s', () => {
    const storage = memoryStorage();
    storage.setItem('aisle.draft.test-whole', JSON.stringify(withMdp(mdp(2000))));
    expect(savedDraft('aisle.draft.test-whole', storage)).toEqual(withMdp(mdp(2000)));
  });
});

describe("the JSON view's text that does not parse, kept for the tab", () => {
  it('comes back as typed after a reload (it fell back to the last draft that parsed, the edit gone), and goes once it parses, at Launch or Start over', () => {
    const storage = memoryStorage();
    const typed = '{ "format": "aisle.experiment/v1", "episodes": 500,, }';
    keepJsonText('aisle.draft.test-json', typed, storage);
    expect(savedJsonText('aisle.draft.test-json', storage)).toBe(typed);
    expect(savedJsonText('aisle.draft.test-other', storage)).toBeNull();
    keepJsonText('aisle.draft.test-json', null, storage);
    expect(savedJsonText('aisle.draft.test-json', storage)).toBeNull();
    keepJsonText('aisle.draft.test-json', typed, storage);
    keepDraft('aisle.draft.test-json', JSON.stringify(initialDraft(catalog)), [], storage);
    forgetDraft('aisle.draft.test-json', storage);
    expect(savedJsonText('aisle.draft.test-json', storage)).toBeNull();
  });
  it('drops an older text when a newer one does not fit, rather than bring the older back', () => {
    const storage = memoryStorage(200);
    keepJsonText('aisle.draft.test-json', '{ "a": 1,, }', storage);
    keepJsonText('aisle.draft.test-json', `{ "a": "${'x'.repeat(500)}",, }`, storage);
    expect(savedJsonText('aisle.draft.test-json', storage)).toBeNull();
  });
});

describe('the check of a draft holding a large file', () => {
  it('sends the file with the first check only, and again when the service says it does not hold it', async () => {
    const sent: Record<string, unknown>[] = [];
    let holds = true;
    const client = {
      call: (_command: string, input: Record<string, unknown>) => {
        sent.push(input);
        return Promise.resolve(holds || input.heldFiles !== undefined ? { ok: true, experiment: {}, warnings: [] } : { ok: false, problems: ['not held'], unheldFiles: ['x'] });
      },
    } as unknown as Client;
    const draft = withMdp(mdp(2000));
    const held = heldFiles(draft, PATHS);
    const digest = held[0]!.measure.digest;
    const reference = setAt(draft, ['env', 'mdp'], { $inlineFile: digest });
    await checkDraft(client, draft, held, []);
    await checkDraft(client, setAt(draft, ['name'], 'renamed'), held, []);
    expect(sent).toEqual([
      { experiment: reference, withoutFiles: true, heldFiles: { [digest]: held[0]!.file } },
      { experiment: setAt(reference, ['name'], 'renamed'), withoutFiles: true },
    ]);
    holds = false; // the service restarted
    sent.length = 0;
    expect(await checkDraft(client, draft, held, [])).toMatchObject({ ok: true });
    expect(sent.map((input) => Object.keys((input.heldFiles as object | undefined) ?? {}))).toEqual([[], [digest]]);
  });
});
