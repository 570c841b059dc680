/* test_map.c: Check suite for 13-torn-resize; the tests own the reader and writer threads. */
#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

#include "map.h"
#include "racelab_test.h"

enum {
	OLD_KEYS = 64,		/* in the map before the readers start */
	NEW_KEYS = 2000,	/* added by the writer while they read: the map grows 5 times */
	ROUNDS = 20,		/* each reader looks up every old key this many times */
	READERS = 2,
	PAUSE_MS = 300,
	GROW_KEYS = 1000,	/* added while one reader is paused: 64 + 1000 keys grow the map from 128 to 2048 slots */
	BIG = 70000,		/* the largest map a test makes: past any table size a fix might fix in advance */		/* how long the paused reader waits for the writer to grow the map */
};

/*
 * Under the controlled scheduler (the schedules gate), which takes a step at every load and
 * store of map.c, the writer adds 600 keys (the map still grows 4 times) and the readers look
 * 8 rounds: the full run is more steps than a schedule may take.
 */
static int new_keys(void)
{
	return rl_under_scheduler() ? 600 : NEW_KEYS;
}

static int rounds(void)
{
	return rl_under_scheduler() ? 8 : ROUNDS;
}

static int value_of(int key)
{
	return 10 * key + 7;
}

struct role {
	struct map *map;
	int writer;		/* 1: adds NEW_KEYS keys; 0: looks up the old ones */
	int put_failed;
	char trouble[160];	/* a reader's first wrong answer, in words */
};

static void *writer(struct role *r)
{
	for (int k = 0; k < new_keys(); k++)
		if (map_put(r->map, 1000 + k, value_of(1000 + k)) != 0)
			r->put_failed = 1;
	return NULL;
}

/*
 * A key the writer is adding right now may be missing or present, but never
 * present with a wrong value: looking such keys up makes the readers' probes
 * cross the very slots the writer is filling, where a fix that locks only
 * part of map_put shows a torn slot (and a race to the tools).
 */
static int check_new_key(struct role *r, int key)
{
	int v = -1;
	if (map_get(r->map, key, &v) && v != value_of(key)) {
		snprintf(r->trouble, sizeof r->trouble,
			 "key %d, being added by the writer, was found with value %d instead of %d",
			 key, v, value_of(key));
		return -1;
	}
	return 0;
}

static void *reader(struct role *r)
{
	for (int round = 0; round < rounds(); round++)
		for (int k = 0; k < OLD_KEYS; k++) {
			if (check_new_key(r, 1000 + (round * OLD_KEYS + k) % new_keys()) != 0)
				return NULL;
			int v = -1;
			if (!map_get(r->map, k, &v)) {
				snprintf(r->trouble, sizeof r->trouble, "key %d was missing", k);
				return NULL;
			}
			if (v != value_of(k)) {
				snprintf(r->trouble, sizeof r->trouble,
					 "key %d had value %d instead of %d", k, v, value_of(k));
				return NULL;
			}
		}
	return NULL;
}

static void *play(void *arg)
{
	struct role *r = arg;
	return r->writer ? writer(r) : reader(r);
}

START_TEST(put_then_get)
{
	struct map *m = map_create();
	ck_assert_ptr_nonnull(m);
	int v = -1;
	ck_assert_msg(!map_get(m, 5, &v), "an empty map claims to hold key 5");
	for (int k = 0; k < 100; k++)
		ck_assert_int_eq(map_put(m, k, value_of(k)), 0);
	ck_assert_int_eq(map_put(m, 42, -1), 0);
	for (int k = 0; k < 100; k++) {
		ck_assert_msg(map_get(m, k, &v), "key %d was put, then not found", k);
		ck_assert_msg(v == (k == 42 ? -1 : value_of(k)), "key %d has value %d", k, v);
	}
	ck_assert_msg(!map_get(m, 100, &v), "key 100 was never put, but was found");
	map_destroy(m);
}
END_TEST

