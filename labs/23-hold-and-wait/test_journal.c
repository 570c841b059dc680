/* test_journal.c: Check suite for 23-hold-and-wait; the tests own the threads. */
#include <stdatomic.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>
#include <string.h>

#include "journal.h"
#include "racelab_test.h"

enum { DISK_MAX = 256, WRITERS = 4, PER_WRITER = 20, FLUSHERS = 3, PER_FLUSHER = 5 };

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

/* A gate in the sink: closed, the writer waits inside the sink call (a slow disk). */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int closed, in_sink;
} gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };

static void gate_pass(void)
{
	pthread_mutex_lock(&gate.mu);
	gate.in_sink = 1;
	pthread_cond_broadcast(&gate.cv);
	while (gate.closed)
		pthread_cond_wait(&gate.cv, &gate.mu);
	pthread_mutex_unlock(&gate.mu);
}

static void gate_set(int closed)
{
	pthread_mutex_lock(&gate.mu);
	gate.closed = closed;
	gate.in_sink = 0;
	pthread_cond_broadcast(&gate.cv);
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
	write_numbered("main", 0, 3 * JOURNAL_LINES + 5);
	journal_close(&journal);
	assert_writer_wrote();
	assert_disk_is("main", 3 * JOURNAL_LINES + 5);
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
 * Flushes while the writer is inside a slow sink call: the buffer is empty
 * (the writer took the lines) but they are not written yet, and several
 * flushers wait at once, to be served by one batch. Each flush must wait for
 * the lines written before it, and every one of them must be woken: a flush
 * that returns on an empty buffer returns too early; a writer that wakes one
 * waiter of a batch leaves the others asleep forever (a hang, so this test is
 * last). The gate, not timing, holds the writer in the sink.
 */
struct slow_flusher {
	atomic_int tid, done;
	int seen;  /* lines on the sink when journal_flush returned */
};

static void *flush_only(void *arg)
{
	struct slow_flusher *f = arg;
	is_caller = 1;
	atomic_store(&f->tid, (int)gettid());
	journal_flush(&journal);
	f->seen = disk_count();
	atomic_store(&f->done, 1);
	return NULL;
}

/* Until the flusher has returned, or sleeps (looked at twice: it may pass through a busy lock). */
static void wait_parked(struct slow_flusher *f)
{
	for (int asleep = 0; asleep < 2 && !atomic_load(&f->done); rl_sleep_ms(1)) {
		int tid = atomic_load(&f->tid);
		asleep = tid && rl_thread_asleep(tid) ? asleep + 1 : 0;
	}
}

START_TEST(flushers_while_the_sink_is_slow)
{
	struct slow_flusher f[FLUSHERS];
	pthread_t t[FLUSHERS];

	memset(f, 0, sizeof f);
	open_journal();
	gate_set(1);
	write_numbered("main", 0, JOURNAL_LINES);  /* full: the writer takes them all */
	pthread_mutex_lock(&gate.mu);
	while (!gate.in_sink)
		pthread_cond_wait(&gate.cv, &gate.mu);
	pthread_mutex_unlock(&gate.mu);
	for (int i = 0; i < FLUSHERS; i++)
		rl_spawn(&t[i], flush_only, &f[i]);
	for (int i = 0; i < FLUSHERS; i++)
		wait_parked(&f[i]);
	gate_set(0);
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

Suite *lab_suite(void)
{
	Suite *su = suite_create("23-hold-and-wait");
	TCase *tc = tcase_create("journal");
	tcase_add_test(tc, close_writes_every_line);
	tcase_add_test(tc, full_buffer_waits_for_the_writer);
	tcase_add_test(tc, writers_at_once);
	tcase_add_test(tc, flush_waits_until_written);
	tcase_add_test(tc, flushers_at_once);
	tcase_add_test(tc, flushers_while_the_sink_is_slow);
	suite_add_tcase(su, tc);
	return su;
}
