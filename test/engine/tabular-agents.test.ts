/**
 * The four tabular TD agents against a hand-solved MDP: convergence to q*, one hand-computed update
 * at termination vs truncation, determinism per seed, the ε schedule, ε-greedy probabilities and
 * the parameter schemas.
 */
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/engine/agent';
import type { AgentDefinition } from '../../src/engine/definitions';
import type { Env, StepResult } from '../../src/engine/env';
import { doubleQLearning } from '../../src/engine/agents/double-q-learning';
import { expectedSarsa } from '../../src/engine/agents/expected-sarsa';
import { qLearning } from '../../src/engine/agents/q-learning';
import { sarsa } from '../../src/engine/agents/sarsa';
import { epsilonGreedyAction, epsilonGreedyProbabilities, type TabularParams } from '../../src/engine/agents/tabular';
import { formatIssues, parseOrThrow, ValidationError } from '../../src/engine/params';
import { Rng, Stream } from '../../src/engine/rng';
import { scheduleValue } from '../../src/engine/schedule';
import { box, discrete } from '../../src/engine/spaces';
import { agents as allAgents } from '../../src/engine/registry';
import { jsonSchemaOf } from '../../src/engine/json-schema';

const EXIT = 0;
const CONTINUE = 1;

/**
 * A session of three pages (states 0, 1, 2; 3 is the terminal "session over"). On each page the
 * recommender either shows clickbait that ends the session (EXIT, reward [0.5, 0.6, 0.2] by page)
 * or a lead to the next page (CONTINUE, reward 0; from page 2 a purchase worth 1 that ends it).
 * Deterministic. Every non-optimal action terminates, so SARSA's last updates of those pairs have
 * exact targets even though they stop being tried once ε reaches 0.
 */
class SessionChain implements Env<number> {
  readonly id = 'session-chain';
  readonly observationSpace = discrete(4);
  readonly actionSpace = discrete(2);
  readonly episodeMetricNames: readonly string[] = [];
  private state = 0;
  private readonly result: StepResult<number> = { observation: 0, reward: 0, terminated: false, truncated: false };

  reset(): number {
    this.state = 0;
    return 0;
  }

  step(action: number): StepResult<number> {
    const r = this.result;
    const exitReward = [0.5, 0.6, 0.2][this.state]!;
    if (action === EXIT) Object.assign(r, { observation: 3, reward: exitReward, terminated: true });
    else if (this.state === 2) Object.assign(r, { observation: 3, reward: 1, terminated: true });
    else Object.assign(r, { observation: ++this.state, reward: 0, terminated: false });
    return r;
  }

  episodeMetrics(): void {}
}

/**
 * q* of SessionChain with γ = 0.9, by backward induction (Q(s,a) = r + γ max_a' Q(s',a')):
 *   page 2: Q(2,EXIT) = 0.2            Q(2,CONTINUE) = 1                  → v*(2) = 1
 *   page 1: Q(1,EXIT) = 0.6            Q(1,CONTINUE) = 0 + 0.9·1 = 0.9    → v*(1) = 0.9
 *   page 0: Q(0,EXIT) = 0.5            Q(0,CONTINUE) = 0 + 0.9·0.9 = 0.81 → v*(0) = 0.81
 * A myopic recommender takes the clickbait on pages 0 and 1; the optimal one always continues.
 */
const GAMMA = 0.9;
const Q_STAR = [
  [0.5, 0.81],
  [0.6, 0.9],
  [0.2, 1],
];

const agents: readonly AgentDefinition[] = [qLearning, sarsa, expectedSarsa, doubleQLearning];

function makeAgent(def: AgentDefinition, params: Partial<TabularParams>, seed: number, states = 4, actions = 2): Agent {
  return def.create(parseOrThrow(def.params, params), {
    observationSpace: discrete(states),
    actionSpace: discrete(actions),
    rng: new Rng(seed, Stream.agent),
    episodes: 1000,
  });
}

/** reset → start → step … → end, `episodes` times; calls onAction(s, a) for every decision. */
function train(agent: Agent, env: Env<number>, episodes: number, onAction?: (s: number, a: number) => void): void {
  for (let e = 0; e < episodes; e++) {
    let s = env.reset();
    let a = agent.start(s);
    for (;;) {
      onAction?.(s, a);
      const { observation, reward, terminated, truncated } = env.step(a);
      if (terminated || truncated) {
        agent.end(reward, observation, terminated);
        break;
      }
      s = observation;
      a = agent.step(reward, s);
    }
  }
}