/*
 * The forced interleaving. One reader stops inside hash_key(), in the middle
 * of map_get, and lets the writer grow the map (which frees the old array)
 * before it goes on. With no lock, the reader then walks freed memory, every
 * run. With a correct lock the writer cannot start while the reader is inside
 * its lookup: the reader waits PAUSE_MS for nothing and carries on.
 */
static sem_t reader_paused, writer_done;
static _Thread_local int i_am_the_paused_reader;
static int pauses;

static bool wait_ms(sem_t *s, long ms)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += (ms % 1000) * 1000000L;
	deadline.tv_sec += ms / 1000 + deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
	while (sem_timedwait(s, &deadline) == -1)
		if (errno != EINTR)
			return false;
	return true;
}

static void pause_the_reader(void)
{
	if (!i_am_the_paused_reader || pauses++ > 0)
		return;
	sem_post(&reader_paused);
	wait_ms(&writer_done, PAUSE_MS);
}

struct pair {
	struct map *map;
	int writer;
	int found, value;	/* the paused reader's answer */
	int saw_pause;		/* the writer saw the reader pause */
};

static void *pause_or_grow(void *arg)
{
	struct pair *p = arg;
	if (!p->writer) {
		i_am_the_paused_reader = 1;
		p->found = map_get(p->map, 5, &p->value);
		return NULL;
	}
	p->saw_pause = wait_ms(&reader_paused, 2000);
	for (int k = 0; k < GROW_KEYS; k++)	/* the map grows 4 times: a late free of only the last array is not enough */
		map_put(p->map, 1000 + k, value_of(1000 + k));
	sem_post(&writer_done);
	return NULL;
}

START_TEST(a_lookup_paused_while_the_map_grows)
{
	struct map *m = map_create();
	ck_assert_ptr_nonnull(m);
	for (int k = 0; k < OLD_KEYS; k++)
		ck_assert_int_eq(map_put(m, k, value_of(k)), 0);
	sem_init(&reader_paused, 0, 0);
	sem_init(&writer_done, 0, 0);
	hash_pause = pause_the_reader;

	struct pair p[2] = { { .map = m, .writer = 0 }, { .map = m, .writer = 1 } };
	rl_parallel(2, pause_or_grow, p, sizeof p[0]);
	hash_pause = NULL;

	ck_assert_msg(p[1].saw_pause, "map_get never called hash_key(): keep using it, "
		      "the tests pause a lookup there");
	ck_assert_msg(p[0].found && p[0].value == value_of(5),
		      "a reader was looking up key 5 when the writer made the map grow, and %s",
		      p[0].found ? "got a wrong value" : "did not find it");
	sem_destroy(&reader_paused);
	sem_destroy(&writer_done);
	map_destroy(m);
}
END_TEST

/*
 * Lookups run side by side: one reader stops inside its lookup (in hash_key)
 * until a second reader's lookup has finished. With a lock that lets readers
 * share, the second finishes at once; with one lock for everything it waits
 * out the first reader's pause, and the test says so.
 */
static sem_t second_done;
static int p_second_was_done;	/* set by the first reader, read after joining it */
static _Thread_local int i_wait_for_the_second;

static void wait_for_second_reader(void)
{
	if (!i_wait_for_the_second)
		return;
	i_wait_for_the_second = 0;
	sem_post(&reader_paused);
	p_second_was_done = wait_ms(&second_done, 2000);
}

static void *first_reader(void *arg)
{
	struct pair *p = arg;
	i_wait_for_the_second = 1;
	p->found = map_get(p->map, 5, &p->value);
	return NULL;
}

