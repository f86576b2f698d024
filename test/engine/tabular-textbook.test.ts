/**
 * The four tabular TD agents held to numbers worked out independently of their code: the target of
 * a time-limit truncation when Q(S′,·) is not flat (where max, a sampled A′, the ε-greedy
 * expectation and Double Q-learning's pick-with-one-value-with-the-other all differ), and Sutton &
 * Barto's Figure 6.4 on the cliff-walking preset, which the quickstart and cliff-sarsa presets cite.
 * (tabular-agents.test.ts checks truncation against termination on a flat Q(S′,·), where all four
 * targets coincide.)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/engine/agent';
import type { AgentDefinition } from '../../src/engine/definitions';
import { doubleQLearning } from '../../src/engine/agents/double-q-learning';
import { expectedSarsa } from '../../src/engine/agents/expected-sarsa';
import { qLearning } from '../../src/engine/agents/q-learning';
import { sarsa } from '../../src/engine/agents/sarsa';
import type { TabularAgent } from '../../src/engine/agents/tabular';
import { createTabularMdpEnv } from '../../src/engine/envs/tabular-mdp';
import { parseMdp } from '../../src/engine/mdp/format';
import { parseOrThrow } from '../../src/engine/params';
import { Rng, Stream } from '../../src/engine/rng';
import { discrete } from '../../src/engine/spaces';

/** A generator that plays back given uniforms: next() is the next one, int(n) = ⌊next()·n⌋ (as Rng.int maps its draw). */
function scripted(draws: number[]): Rng {
  let i = 0;
  const next = () => {
    if (i >= draws.length) throw new Error(`the script has ${draws.length} draws: the agent asked for more`);
    return draws[i++]!;
  };
  return { next, int: (n: number) => Math.floor(next() * n), get used() { return i; } } as unknown as Rng;
}

function makeAgent(def: AgentDefinition, rng: Rng): Agent<number> {
  const params = parseOrThrow(def.params, { alpha: 0.5, gamma: 0.9, epsilon: 0.3, initialQ: 0 });
  return def.create(params, { observationSpace: discrete(2), actionSpace: discrete(3), rng, episodes: 1 }) as Agent<number>;
}

