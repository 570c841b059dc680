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
	PAUSE_MS = 300,		/* how long the paused reader waits for the writer to grow the map */
};

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
	for (int k = 0; k < NEW_KEYS; k++)
		if (map_put(r->map, 1000 + k, value_of(1000 + k)) != 0)
			r->put_failed = 1;
	return NULL;
}

static void *reader(struct role *r)
{
	for (int round = 0; round < ROUNDS; round++)
		for (int k = 0; k < OLD_KEYS; k++) {
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
	for (int k = 0; k < OLD_KEYS; k++)	/* doubles the entries: the map must grow */
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
	for (int k = 0; k < NEW_KEYS; k++) {
		int v = -1;
		ck_assert_msg(map_get(m, 1000 + k, &v) && v == value_of(1000 + k),
			      "key %d, added by the writer, is lost", 1000 + k);
	}
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
	suite_add_tcase(s, tc);
	return s;
}