function expectQStar(agent: Agent): void {
  const { q, actions } = agent.values!();
  for (let s = 0; s < 3; s++) {
    for (let a = 0; a < 2; a++) expect(q[s * actions + a], `Q(${s},${a})`).toBeCloseTo(Q_STAR[s]![a]!, 2);
    expect(agent.greedyAction(s), `greedy action on page ${s}`).toBe(CONTINUE);
  }
}

describe('convergence to the hand-computed q*', () => {
  it('Q-learning converges with constant ε (off-policy)', () => {
    const agent = makeAgent(qLearning, { gamma: GAMMA, epsilon: 0.2 }, 1);
    train(agent, new SessionChain(), 3000);
    expectQStar(agent);
  });

  it.each([sarsa, expectedSarsa])('$id converges as ε decays to 0 (on-policy)', (def) => {
    const agent = makeAgent(def, { gamma: GAMMA, epsilon: { start: 1, end: 0, decayEpisodes: 1500 } }, 2);
    train(agent, new SessionChain(), 3000);
    expectQStar(agent);
  });

  it('Double Q-learning converges', () => {
    const agent = makeAgent(doubleQLearning, { gamma: GAMMA, epsilon: 0.2 }, 3);
    train(agent, new SessionChain(), 5000);
    expectQStar(agent);
  });
});

describe('what each agent learns', () => {
  /**
   * With ε held at 0.2 and greedy = CONTINUE, the exploring policy π continues with probability
   * 0.9 and exits with 0.1. Its values q_π (Q(s,a) = r + γ Σ_a' π(a'|s') Q(s',a')), by hand:
   *   page 2: Q(2,EXIT) = 0.2    Q(2,CONTINUE) = 1                     v_π(2) = 0.1·0.2 + 0.9·1 = 0.92
   *   page 1: Q(1,EXIT) = 0.6    Q(1,CONTINUE) = 0.9·0.92 = 0.828      v_π(1) = 0.06 + 0.9·0.828 = 0.8052
   *   page 0: Q(0,EXIT) = 0.5    Q(0,CONTINUE) = 0.9·0.8052 = 0.72468
   * On-policy SARSA and Expected SARSA learn q_π; off-policy Q-learning learns q* (0.9, 0.81).
   */
  const Q_PI = [
    [0.5, 0.72468],
    [0.6, 0.828],
    [0.2, 1],
  ];

  it.each([
    { def: sarsa, target: Q_PI, learns: 'q_π' },
    { def: expectedSarsa, target: Q_PI, learns: 'q_π' },
    { def: qLearning, target: Q_STAR, learns: 'q*' },
  ])('$def.id learns $learns under constant ε', ({ def, target }) => {
    const agent = makeAgent(def, { gamma: GAMMA, epsilon: 0.2, alpha: 0.01 }, 4);
    train(agent, new SessionChain(), 20_000);
    const { q, actions } = agent.values!();
    for (let s = 0; s < 3; s++) for (let a = 0; a < 2; a++) expect(Math.abs(q[s * actions + a]! - target[s]![a]!)).toBeLessThan(0.02);
  });

  /**
   * Maximization bias (Sutton & Barto 2018, Example 6.7). From A (state 0), action 1 leads to B with
   * reward 0 and every other action ends the session with 0; in B (state 1) each of the 10 actions
   * ends it with reward N(−0.1, 1). So q*(A,1) = −0.1 < 0, but Q-learning's max over ten noisy
   * estimates in B makes A→B look profitable early on. Double Q-learning values the action one
   * table picks in B with the other table, an unbiased estimate, and soon stops going to B.
   */
  class MaximizationBias implements Env<number> {
    readonly id = 'maximization-bias';
    readonly observationSpace = discrete(3);
    readonly actionSpace = discrete(10);
    readonly episodeMetricNames: readonly string[] = [];
    private inB = false;
    private readonly result: StepResult<number> = { observation: 0, reward: 0, terminated: false, truncated: false };
    constructor(private readonly rng: Rng) {}
    reset(): number {
      this.inB = false;
      return 0;
    }
    step(action: number): StepResult<number> {
      const r = this.result;
      if (this.inB) Object.assign(r, { observation: 2, reward: -0.1 + this.rng.normal(), terminated: true });
      else if (action === 1) Object.assign(r, { observation: 1, reward: 0, terminated: false });
      else Object.assign(r, { observation: 2, reward: 0, terminated: true });
      this.inB = !r.terminated;
      return r;
    }
    episodeMetrics(): void {}
  }

  it('Double Q-learning removes the maximization bias that Q-learning shows', () => {
    // Share of episodes that go A→B over the first 300, across 20 seeds (Sutton & Barto's Figure 6.5:
    // Q-learning goes to B far more often than exploration alone would, Double Q-learning rarely).
    const shareAToB = (def: AgentDefinition) => {
      let toB = 0;
      for (let seed = 0; seed < 20; seed++) {
        const agent = makeAgent(def, { gamma: 1, epsilon: 0.1, alpha: 0.1 }, seed, 3, 10);
        train(agent, new MaximizationBias(new Rng(seed, Stream.env)), 300, (s, a) => {
          if (s === 0 && a === 1) toB++;
        });
      }
      return toB / (20 * 300);
    };
    expect(shareAToB(qLearning)).toBeGreaterThan(0.2); // measured 0.32
    expect(shareAToB(doubleQLearning)).toBeLessThan(0.1); // measured 0.06
  });
});

