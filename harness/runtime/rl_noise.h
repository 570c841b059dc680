/* rl_noise.h: the stress gate's schedule noise, its choices made by a seeded PRNG (rl_noise.c). */
#ifndef RL_NOISE_H
#define RL_NOISE_H

#include <stdint.h>

/* One thread's stream of choices, and the noise it has made so far. */
struct rl_noise {
	uint64_t state;
	long slept_us, yields;
};

/* Start thread number `thread`'s stream for seed: the same seed and number give the same stream. */
void rl_noise_start(struct rl_noise *n, uint64_t seed, unsigned thread);

/*
 * The next choice at a sync call: 0 to go straight on, RL_NOISE_YIELD to yield the
 * CPU, or a sleep of 1 to RL_NOISE_MAX_US microseconds: about 1 call in 8 yields,
 * 1 in 128 sleeps. Each thread has a budget, RL_NOISE_SLEEP_BUDGET_US of sleep and
 * RL_NOISE_YIELD_BUDGET yields, after which its calls go straight on: a loop that
 * locks a million times must still end within the kata's timeout (without the
 * budget, kata 11's fix took 4 s a run instead of 0.07 s). The noise lands on a
 * thread's first ten thousand or so sync calls, where a test's threads meet.
 */
enum { RL_NOISE_YIELD = -1, RL_NOISE_MAX_US = 200, RL_NOISE_SLEEP_BUDGET_US = 20000, RL_NOISE_YIELD_BUDGET = 2000 };
int rl_noise_next(struct rl_noise *n);

/* RACELAB_NOISE_SEED from the environment as a number: 0 (no noise) when unset, empty or not a number. */
uint64_t rl_noise_env_seed(void);

/* The noise before one sync call of the calling thread (shim_noise.c; the stress build only). */
void rl_noise_point(void);

#endif