describe('the target of a time-limit truncation when Q(S′,·) is not flat', () => {
  // S = 0, S′ = 1, three actions, α 0.5, γ 0.9, ε 0.3, R = 2. Q(S,·) = [0.5, 0, 0], so start takes
  // action 0 after one draw of 0.5 ≥ ε. The episode is then truncated in S′ (terminated = false).
  const R = 2;

  /** Q(S,·) = [0.5, 0, 0] and Q(S′,·) = [1, 4, 4]; start, then truncate in S′: Q(S,0) after, and the draws taken. */
  function truncated(def: AgentDefinition, draws: number[]): { q: number; draws: number } {
    const rng = scripted(draws);
    const agent = makeAgent(def, rng);
    agent.values!().q.set([0.5, 0, 0, 1, 4, 4]);
    expect(agent.start(0)).toBe(0);
    agent.end(R, 1, false);
    return { q: agent.values!().q[0]!, draws: (rng as unknown as { used: number }).used };
  }

  it('Q-learning bootstraps from max_a Q(S′,a)', () => {
    // Target 2 + 0.9·4 = 5.6; Q(S,0) = 0.5 + 0.5·(5.6 − 0.5) = 3.05.
    const { q, draws } = truncated(qLearning, [0.5]);
    expect(q).toBeCloseTo(3.05, 12);
    expect(draws).toBe(1);
  });

  it('SARSA bootstraps from Q(S′,A′) of an A′ drawn from its ε-greedy policy, exploration included', () => {
    // Draws after start's: 0.1 < ε explores, ⌊0.1·3⌋ = action 0. Target 2 + 0.9·Q(S′,0) = 2.9 (the
    // greedy A′ would give 5.6); Q(S,0) = 0.5 + 0.5·(2.9 − 0.5) = 1.7.
    const { q, draws } = truncated(sarsa, [0.5, 0.1, 0.1]);
    expect(q).toBeCloseTo(1.7, 12);
    expect(draws).toBe(3);
  });

  it('Expected SARSA bootstraps from Σ_a π(a|S′) Q(S′,a), the two tied maxima sharing 1 − ε', () => {
    // π(·|S′) = [0.1, 0.1 + 0.35, 0.1 + 0.35]; Σ π Q = 0.1 + 0.45·4 + 0.45·4 = 3.7 (with each tie
    // given the whole 1 − ε, π would sum to 1.7 and the sum be 6.5). Target 2 + 0.9·3.7 = 5.33;
    // Q(S,0) = 0.5 + 0.5·(5.33 − 0.5) = 2.915. No draw: the expectation replaces A′.
    const { q, draws } = truncated(expectedSarsa, [0.5]);
    expect(q).toBeCloseTo(2.915, 12);
    expect(draws).toBe(1);
  });

  it('Double Q-learning picks A′ with the table it updates and values it with the other', () => {
    // Q1(S′,·) = [5, 1, 0], Q2(S′,·) = [2, 3, 6]; Q1(S,0) = 0.5 (so Q1 + Q2 picks action 0 at S).
    //   coin 0.2 < ½, update Q1: A′ = argmax Q1(S′) = 0, target 2 + 0.9·Q2(S′,0) = 3.8,
    //     Q1(S,0) = 0.5 + 0.5·(3.8 − 0.5) = 2.15 (roles swapped: 2 + 0.9·Q1(S′,2) = 2 → 1.25;
    //     Q-learning on Q1: 6.5 → 3.5);
    //   coin 0.7 ≥ ½, update Q2: A′ = argmax Q2(S′) = 2, target 2 + 0.9·Q1(S′,2) = 2,
    //     Q2(S,0) = 0 + 0.5·2 = 1 (Q-learning on Q2: 2 + 0.9·6 = 7.4 → 3.7).
    for (const [coin, updated, expected] of [
      [0.2, 0, 2.15],
      [0.7, 1, 1],
    ] as const) {
      const agent = makeAgent(doubleQLearning, scripted([0.5, coin]));
      const [q1, q2] = (agent as unknown as TabularAgent).learningState().tables;
      q1!.set([0.5, 0, 0, 5, 1, 0]);
      q2!.set([0, 0, 0, 2, 3, 6]);
      const before = [Float64Array.from(q1!), Float64Array.from(q2!)];
      expect(agent.start(0)).toBe(0);
      agent.end(R, 1, false);
      const tables = [q1!, q2!];
      expect(tables[updated]![0]).toBeCloseTo(expected, 12);
      expect(tables[1 - updated]).toEqual(before[1 - updated]); // the other table is left as it was
    }
  });
});

describe("Sutton & Barto's Figure 6.4: cliff walking, α 0.5, ε 0.1, γ 1", () => {
  // Online return per episode over episodes 100–499, mean of 20 seeds. The book's figure: about −25
  // for SARSA (the safe path), about −50 for Q-learning (the optimal path along the cliff, from
  // which ε-greedy steps fall off). Measured here, and by an independent numpy implementation of
  // the book's grid and both rules: SARSA −28, Q-learning −50, Expected SARSA −21 (±0.5 over 100 seeds).
  const mdp = parseMdp(JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8')), 'mdp');

  function onlineReturn(def: AgentDefinition): number {
    let total = 0;
    let count = 0;
    for (let seed = 0; seed < 20; seed++) {
      const env = createTabularMdpEnv(mdp, 1000);
      const params = parseOrThrow(def.params, { alpha: 0.5, gamma: 1, epsilon: 0.1 });
      const agent = def.create(params, { observationSpace: discrete(48), actionSpace: discrete(4), rng: new Rng(seed, Stream.agent), episodes: 500 }) as Agent<number>;
      for (let episode = 0; episode < 500; episode++) {
        let action = agent.start(env.reset(episode === 0 ? seed : undefined));
        let episodeReturn = 0;
        for (;;) {
          const { observation, reward, terminated, truncated } = env.step(action);
          episodeReturn += reward;
          if (terminated || truncated) {
            agent.end(reward, observation, terminated);
            break;
          }
          action = agent.step(reward, observation);
        }
        if (episode >= 100) {
          total += episodeReturn;
          count++;
        }
      }
    }
    return total / count;
  }

  it('SARSA earns about −25 online, Q-learning about −50, Expected SARSA more than either', () => {
    const q = onlineReturn(qLearning);
    const s = onlineReturn(sarsa);
    const e = onlineReturn(expectedSarsa);
    expect(q).toBeGreaterThan(-56);
    expect(q).toBeLessThan(-44);
    expect(s).toBeGreaterThan(-33);
    expect(s).toBeLessThan(-22);
    expect(e).toBeGreaterThan(s);
    expect(s - q).toBeGreaterThan(15);
  });
});
