/* test_journal.c: Check suite for 23-hold-and-wait; the tests own the threads. */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>
#include <string.h>

#include "journal.h"
#include "racelab_test.h"

enum { DISK_MAX = 256, WRITERS = 4, PER_WRITER = 10, FLUSHERS = 3, PER_FLUSHER = 3 };

/* A global, so that a report on a hang can name it: journal.lock. */
static struct journal journal;

/* The disk: every line that reached the sink, in order. The sink runs on the
   writer thread while test threads read the disk, so it has its own lock. */
static struct {
	pthread_mutex_t mu;
	int n;
	int on_caller;  /* sink calls made on a thread of the tests, not the writer */
	char line[DISK_MAX][JOURNAL_LINE_MAX];
} disk;

/* Set on every thread of the tests that calls the journal. */
static _Thread_local int is_caller;

static void disk_reset(void)
{
	memset(&disk, 0, sizeof disk);
	pthread_mutex_init(&disk.mu, NULL);
}

/*
 * A gate in the sink (a slow disk): it lets `allowed` sink calls through and
 * holds the writer inside the next one until the test allows more. The gate,
 * not timing, decides where the writer is.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long allowed, passed;  /* sink calls let through, and made so far */
	int held;              /* the writer waits inside a sink call */
	int used;              /* set before journal_open by the tests that hold the writer */
} gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, LONG_MAX, 0, 0, 0 };

/*
 * The other tests' sink skips the gate: the stress gate's noise yields at sync
 * calls, and on a loaded machine every lock call the tests add costs time.
 * used is written before journal_open creates the writer, so no race.
 */
static void gate_pass(void)
{
	if (!gate.used)
		return;
	pthread_mutex_lock(&gate.mu);
	while (gate.passed >= gate.allowed) {
		gate.held = 1;
		pthread_cond_broadcast(&gate.cv);
		pthread_cond_wait(&gate.cv, &gate.mu);
	}
	gate.held = 0;
	gate.passed++;
	pthread_mutex_unlock(&gate.mu);
}

/* Let the first `calls` sink calls through (LONG_MAX: all of them). Before journal_open. */
static void gate_allow(long calls)
{
	gate.used = 1;
	pthread_mutex_lock(&gate.mu);
	gate.allowed = calls;
	pthread_cond_broadcast(&gate.cv);
	pthread_mutex_unlock(&gate.mu);
}

/* Until the writer is held in the sink after `passed` calls went through. */
static void gate_wait_held(long passed)
{
	pthread_mutex_lock(&gate.mu);
	while (!(gate.held && gate.passed == passed))
		pthread_cond_wait(&gate.cv, &gate.mu);
	pthread_mutex_unlock(&gate.mu);
}

static void to_disk(void *arg, const char *line)
{
	(void)arg;
	gate_pass();
	pthread_mutex_lock(&disk.mu);
	disk.on_caller += is_caller;
	if (disk.n < DISK_MAX)
		snprintf(disk.line[disk.n], JOURNAL_LINE_MAX, "%s", line);
	disk.n++;
	pthread_mutex_unlock(&disk.mu);
}

static int disk_count(void)
{
	pthread_mutex_lock(&disk.mu);
	int n = disk.n;
	pthread_mutex_unlock(&disk.mu);
	return n;
}

/* How many times line is on the disk. */
static int disk_has(const char *line)
{
	int found = 0;
	pthread_mutex_lock(&disk.mu);
	for (int i = 0; i < disk.n && i < DISK_MAX; i++)
		found += strcmp(disk.line[i], line) == 0;
	pthread_mutex_unlock(&disk.mu);
	return found;
}

static void open_journal(void)
{
	disk_reset();
	is_caller = 1;
	ck_assert_msg(journal_open(&journal, to_disk, NULL) == 0, "journal_open failed");
}

/* After journal_close: the writer thread, and only it, did the writing. */
static void assert_writer_wrote(void)
{
	ck_assert_msg(disk.on_caller == 0,
		      "the sink was called %d times on a thread that called the journal: "
		      "journal_write, journal_flush and journal_close must leave the writing "
		      "to the writer thread", disk.on_caller);
}