START_TEST(lookups_run_side_by_side)
{
	struct map *m = map_create();
	ck_assert_ptr_nonnull(m);
	for (int k = 0; k < OLD_KEYS; k++)
		ck_assert_int_eq(map_put(m, k, value_of(k)), 0);
	sem_init(&reader_paused, 0, 0);
	sem_init(&second_done, 0, 0);
	p_second_was_done = 0;
	hash_pause = wait_for_second_reader;
	struct pair first = { .map = m };
	pthread_t t;
	rl_spawn(&t, first_reader, &first);
	ck_assert_msg(wait_ms(&reader_paused, 2000), "map_get never called hash_key(): keep using it");
	int v = -1;
	int found = map_get(m, 7, &v);	/* the second reader: this thread */
	sem_post(&second_done);
	rl_join(t);
	hash_pause = NULL;
	ck_assert_msg(found && v == value_of(7), "the second reader did not find key 7");
	ck_assert_msg(first.found && first.value == value_of(5), "the first reader did not find key 5");
	ck_assert_msg(p_second_was_done, "a lookup waited for another lookup to finish: lookups must "
		      "be able to run side by side (a lock that readers share)");
	sem_destroy(&reader_paused);
	sem_destroy(&second_done);
	map_destroy(m);
}
END_TEST

/*
 * Maps of many sizes, each checked whole: empty, either side of every grow
 * (the map grows when 3/4 full, from 8 slots), and BIG keys, past any size a
 * fix might allocate in advance instead of growing.
 */
START_TEST(every_size)
{
	/* Asserts only on a failure: each ck_assert costs a write to Check's log, and BIG keys make many. */
	static const int sizes[] = { 0, 1, 5, 6, 7, 11, 12, 13, 47, 48, 49, 1000, BIG };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		/* BIG keys in a plain run; fewer under the tools, where the other sizes do their work */
		int n = sizes[s] == BIG ? (int)rl_scale(BIG) : sizes[s];
		struct map *m = map_create();
		ck_assert_ptr_nonnull(m);
		for (int k = 0; k < n; k++)
			if (map_put(m, 3 * k, value_of(3 * k)) != 0)
				ck_abort_msg("map_put of key %d (of %d) failed", 3 * k, n);
		for (int k = 0; k < n; k++) {
			int v = -1;
			if (!map_get(m, 3 * k, &v) || v != value_of(3 * k))
				ck_abort_msg("a map of %d keys lost key %d", n, 3 * k);
			if (map_get(m, 3 * k + 1, &v))
				ck_abort_msg("a map of %d keys found key %d, never put", n, 3 * k + 1);
		}
		map_destroy(m);
	}
}
END_TEST

/*
 * Out of memory (the runtime's fault injection fails each malloc and calloc
 * of the map in turn): map_create returns NULL and keeps nothing, or map_put
 * returns -1 and the map goes on working as before, every key put so far
 * still there, the next put and get not held up. Last in the suite: a put that
 * fails while keeping its lock hangs the next one.
 */
struct filled {
	struct map *map;
	int ok[100];	/* key k's put returned 0 */
};

/* On another thread than the failed put: a lock that put kept would hold it up (the watchdog names it). */
static void *check_filled(void *arg)
{
	struct filled *f = arg;
	for (int k = 0; k < 100; k++) {
		int v = -1;
		if (f->ok[k] && !(map_get(f->map, k, &v) && v == value_of(k)))
			return "a key that was put (0 returned) was lost after a failed put";
	}
	if (map_put(f->map, 100, value_of(100)) != 0)
		return "map_put failed once memory was back";
	return NULL;
}

static void fill_once(void *arg)
{
	(void)arg;
	struct filled f = { .map = map_create() };
	if (f.map == NULL)
		return;
	for (int k = 0; k < 100; k++)	/* up to the first failed put: the next call comes from elsewhere */
		if (!(f.ok[k] = map_put(f.map, k, value_of(k)) == 0))
			break;
	rl_fault_disarm();
	pthread_t t;
	rl_spawn(&t, check_filled, &f);
	const char *trouble = rl_join(t);
	ck_assert_msg(trouble == NULL, "%s", trouble);
	map_destroy(f.map);
}

START_TEST(out_of_memory_keeps_the_map_whole)
{
	ck_assert_int_ge(rl_fault_sweep("malloc", ENOMEM, fill_once, NULL) +
			 rl_fault_sweep("calloc", ENOMEM, fill_once, NULL), 2);
}
END_TEST

