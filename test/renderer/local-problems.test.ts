// New experiment's own problems (text a field cannot read) count only while their field is there,
// holding that text: a problem left by a field that went away held Launch back with none shown.
import { describe, expect, it } from 'vitest';
import { initialDraft, switchTo, type Draft } from '../../src/renderer/src/form/draft';
import { liveLocalProblems } from '../../src/renderer/src/form/problems';
import { catalog } from '../helpers/catalog';

const NOT_A_NUMBER = 'is not a number: type digits, e.g. 0.5';
const agent = (id: string) => catalog.agents.find((a) => a.id === id)!;
const withAgent = (draft: Draft, fields: Record<string, unknown>): Draft => ({ ...draft, agent: { ...(draft.agent as Record<string, unknown>), ...fields } });

describe('the form’s own problems that still describe the draft', () => {
  it('drops alpha’s when another agent, without alpha, takes its field away', () => {
    const typed = switchTo(catalog, withAgent(initialDraft(catalog), { id: 'q-learning' }), 'agent', agent('q-learning'));
    const bad = withAgent(typed, { alpha: 'abc' }); // the field puts the text it cannot read in the draft
    const local = { 'agent.alpha': NOT_A_NUMBER };
    expect(liveLocalProblems(local, bad)).toEqual(local);
    const dqn = switchTo(catalog, bad, 'agent', agent('dqn'));
    expect((dqn.agent as Record<string, unknown>).alpha).toBeUndefined();
    expect(liveLocalProblems(local, dqn)).toEqual({});
    // Back on Q-learning its alpha is a number again (the default): nothing to say of it.
    const back = switchTo(catalog, dqn, 'agent', agent('q-learning'));
    expect(typeof (back.agent as Record<string, unknown>).alpha).not.toBe('string');
    expect(liveLocalProblems(local, back)).toEqual({});
  });

  it('keeps those of fields still holding their text, nested ones included, and drops one set from elsewhere', () => {
    const draft = withAgent({ ...initialDraft(catalog), episodes: '1e3x' }, { epsilon: { start: 1, end: 'x', decayEpisodes: 10 } });
    const local = { episodes: 'is not a number: type digits, e.g. 500', 'agent.epsilon.end': NOT_A_NUMBER, 'env.items': 'is not a number: type digits, e.g. 20' };
    expect(liveLocalProblems(local, draft)).toEqual({ episodes: local.episodes, 'agent.epsilon.end': NOT_A_NUMBER });
    // ε's constant typed "abc", then its schedule chosen: the constant's field is gone.
    expect(liveLocalProblems({ 'agent.epsilon': NOT_A_NUMBER }, draft)).toEqual({});
  });
});
