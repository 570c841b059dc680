/* test_config.c: Check suite for 14-lazy-init; the tests own the calling threads. */
#include <errno.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <time.h>

#include "config.h"
#include "racelab_test.h"

enum { PAUSE_MS = 300 };

/* What one caller saw: copies of the fields, never the pointer, so that a lost config stays lost. */
struct caller {
	int late;		/* a_late_caller...: 0 calls first, 1 calls once that call is over */
	int got_null;
	int id, port, max_clients, timeout_ms;
};

static atomic_int loads;	/* how many times config_load() ran in this test */

static void count_load(void)
{
	atomic_fetch_add(&loads, 1);
}

static void look(struct caller *c)
{
	const struct config *cfg = config_get();
	if (cfg == NULL) {
		c->got_null = 1;
		return;
	}
	c->id = cfg->id;
	c->port = cfg->port;
	c->max_clients = cfg->max_clients;
	c->timeout_ms = cfg->timeout_ms;
}

static void check_caller(const struct caller *c, int i)
{
	ck_assert_msg(!c->got_null, "caller %d got NULL from config_get()", i);
	ck_assert_msg(c->port == 8080 && c->max_clients == 512 && c->timeout_ms == 2500,
		      "caller %d saw port %d, max_clients %d, timeout_ms %d instead of 8080, 512, 2500: "
		      "it read a config that was not (yet) filled in", i, c->port, c->max_clients,
		      c->timeout_ms);
}

static void check_one_load(const struct caller *c, int n)
{
	int ran = atomic_load(&loads);
	ck_assert_msg(ran == 1, "config_load() ran %d times: %d callers found no config yet and "
		      "each loaded its own; only one of them can be kept, the rest are lost (leaked)",
		      ran, ran);
	for (int i = 0; i < n; i++)
		check_caller(&c[i], i);
	for (int i = 1; i < n; i++)
		ck_assert_msg(c[i].id == c[0].id, "caller 0 got config #%d and caller %d got config #%d: "
			      "every caller must get the same config", c[0].id, i, c[i].id);
}

START_TEST(first_call_loads_it_once)
{
	config_load_pause = count_load;
	struct caller c[2] = { { 0 } };
	look(&c[0]);
	look(&c[1]);
	check_one_load(c, 2);
}
END_TEST

/*
 * The forced interleaving: the first caller to reach config_load() waits
 * there until a second caller reaches it too. With a check outside the lock,
 * the second caller has seen "no config yet" and loads a second one, every
 * run. With a correct fix the second caller waits for the first instead, so
 * the first waits PAUSE_MS for nobody and goes on.
 */
static sem_t second_loader;

static void pause_first_loader(void)
{
	if (atomic_fetch_add(&loads, 1) > 0) {
		sem_post(&second_loader);
		return;
	}
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += PAUSE_MS * 1000000L;
	deadline.tv_sec += deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
	while (sem_timedwait(&second_loader, &deadline) == -1 && errno == EINTR)
		;
}

static void *call(void *arg)
{
	look(arg);
	return NULL;
}

START_TEST(two_first_calls_at_once)
{
	sem_init(&second_loader, 0, 0);
	config_load_pause = pause_first_loader;
	struct caller c[2] = { { 0 } };
	rl_parallel(2, call, c, sizeof c[0]);
	check_one_load(c, 2);
	sem_destroy(&second_loader);
}
END_TEST

/*
 * Several first callers, not two: four threads call at once and the first to
 * load waits for a second loader. Whatever a fix does with the callers that
 * find a load under way (wait, skip, try again), each must come back with the
 * one config, none with NULL or a copy of its own.
 */
START_TEST(four_first_calls_at_once)
{
	sem_init(&second_loader, 0, 0);
	config_load_pause = pause_first_loader;
	struct caller c[4] = { { 0 } };
	rl_parallel(4, call, c, sizeof c[0]);
	check_one_load(c, 4);
	sem_destroy(&second_loader);
}
END_TEST

/*
 * A caller that comes after the config is loaded, and that takes no part in
 * loading it. The handshake is relaxed on purpose: it makes the late call
 * happen after the first one, yet orders no memory, so ThreadSanitizer still
 * checks that config_get() itself hands the late caller a finished config.
 */
static atomic_int first_call_over;

static void *call_first_or_late(void *arg)
{
	struct caller *c = arg;
	if (c->late)
		while (!atomic_load_explicit(&first_call_over, memory_order_relaxed))
			sched_yield();
	look(c);
	if (!c->late)
		atomic_store_explicit(&first_call_over, 1, memory_order_relaxed);
	return NULL;
}

START_TEST(a_late_caller_gets_the_whole_config)
{
	config_load_pause = count_load;
	struct caller c[2] = { { .late = 0 }, { .late = 1 } };
	rl_parallel(2, call_first_or_late, c, sizeof c[0]);
	check_one_load(c, 2);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("14-lazy-init");
	TCase *tc = tcase_create("config");
	tcase_add_test(tc, first_call_loads_it_once);
	tcase_add_test(tc, two_first_calls_at_once);
	tcase_add_test(tc, four_first_calls_at_once);
	tcase_add_test(tc, a_late_caller_gets_the_whole_config);
	suite_add_tcase(s, tc);
	return s;
}