static void write_numbered(const char *who, int from, int to)
{
	char line[JOURNAL_LINE_MAX];
	is_caller = 1;
	for (int i = from; i < to; i++) {
		snprintf(line, sizeof line, "%s line %d", who, i);
		journal_write(&journal, line);
	}
}

/* The disk holds exactly who's lines 0..n-1, in order. */
static void assert_disk_is(const char *who, int n)
{
	char want[JOURNAL_LINE_MAX];
	ck_assert_msg(disk_count() == n, "%d lines written, %d reached the sink", n, disk_count());
	for (int i = 0; i < n; i++) {
		snprintf(want, sizeof want, "%s line %d", who, i);
		ck_assert_msg(strcmp(disk.line[i], want) == 0,
			      "line %d on the sink is \"%s\"; expected \"%s\"", i, disk.line[i], want);
	}
}

START_TEST(close_writes_every_line)
{
	open_journal();
	write_numbered("main", 0, 10);
	journal_close(&journal);
	assert_writer_wrote();
	assert_disk_is("main", 10);
}
END_TEST

START_TEST(full_buffer_waits_for_the_writer)
{
	open_journal();
	write_numbered("main", 0, 2 * JOURNAL_LINES + 5);
	journal_close(&journal);
	assert_writer_wrote();
	assert_disk_is("main", 2 * JOURNAL_LINES + 5);
}
END_TEST

static void *writer_thread(void *arg)
{
	char who[16];
	snprintf(who, sizeof who, "writer %d", *(int *)arg);
	write_numbered(who, 0, PER_WRITER);
	return NULL;
}

START_TEST(writers_at_once)
{
	int ids[WRITERS];
	char line[JOURNAL_LINE_MAX];

	for (int i = 0; i < WRITERS; i++)
		ids[i] = i;
	open_journal();
	rl_parallel(WRITERS, writer_thread, ids, sizeof ids[0]);
	journal_close(&journal);
	assert_writer_wrote();
	ck_assert_msg(disk_count() == WRITERS * PER_WRITER,
		      "%d threads wrote %d lines each: %d reached the sink, expected %d",
		      WRITERS, PER_WRITER, disk_count(), WRITERS * PER_WRITER);
	for (int w = 0; w < WRITERS; w++)
		for (int i = 0; i < PER_WRITER; i++) {
			snprintf(line, sizeof line, "writer %d line %d", w, i);
			ck_assert_msg(disk_has(line) == 1, "\"%s\" reached the sink %d times; expected once",
				      line, disk_has(line));
		}
}
END_TEST

/* With a flush that waits for the writer while holding the lock the writer needs, this one hangs. */
START_TEST(flush_waits_until_written)
{
	open_journal();
	write_numbered("main", 0, 10);
	journal_flush(&journal);
	int got = disk_count();
	ck_assert_msg(got == 10,
		      "journal_flush returned with %d of 10 lines on the sink: it must not return "
		      "before the writer has written every line written before it", got);
	write_numbered("main", 10, 15);
	journal_flush(&journal);
	got = disk_count();
	ck_assert_msg(got == 15,
		      "the second journal_flush returned with %d of 15 lines on the sink: it must not "
		      "return before the writer has written every line written before it", got);
	journal_close(&journal);
	assert_writer_wrote();
	assert_disk_is("main", 15);
}
END_TEST

struct flusher {
	int id;
	int missing;  /* own lines not on the sink when journal_flush returned */
};

static void *flusher_thread(void *arg)
{
	struct flusher *f = arg;
	char who[16], line[JOURNAL_LINE_MAX];
	snprintf(who, sizeof who, "flusher %d", f->id);
	write_numbered(who, 0, PER_FLUSHER);
	journal_flush(&journal);
	for (int i = 0; i < PER_FLUSHER; i++) {
		snprintf(line, sizeof line, "%s line %d", who, i);
		f->missing += disk_has(line) != 1;
	}
	return NULL;
}

