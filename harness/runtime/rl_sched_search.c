/* rl_sched_search.c: which thread runs at each scheduling point: a random walk, or PCT, all drawn from one seed. */
#include <stdint.h>

#include "rl_sched.h"

/*
 * A seed is the whole recipe of a schedule, so that `racelab replay --seed S` runs the very
 * same one, and it is short, so that a learner can type it (8 digits at most): its low 2 bits
 * are the strategy (0 and 1 a random walk, 2 PCT of depth 2, 3 PCT of depth 3), the next 4
 * the length k PCT places its priority changes in, as a power of two (16 << code: the longest
 * schedule seen, rounded up, which costs PCT at most a factor 2 per change point), the next
 * 20 the generator's start (never 0, so no seed is 0, the records' "none"). PCT (Burckhardt
 * et al., ASPLOS 2010): each thread gets a random priority, the highest enabled one runs,
 * and at d-1 random steps of the k the running thread drops below all others; a bug of
 * depth d is found with probability at least 1/(n k^(d-1)). A random walk picks any enabled
 * thread at every point: lost updates, which need one switch at one of many places, fall to
 * it at once.
 */
enum { SEARCH_MODE_BITS = 2, SEARCH_K_BITS = 4, SEARCH_R_BITS = 20 };
enum { SEARCH_MAX_DEPTH = 3 };

static struct {
	uint64_t rng;
	unsigned mode, depth;
	long change[SEARCH_MAX_DEPTH];    /* the steps where PCT lowers the running thread */
} search;

/* splitmix64: small, good enough, and the same on every machine. */
static uint64_t search_next(void)
{
	uint64_t z = (search.rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned search_below(unsigned n)
{
	return n ? (unsigned)(search_next() % n) : 0;
}

int search_coin(unsigned one_in)
{
	return search_below(one_in) == 0;
}

uint64_t search_seed_make(uint64_t r, unsigned mode, unsigned long k)
{
	unsigned code = 0;
	while (code + 1 < 1u << SEARCH_K_BITS && (16UL << code) < k)
		code++;
	r = 1 + r % ((1ULL << SEARCH_R_BITS) - 1);
	return (r << (SEARCH_K_BITS + SEARCH_MODE_BITS)) | ((uint64_t)code << SEARCH_MODE_BITS) | (mode & 3);
}

const char *search_mode_name(uint64_t seed)
{
	static const char *const names[] = { "random walk", "random walk", "PCT depth 2", "PCT depth 3" };
	return names[seed & 3];
}

void search_start(uint64_t seed)
{
	search.rng = seed * 0x9e3779b97f4a7c15ULL; /* neighbouring seeds, far apart streams */
	search.mode = (unsigned)(seed & 3);
	search.depth = search.mode >= 2 ? search.mode : 0;
	unsigned long k = 16UL << ((seed >> SEARCH_MODE_BITS) & ((1u << SEARCH_K_BITS) - 1));
	for (unsigned i = 0; i + 1 < search.depth; i++)
		search.change[i] = 1 + (long)search_below((unsigned)k);
	for (int i = 0; i < rl_sched.nthreads; i++)
		search_new_thread(&rl_sched.t[i]);
}

/* Random priorities above every one PCT hands out at its change points and to yielders (below 0). */
void search_new_thread(struct sched_thread *t)
{
	t->prio = (1 << 24) + (int)search_below(1 << 24);
}

/*
 * A thread that yields (sched_yield, a sleep, a long run alone) goes below every other one, those
 * PCT sank at its change points too: a spinner waits for some thread, and if that thread were the
 * sunk one, spinners above it would run forever, a starvation no real scheduler allows.
 */
void search_yielded(struct sched_thread *t)
{
	if (!search.depth)
		return;
	int low = t->prio;
	for (int i = 0; i < rl_sched.nthreads; i++)
		if (rl_sched.t[i].prio < low)
			low = rl_sched.t[i].prio;
	t->prio = low - 1;
}

/* PCT: at a change point the running thread sinks below everyone; then the highest enabled one runs. */
static struct sched_thread *search_pct(struct sched_thread **en, int n, struct sched_thread *cur)
{
	for (unsigned i = 0; i + 1 < search.depth; i++)
		if (search.change[i] == rl_sched.steps)
			cur->prio = (int)(search.depth - 1 - i) - (1 << 20);
	struct sched_thread *best = en[0];
	for (int i = 1; i < n; i++)
		if (en[i]->prio > best->prio)
			best = en[i];
	return best;
}

struct sched_thread *search_pick(struct sched_thread **en, int n, struct sched_thread *cur)
{
	if (search.depth)
		return search_pct(en, n, cur);
	return en[search_below((unsigned)n)];
}