describe.each(agents)('$id', (def) => {
  it('runs on a tiny budget with default parameters and acts within the action space', () => {
    const agent = makeAgent(def, {}, 7);
    const seen: number[] = [];
    train(agent, new SessionChain(), 20, (_s, a) => seen.push(a));
    expect(seen.length).toBeGreaterThanOrEqual(20);
    for (const a of seen) expect([EXIT, CONTINUE]).toContain(a);
    expect(agent.episodeMetricNames).toEqual(['train/epsilon']);
    const { states, actions, q } = agent.values!();
    expect([states, actions, q.length]).toEqual([4, 2, 8]);
    for (const v of q) expect(Number.isFinite(v)).toBe(true);
  });

  it('bootstraps from S′ at a truncation but not at a termination', () => {
    // initialQ 1, α 0.5, γ 0.9, reward 2, one transition from state 0 to state 1:
    //   truncated:  Q(0,A) = 1 + 0.5·(2 + 0.9·1 − 1) = 1.95
    //   terminated: Q(0,A) = 1 + 0.5·(2 − 1)         = 1.5
    // (every Q(1,·) is 1, so max, the sampled A′ and the expectation all give 1). Double
    // Q-learning updates one of its two tables and reports the average: (1.95 + 1) / 2 = 1.475,
    // (1.5 + 1) / 2 = 1.25.
    const double = def === doubleQLearning;
    for (const [terminated, expected] of [
      [false, double ? 1.475 : 1.95],
      [true, double ? 1.25 : 1.5],
    ] as const) {
      const agent = makeAgent(def, { initialQ: 1, alpha: 0.5, gamma: 0.9, epsilon: 0 }, 11, 2, 2);
      const a = agent.start(0);
      agent.end(2, 1, terminated);
      const { q } = agent.values!();
      expect(q[a]).toBeCloseTo(expected, 12);
      expect(Array.from(q).filter((v) => v !== 1)).toHaveLength(1); // nothing else moved
    }
  });

  it('same seed gives identical Q-tables, different seeds different trajectories', () => {
    const run = (seed: number) => {
      const agent = makeAgent(def, { gamma: GAMMA, epsilon: 0.5 }, seed);
      const actions: number[] = [];
      train(agent, new SessionChain(), 200, (_s, a) => actions.push(a));
      return { q: Float64Array.from(agent.values!().q), actions };
    };
    const a = run(42);
    const b = run(42);
    const c = run(43);
    expect(b.q).toEqual(a.q);
    expect(b.actions).toEqual(a.actions);
    expect(c.actions).not.toEqual(a.actions);
  });

  it('reports the ε of each episode, following the linear schedule', () => {
    const schedule = { start: 1, end: 0.2, decayEpisodes: 4 };
    const agent = makeAgent(def, { epsilon: schedule }, 5);
    const env = new SessionChain();
    const out = new Float64Array(2);
    [1, 0.8, 0.6, 0.4, 0.2, 0.2].forEach((expected, k) => {
      train(agent, env, 1);
      agent.episodeMetrics(out, 1);
      expect(out[1]).toBeCloseTo(expected, 12);
      expect(out[1]).toBe(scheduleValue(schedule, k));
    });
  });

  it('with ε = 0 explores by optimism alone when initialQ is above every return', () => {
    const agent = makeAgent(def, { gamma: GAMMA, epsilon: 0, initialQ: 5, alpha: 0.5 }, 9);
    const tried = new Set<string>();
    train(agent, new SessionChain(), 300, (s, a) => tried.add(`${s},${a}`));
    expect(tried.size).toBe(6); // every (page, action) pair
    for (let s = 0; s < 3; s++) expect(agent.greedyAction(s)).toBe(CONTINUE);
  });

  it('greedyAction breaks ties to the lowest index; compatible() needs discrete observations', () => {
    const agent = makeAgent(def, {}, 1, 3, 4);
    expect(agent.greedyAction(2)).toBe(0);
    expect(def.compatible(discrete(3), discrete(4))).toBeNull();
    expect(def.compatible(box(5, 0, 1), discrete(4))).toMatch(new RegExp(`^${def.id} needs a discrete observation space`));
  });
});