START_TEST(flushers_at_once)
{
	struct flusher f[FLUSHERS] = { { 0, 0 } };

	for (int i = 0; i < FLUSHERS; i++)
		f[i].id = i;
	open_journal();
	rl_parallel(FLUSHERS, flusher_thread, f, sizeof f[0]);
	journal_close(&journal);
	assert_writer_wrote();
	for (int i = 0; i < FLUSHERS; i++)
		ck_assert_msg(f[i].missing == 0,
			      "flusher %d wrote %d lines and flushed, but when journal_flush returned "
			      "%d of them were not on the sink (or were there twice)",
			      i, PER_FLUSHER, f[i].missing);
	ck_assert_msg(disk_count() == FLUSHERS * PER_FLUSHER, "%d lines written, %d reached the sink",
		      FLUSHERS * PER_FLUSHER, disk_count());
}
END_TEST

/*
 * A failed open: journal.h says it leaves nothing to close. A caller that gets
 * EAGAIN tries again on the same journal, so a lock or condvar left
 * initialised is initialised twice (DRD names it); the retry must work.
 */
START_TEST(open_fails_cleanly_and_opens_again)
{
	rl_fault_arm("pthread_create", 1, EAGAIN);  /* the sink is not called: no disk_reset yet */
	int rc = journal_open(&journal, to_disk, NULL);
	ck_assert_msg(rl_fault_fired(), "journal_open made no pthread_create call: the writer must be a thread");
	ck_assert_msg(rc != 0, "journal_open returned 0 although its writer thread could not start");
	rl_fault_disarm();
	open_journal();
	write_numbered("main", 0, 3);
	journal_close(&journal);
	assert_disk_is("main", 3);
}
END_TEST

/*
 * The flushers of the last two tests: each writes its own line (if it has
 * one), flushes, and notes what was on the sink when the flush returned.
 */
struct slow_flusher {
	char line[JOURNAL_LINE_MAX];
	atomic_int tid, done;
	int seen;  /* lines on the sink when journal_flush returned */
	int own;   /* its own line on the sink then (1), or not */
};

static void *flush_only(void *arg)
{
	struct slow_flusher *f = arg;
	is_caller = 1;
	atomic_store(&f->tid, (int)gettid());
	if (f->line[0])
		journal_write(&journal, f->line);
	journal_flush(&journal);
	f->seen = disk_count();
	f->own = f->line[0] ? disk_has(f->line) : 1;
	atomic_store(&f->done, 1);
	return NULL;
}

/*
 * Until every flusher has returned or sleeps, all at the same moment, twice in
 * a row. The writer is held in the sink and the test holds no lock of the
 * journal, so when all of them sleep at once no one holds journal.lock: each
 * sleeps in its flush's wait, not on its way there.
 */
static void wait_all_parked(struct slow_flusher *f, int n)
{
	for (int rounds = 0; rounds < 2; rl_sleep_ms(1)) {
		int parked = 1;
		for (int i = 0; i < n; i++) {
			int tid = atomic_load(&f[i].tid);
			parked &= atomic_load(&f[i].done) || (tid && rl_thread_asleep(tid));
		}
		rounds = parked ? rounds + 1 : 0;
	}
}

/* While the writer is held before the flushers' lines, no flush may have returned. */
static void assert_none_returned(struct slow_flusher *f, int n)
{
	for (int i = 0; i < n; i++)
		ck_assert_msg(!atomic_load(&f[i].done),
			      "flusher %d's journal_flush returned while the writer was held in the "
			      "sink before the flusher's line \"%s\": it returned before its line was "
			      "written", i, f[i].line);
}

/*
 * Until the writer is held after `passed` sink calls. A flush that gives up
 * (its lines never written) would leave the writer with no reason to go on:
 * fail as soon as one returns, rather than wait forever.
 */
static void wait_held_before_flushers(long passed, struct slow_flusher *f, int n)
{
	for (;;) {
		pthread_mutex_lock(&gate.mu);
		int held = gate.held && gate.passed == passed;
		pthread_mutex_unlock(&gate.mu);
		if (held)
			return;
		assert_none_returned(f, n);
		rl_sleep_ms(1);
	}
}

