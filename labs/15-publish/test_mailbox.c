/* test_mailbox.c: a loader thread publishes a config while reader threads poll for it. */
#include <errno.h>
#include <sched.h>
#include <semaphore.h>

#include "mailbox.h"
#include "racelab_test.h"

#define READERS 3

static const struct config want = { 8080, 512, 2500 };

struct loader {
	struct mailbox *m;
	sem_t readers_done;	/* keeps the loader alive until every reader has read */
};

struct reader {
	struct mailbox *m;
	struct config got;
};

static void *load(void *arg)
{
	struct loader *l = arg;
	mailbox_publish(l->m, &want);
	/* A thread that is still alive keeps its writes in the detectors' view. */
	while (sem_wait(&l->readers_done) != 0)
		;
	return NULL;
}

static void *poll_until_published(void *arg)
{
	struct reader *r = arg;
	while (!mailbox_read(r->m, &r->got))
		sched_yield();
	return NULL;
}

START_TEST(test_nothing_before_publish)
{
	struct mailbox *m = mailbox_new();
	struct config got = { 0, 0, 0 };
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(mailbox_read(m, &got) == 0,
		      "mailbox_read returned 1 before anything was published");
	mailbox_publish(m, &want);
	ck_assert_msg(mailbox_read(m, &got) == 1,
		      "mailbox_read returned 0 after mailbox_publish");
	ck_assert_msg(got.port == want.port && got.max_clients == want.max_clients &&
		      got.timeout_ms == want.timeout_ms,
		      "read back %ld/%ld/%ld, published 8080/512/2500",
		      got.port, got.max_clients, got.timeout_ms);
	mailbox_free(m);
}
END_TEST

/* Read back what was published and check every field. */
static void assert_reads_want(struct mailbox *m, const char *when)
{
	struct config got = { 0, 0, 0 };
	ck_assert_msg(mailbox_read(m, &got) == 1, "mailbox_read returned 0 %s", when);
	ck_assert_msg(got.port == want.port && got.max_clients == want.max_clients &&
		      got.timeout_ms == want.timeout_ms,
		      "read back %ld/%ld/%ld %s, published 8080/512/2500",
		      got.port, got.max_clients, got.timeout_ms, when);
}

/* "Published" belongs to one mailbox, not to the thread that read it: the
 * same thread, having read a published mailbox, must still find a second,
 * fresh one empty (a per-thread "already seen" cache would return 1 and
 * copy a config nobody wrote). Repeated twice in one thread, in order. */
START_TEST(test_each_mailbox_starts_empty)
{
	for (int round = 0; round < 2; round++) {
		struct mailbox *m = mailbox_new();
		struct config got = { 0, 0, 0 };
		ck_assert_ptr_nonnull(m);
		ck_assert_msg(mailbox_read(m, &got) == 0,
			      "mailbox_read returned 1 on a new, unpublished mailbox (mailbox %d "
			      "read by a thread that had already read a published one)", round + 1);
		mailbox_publish(m, &want);
		assert_reads_want(m, "after mailbox_publish");
		mailbox_free(m);
	}
}
END_TEST

/* mailbox_publish returns nothing, so it has no way to fail: with any
 * allocation in it failing, readers must still get the whole config (a
 * publish that gives up silently leaves every reader polling forever). */
START_TEST(test_publish_survives_failed_allocation)
{
	static const char *const allocs[] = { "malloc", "calloc", "realloc" };
	for (unsigned i = 0; i < sizeof allocs / sizeof allocs[0]; i++) {
		struct mailbox *m = mailbox_new();
		ck_assert_ptr_nonnull(m);
		rl_fault_arm(allocs[i], 1, ENOMEM);
		mailbox_publish(m, &want);
		rl_fault_disarm();
		assert_reads_want(m, "after mailbox_publish");
		mailbox_free(m);
	}
}
END_TEST

/* The readers are already polling when the loader publishes, as workers
 * waiting for their configuration would be. */
START_TEST(test_readers_see_whole_config)
{
	struct loader l = { .m = mailbox_new() };
	struct reader r[READERS];
	pthread_t rt[READERS], lt;
	ck_assert_ptr_nonnull(l.m);
	sem_init(&l.readers_done, 0, 0);
	for (int i = 0; i < READERS; i++) {
		r[i] = (struct reader){ .m = l.m };
		rl_spawn(&rt[i], poll_until_published, &r[i]);
	}
	rl_spawn(&lt, load, &l);
	for (int i = 0; i < READERS; i++)
		rl_join(rt[i]);
	sem_post(&l.readers_done);
	rl_join(lt);
	for (int i = 0; i < READERS; i++)
		ck_assert_msg(r[i].got.port == want.port &&
			      r[i].got.max_clients == want.max_clients &&
			      r[i].got.timeout_ms == want.timeout_ms,
			      "reader %d saw the ready flag but read port %ld, max_clients %ld, "
			      "timeout_ms %ld; the loader wrote 8080, 512, 2500 before setting it",
			      i, r[i].got.port, r[i].got.max_clients, r[i].got.timeout_ms);
	sem_destroy(&l.readers_done);
	mailbox_free(l.m);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("15-publish");
	TCase *tc = tcase_create("publish");
	tcase_add_test(tc, test_nothing_before_publish);
	tcase_add_test(tc, test_each_mailbox_starts_empty);
	tcase_add_test(tc, test_publish_survives_failed_allocation);
	tcase_add_test(tc, test_readers_see_whole_config);
	suite_add_tcase(s, tc);
	return s;
}