describe('ε-greedy', () => {
  it('with ε = 0 and realistic initial values, greedy play can lock onto the clickbait', () => {
    // The first EXIT on page 0 lifts Q(0,EXIT) above Q(0,CONTINUE) = 0 and CONTINUE is never tried.
    let stuck = 0;
    for (let seed = 0; seed < 10; seed++) {
      const agent = makeAgent(qLearning, { gamma: GAMMA, epsilon: 0 }, seed);
      train(agent, new SessionChain(), 100);
      if (agent.greedyAction(0) === EXIT) stuck++;
    }
    expect(stuck).toBeGreaterThan(0);
  });

  it('probabilities sum to 1 and match the sampling rule, ties included', () => {
    // Row [1, 3, 3, 2] with ε = 0.2: ε/|A| = 0.05 each, plus (1 − 0.2)/2 = 0.4 for each of the two maxima.
    const row = Float64Array.of(1, 3, 3, 2);
    const pi = new Float64Array(4);
    epsilonGreedyProbabilities(pi, row, 0, 4, 0.2);
    Array.from(pi).forEach((p, a) => expect(p).toBeCloseTo([0.05, 0.45, 0.45, 0.05][a]!, 12));
    expect(pi.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);

    // Sampled from the same row at an offset inside a table (as the agents call it).
    const table = Float64Array.of(9, 9, 1, 3, 3, 2);
    const rng = new Rng(123);
    const counts = new Float64Array(4);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[epsilonGreedyAction(table, 2, 4, 0.2, rng)]!++;
    counts.forEach((c, a) => expect(Math.abs(c / n - pi[a]!)).toBeLessThan(0.005));

    // All tied: uniform whatever ε; ε = 1: uniform; ε = 0: the maxima share everything.
    for (const [values, eps, expected] of [
      [[0, 0, 0, 0], 0.3, [0.25, 0.25, 0.25, 0.25]],
      [[1, 3, 3, 2], 1, [0.25, 0.25, 0.25, 0.25]],
      [[1, 3, 3, 2], 0, [0, 0.5, 0.5, 0]],
    ] as const) {
      epsilonGreedyProbabilities(pi, Float64Array.from(values), 0, 4, eps);
      Array.from(pi).forEach((p, a) => expect(p).toBeCloseTo(expected[a]!, 12));
    }
  });
});

describe('parameters', () => {
  it.each(agents)('$id fills in the defaults', (def) => {
    expect(parseOrThrow(def.params, {})).toEqual({ alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
    const schedule = { start: 1, end: 0.05, decayEpisodes: 500 };
    expect(parseOrThrow(def.params, { epsilon: schedule }).epsilon).toEqual(schedule);
  });

  it('rejects out-of-range values with messages naming the range', () => {
    expect(() => parseOrThrow(qLearning.params, { alpha: -0.5 }, 'agent')).toThrow(ValidationError);
    expect(() => parseOrThrow(qLearning.params, { alpha: -0.5 }, 'agent')).toThrow('agent.alpha: must be a number in (0, 1], got -0.5');
    const result = qLearning.params.safeParse({ epsilon: 1.5, gamma: 2 });
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!.issues, 'agent').sort()).toEqual([
      'agent.epsilon: must be a number in [0, 1], got 1.5',
      'agent.gamma: must be a number in [0, 1], got 2',
    ]);
    expect(() => parseOrThrow(sarsa.params, { alpah: 0.1 })).toThrow('unknown field "alpah"');
  });

  // The form shows an agent's help on every environment it runs on: γ's help in the shop's words
  // ("the immediate click", "the whole session") misled on a tabular MDP or the bandit testbed.
  // (Other fields may name clicks as an example of a reward, as Thompson's model does.)
  it('words the γ help of agents that run beyond the shop in steps and episodes, not clicks and sessions', () => {
    const beyondShop = allAgents.filter((def) => def.compatible(discrete(1), discrete(10), { id: 'bandit-testbed' }) === null || def.compatible(discrete(12), discrete(4), { id: 'tabular-mdp' }) === null);
    const gammaHelp = beyondShop.flatMap((def) => {
      const properties = (jsonSchemaOf(def.params) as { properties?: Record<string, { description?: string }> }).properties ?? {};
      return properties.gamma ? [`${def.id}: ${properties.gamma.description}`] : [];
    });
    expect(gammaHelp.map((line) => line.split(':')[0])).toEqual(expect.arrayContaining(['q-learning', 'sarsa', 'dqn', 'ppo']));
    expect(gammaHelp.filter((line) => /click|session/i.test(line))).toEqual([]);
  });
});