START_TEST(readers_while_the_map_grows)
{
	struct map *m = map_create();
	ck_assert_ptr_nonnull(m);
	for (int k = 0; k < OLD_KEYS; k++)
		ck_assert_int_eq(map_put(m, k, value_of(k)), 0);

	struct role r[1 + READERS] = { { .map = m, .writer = 1 } };
	for (int i = 1; i <= READERS; i++)
		r[i] = (struct role){ .map = m };
	rl_parallel(1 + READERS, play, r, sizeof r[0]);

	ck_assert_msg(!r[0].put_failed, "map_put ran out of memory");
	for (int i = 1; i <= READERS; i++)
		ck_assert_msg(r[i].trouble[0] == '\0',
			      "a reader looked up a key that was there all along, while the writer "
			      "made the map grow, and %s", r[i].trouble);
	for (int k = 0; k < new_keys(); k++) {
		int v = -1;
		ck_assert_msg(map_get(m, 1000 + k, &v) && v == value_of(1000 + k),
			      "key %d, added by the writer, is lost", 1000 + k);
	}
	map_destroy(m);
}
END_TEST

/*
 * A key never put is never found, not even while the writer adds its twin: k and k + 2^20 hash
 * alike in their low 20 bits, so in a table of up to 2^20 slots both start at one slot, and the
 * twin goes into the very free slot where a lookup of k stops. A lookup that found that slot
 * free, then reads it again once the writer filled it, returns the twin's value for k.
 */
enum { TWIN = 1 << 20, TWINS = 2000, TWIN_KEY0 = 5000 };

static int twins(void)
{
	return rl_under_scheduler() ? 6 : TWINS;
}

struct twin_role {
	struct map *map;
	int writer;		/* 1: adds the twins; 0: looks up the keys never put */
	int *done;		/* the writer has added every twin */
	int put_failed;
	char trouble[160];
};

static void *play_twins(void *arg)
{
	struct twin_role *r = arg;
	if (r->writer) {
		for (int i = 0; i < twins(); i++)
			if (map_put(r->map, TWIN_KEY0 + i + TWIN, value_of(TWIN_KEY0 + i + TWIN)) != 0)
				r->put_failed = 1;
		__atomic_store_n(r->done, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	do {
		for (int i = 0; i < twins(); i++) {
			int v = -1, key = TWIN_KEY0 + i;
			if (map_get(r->map, key, &v)) {
				snprintf(r->trouble, sizeof r->trouble, "key %d, never put, was found with value %d "
					 "(the value of key %d, its twin in the same slot, added meanwhile)", key, v, key + TWIN);
				return NULL;
			}
		}
	} while (!__atomic_load_n(r->done, __ATOMIC_ACQUIRE));
	return NULL;
}

START_TEST(a_key_never_put_is_never_found)
{
	struct map *m = map_create();
	ck_assert_ptr_nonnull(m);
	int done = 0;
	struct twin_role r[2] = { { .map = m, .writer = 1, .done = &done }, { .map = m, .done = &done } };
	rl_parallel(2, play_twins, r, sizeof r[0]);
	ck_assert_msg(!r[0].put_failed, "map_put ran out of memory");
	ck_assert_msg(r[1].trouble[0] == '\0', "a reader looked up a key nobody put, while the writer added "
		      "another that lands in the same slot, and %s", r[1].trouble);
	map_destroy(m);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("13-torn-resize");
	TCase *tc = tcase_create("map");
	tcase_add_test(tc, put_then_get);
	tcase_add_test(tc, a_lookup_paused_while_the_map_grows);
	tcase_add_test(tc, readers_while_the_map_grows);
	tcase_add_test(tc, a_key_never_put_is_never_found);
	tcase_add_test(tc, lookups_run_side_by_side);
	tcase_add_test(tc, every_size);
	tcase_add_test(tc, out_of_memory_keeps_the_map_whole);
	suite_add_tcase(s, tc);
	return s;
}
