/*
 * seed-toy x Q-learning in C, for `npm run bench tabular-native`: how fast native code runs the
 * tabular goal's workload on this machine, next to Aisle's WebAssembly kernel
 * (src/engine/wasm/assembly/seed-toy-q.ts). The same algorithm and the same shortcuts the kernel
 * takes, not the same draws (its seeding is its own):
 *   seed-toy 10 states x 5 actions, 100-step episodes, alpha 0.1, gamma 0.99, epsilon 0.1;
 *   xoshiro128** generators for the environment and the agent; an episode's environment draws made
 *   first; S' = int(|S|), R = 1 when next() < 0.5; the epsilon test as an integer comparison; the
 *   greedy action the first maximal one, or a reservoir draw among ties; S <- S' (the numpy
 *   reference never assigns it, which changes nothing of its speed); a row scanned once for both
 *   the target and the next action, again only when S' = S.
 * Usage: seed-toy-q [episodes=50000] [rounds=9] -> one line per round, millions of steps/s.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define STATES 10
#define ACTIONS 5
#define STEPS 100

typedef struct { uint32_t s[4]; } generator;

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next_u32(generator *g) {
  uint32_t *s = g->s;
  const uint32_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return out;
}

static inline int below_n(generator *g, uint32_t n) { return (int)(((uint64_t)next_u32(g) * n) >> 32); }

static double q[STATES * ACTIONS];

/* The first maximal action, or a uniform draw among the maximal ones (reservoir sampling). */
static int greedy_among_ties(generator *agent, const double *row) {
  double best = row[0];
  int choice = 0, ties = 1;
  for (int a = 1; a < ACTIONS; a++) {
    if (row[a] > best) { best = row[a]; choice = a; ties = 1; }
    else if (row[a] == best && below_n(agent, (uint32_t)++ties) == 0) choice = a;
  }
  return choice;
}

static inline double row_max(const double *row) {
  double m = row[0];
  for (int a = 1; a < ACTIONS; a++) m = row[a] > m ? row[a] : m;
  return m;
}

/* The greedy action given the row's maximum: branch-free unless two values equal it. */
static inline int greedy(generator *agent, const double *row, double m) {
  int equal = 0, first = 0;
  for (int a = ACTIONS - 1; a >= 0; a--) { const int e = row[a] == m; equal += e; first = e ? a : first; }
  return equal > 1 ? greedy_among_ties(agent, row) : first;
}

static inline int epsilon_greedy(generator *agent, const double *row, uint32_t below) {
  if (next_u32(agent) < below) return below_n(agent, ACTIONS);
  return greedy(agent, row, row_max(row));
}

int main(int argc, char **argv) {
  const int episodes = argc > 1 ? atoi(argv[1]) : 50000, rounds = argc > 2 ? atoi(argv[2]) : 9;
  generator env = {{0x9e3779b9u, 0x243f6a88u, 0xb7e15162u, 0x3c6ef372u}};
  generator agent = {{0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u}};
  const uint32_t below = (uint32_t)ceil(0.1 * 4294967296.0);
  uint32_t block[STEPS];
  double total = 0;
  for (int round = 0; round < rounds; round++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int e = 0; e < episodes; e++) {
      int s = below_n(&env, STATES);
      for (int i = 0; i < STEPS; i++) {
        const uint32_t next = (uint32_t)below_n(&env, STATES);
        block[i] = (next << 1) | (next_u32(&env) < 0x80000000u);
      }
      int a = epsilon_greedy(&agent, q + s * ACTIONS, below);
      double ret = 0;
      for (int i = 0; i < STEPS; i++) {
        const int next = (int)(block[i] >> 1);
        const double reward = (double)(block[i] & 1);
        ret += reward;
        const double *row = q + next * ACTIONS;
        double m = row_max(row); /* the target's maximum, and the greedy choice's unless S' = S */
        double *sa = q + s * ACTIONS + a;
        *sa += 0.1 * (reward + 0.99 * m - *sa);
        if (i < STEPS - 1) {
          if (next == s) m = row_max(row); /* the update changed this row */
          a = next_u32(&agent) < below ? below_n(&agent, ACTIONS) : greedy(&agent, row, m);
        }
        s = next;
      }
      total += ret;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.2f\n", (double)episodes * STEPS / seconds / 1e6);
  }
  /* The returns' sum, so that the compiler cannot drop the work. */
  fprintf(stderr, "returns %.0f\n", total);
  return 0;
}
