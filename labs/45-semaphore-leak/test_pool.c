/* test_pool.c: Check suite for 45-semaphore-leak; the tests run the queries from their own threads. */
#include "pool.h"
#include "racelab_test.h"

enum { THREADS = 4, QUERIES = 50, FAIL_EVERY = 5 };

static struct pool pool;

/* What one query thread saw. */
struct tally {
	int ok, failed, wrong;
};

static int busy_connections(void)
{
	pthread_mutex_lock(&pool.lock);
	int n = 0;
	for (int i = 0; i < POOL_CONNS; i++)
		n += pool.busy[i];
	pthread_mutex_unlock(&pool.lock);
	return n;
}

/* Nobody holds a connection now, so all POOL_CONNS must be idle again. */
static void check_pool_is_whole(const char *after)
{
	int busy = busy_connections();
	ck_assert_msg(busy == 0,
		      "after %s, %d of %d connections are still marked busy: "
		      "a path through run_query never gave its connection back",
		      after, busy, POOL_CONNS);

	int tokens;
	sem_getvalue(&pool.idle, &tokens);
	ck_assert_msg(tokens == POOL_CONNS,
		      "after %s, the semaphore counts %d idle connections, but the pool "
		      "has %d: %s", after, tokens, POOL_CONNS,
		      tokens < POOL_CONNS ? "a token was taken and never posted back"
					  : "it would lend out connections it does not have");

	ck_assert_msg(db_misuse() == 0,
		      "after %s, the database saw %d queries on a connection that was "
		      "not theirs alone", after, db_misuse());
}

/* Every FAIL_EVERY-th query is one the database rejects. */
static void *client(void *arg)
{
	struct tally *t = arg;

	for (int i = 0; i < QUERIES; i++) {
		bool bad = i % FAIL_EVERY == FAIL_EVERY - 1;
		int rc = run_query(&pool, bad ? -1 : i);
		if (rc != (bad ? -1 : 0))
			t->wrong++;
		else if (bad)
			t->failed++;
		else
			t->ok++;
	}
	return NULL;
}

START_TEST(good_query_gives_its_connection_back)
{
	pool_init(&pool);
	int rc = run_query(&pool, 7);
	ck_assert_msg(rc == 0, "a good query must return 0, got %d", rc);
	check_pool_is_whole("one good query");
	pool_destroy(&pool);
}
END_TEST

START_TEST(failed_query_gives_its_connection_back)
{
	pool_init(&pool);
	int rc = run_query(&pool, -1);
	ck_assert_msg(rc == -1, "a query the database rejects must return -1, got %d", rc);
	check_pool_is_whole("one failed query");
	pool_destroy(&pool);
}
END_TEST

/* On the shipped code this test hangs: four failures and no connection is left. */
START_TEST(failures_do_not_drain_the_pool)
{
	struct tally t[THREADS] = { 0 };

	pool_init(&pool);
	rl_parallel(THREADS, client, t, sizeof t[0]);

	int ok = 0, failed = 0, wrong = 0;
	for (int i = 0; i < THREADS; i++) {
		ok += t[i].ok;
		failed += t[i].failed;
		wrong += t[i].wrong;
	}
	ck_assert_msg(wrong == 0, "%d of %d queries returned the wrong result",
		      wrong, THREADS * QUERIES);
	ck_assert_msg(ok + failed == THREADS * QUERIES,
		      "expected %d query results, got %d", THREADS * QUERIES, ok + failed);
	check_pool_is_whole("200 queries from 4 threads, 40 of them failing");
	pool_destroy(&pool);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("45-semaphore-leak");
	TCase *tc = tcase_create("pool");
	tcase_add_test(tc, good_query_gives_its_connection_back);
	tcase_add_test(tc, failed_query_gives_its_connection_back);
	/* Hangs on the shipped code, so it comes last. */
	tcase_add_test(tc, failures_do_not_drain_the_pool);
	suite_add_tcase(s, tc);
	return s;
}