/*
 * Flushes while the writer is inside a slow sink call: the buffer is empty
 * (the writer took the lines) but they are not written yet. Each flush must
 * wait for the lines written before it: a flush that returns on an empty
 * buffer returns too early. A hang here is a flusher never woken, so this test
 * and the next are last.
 */
START_TEST(flushers_while_the_sink_is_slow)
{
	struct slow_flusher f[FLUSHERS];
	pthread_t t[FLUSHERS];

	memset(f, 0, sizeof f);
	gate_allow(0);
	open_journal();
	write_numbered("main", 0, JOURNAL_LINES);  /* full: the writer takes them all */
	gate_wait_held(0);
	for (int i = 0; i < FLUSHERS; i++)
		rl_spawn(&t[i], flush_only, &f[i]);
	wait_all_parked(f, FLUSHERS);
	gate_allow(LONG_MAX);
	for (int i = 0; i < FLUSHERS; i++)
		rl_join(t[i]);
	journal_close(&journal);
	assert_writer_wrote();
	for (int i = 0; i < FLUSHERS; i++)
		ck_assert_msg(f[i].seen >= JOURNAL_LINES,
			      "a journal_flush called while the writer was still writing %d lines "
			      "returned with %d of them on the sink: an empty buffer does not mean "
			      "written", JOURNAL_LINES, f[i].seen);
	assert_disk_is("main", JOURNAL_LINES);
}
END_TEST

/*
 * One batch serves three flushers, and all three are asleep in their wait when
 * the writer finishes it: each must be woken. The writer is held in the first
 * batch while the flushers write a line each and ask; then it takes their lines
 * and requests as one batch and is held again in its first line, until the
 * flushers sleep again (whatever the writer did when it took the batch may
 * have woken them). A writer that wakes one waiter per batch, or a wakeup that
 * goes to another sleeper, leaves a flusher asleep for good: a hang.
 */
START_TEST(one_batch_wakes_every_flusher)
{
	struct slow_flusher f[FLUSHERS];
	pthread_t t[FLUSHERS];

	memset(f, 0, sizeof f);
	gate_allow(0);
	open_journal();
	write_numbered("main", 0, JOURNAL_LINES);  /* full: the writer takes them all */
	gate_wait_held(0);
	for (int i = 0; i < FLUSHERS; i++) {
		snprintf(f[i].line, sizeof f[i].line, "flusher %d", i);
		rl_spawn(&t[i], flush_only, &f[i]);
	}
	wait_all_parked(f, FLUSHERS);             /* lines and requests are in */
	assert_none_returned(f, FLUSHERS);
	gate_allow(JOURNAL_LINES);                /* first batch done; held in the next */
	wait_held_before_flushers(JOURNAL_LINES, f, FLUSHERS);
	wait_all_parked(f, FLUSHERS);
	assert_none_returned(f, FLUSHERS);
	gate_allow(LONG_MAX);
	for (int i = 0; i < FLUSHERS; i++)
		rl_join(t[i]);
	journal_close(&journal);
	assert_writer_wrote();
	for (int i = 0; i < FLUSHERS; i++)
		ck_assert_msg(f[i].own == 1,
			      "flusher %d wrote \"%s\" and flushed; when journal_flush returned the "
			      "line was on the sink %d times (expected once)", i, f[i].line, f[i].own);
	ck_assert_msg(disk_count() == JOURNAL_LINES + FLUSHERS, "%d lines written, %d reached the sink",
		      JOURNAL_LINES + FLUSHERS, disk_count());
}
END_TEST

Suite *lab_suite(void)
{
	Suite *su = suite_create("23-hold-and-wait");
	TCase *tc = tcase_create("journal");
	tcase_add_test(tc, close_writes_every_line);
	tcase_add_test(tc, full_buffer_waits_for_the_writer);
	tcase_add_test(tc, writers_at_once);
	tcase_add_test(tc, open_fails_cleanly_and_opens_again);
	tcase_add_test(tc, flush_waits_until_written);
	tcase_add_test(tc, flushers_at_once);
	tcase_add_test(tc, flushers_while_the_sink_is_slow);
	tcase_add_test(tc, one_batch_wakes_every_flusher);
	suite_add_tcase(su, tc);
	return su;
}
