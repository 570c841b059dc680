/* rl_noise.c: the seeded choices of the stress gate's schedule noise (see rl_noise.h). */
#include <stdlib.h>

#include "rl_noise.h"

/* splitmix64: a full-period 64-bit generator whose outputs are well mixed even for seeds 1, 2, 3. */
static uint64_t noise_mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rl_noise_start(struct rl_noise *n, uint64_t seed, unsigned thread)
{
	/* Each thread's stream from (seed, thread), mixed so that neighbouring threads do not run in step. */
	*n = (struct rl_noise){ .state = seed };
	n->state = noise_mix(&n->state) ^ ((uint64_t)thread * 0xd1342543de82ef95ULL);
}

int rl_noise_next(struct rl_noise *n)
{
	uint64_t r = noise_mix(&n->state);
	if ((r & 127) == 0 && n->slept_us < RL_NOISE_SLEEP_BUDGET_US) {
		int us = 1 + (int)((r >> 8) % RL_NOISE_MAX_US);
		n->slept_us += us;
		return us;
	}
	if ((r & 7) == 1 && n->yields < RL_NOISE_YIELD_BUDGET) {
		n->yields++;
		return RL_NOISE_YIELD;
	}
	return 0;
}

uint64_t rl_noise_env_seed(void)
{
	const char *s = getenv("RACELAB_NOISE_SEED");
	char *end = NULL;
	if (!s || !*s)
		return 0;
	unsigned long long v = strtoull(s, &end, 10);
	return *end ? 0 : (uint64_t)v;
}
