/* rl_noise.h: the stress gate's schedule noise, its choices made by a seeded PRNG (rl_noise.c). */
#ifndef RL_NOISE_H
#define RL_NOISE_H

#include <stdint.h>

/* One thread's stream of choices. */
struct rl_noise {
	uint64_t state;
};

/* Start thread number `thread`'s stream for seed: the same seed and number give the same stream. */
void rl_noise_start(struct rl_noise *n, uint64_t seed, unsigned thread);

/*
 * The next choice at a sync call: 0 to go straight on, RL_NOISE_YIELD to yield the
 * CPU, or a sleep of 1 to RL_NOISE_MAX_US microseconds. Most calls go straight on:
 * sync calls come by the hundred thousand, and a fixed kata must stay within its
 * timeout (about 1 call in 8 yields, 1 in 128 sleeps).
 */
enum { RL_NOISE_YIELD = -1, RL_NOISE_MAX_US = 200 };
int rl_noise_next(struct rl_noise *n);

/* RACELAB_NOISE_SEED from the environment as a number: 0 (no noise) when unset, empty or not a number. */
uint64_t rl_noise_env_seed(void);

/* The noise before one sync call of the calling thread (shim_noise.c; the stress build only). */
void rl_noise_point(void);

#endif
