/* test_import.c: Check suite for 34-latch-miscount; the tests own the workers and hold one record back. */
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "racelab_test.h"

static struct batch batch;

/* The early-return test: record 1 is held until record 0, which fails, is fully imported. */
static const char *held_line;
static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cond = PTHREAD_COND_INITIALIZER;
static int failed_record_done;     /* batch_import of the failing record has returned */
static int caller_looked;          /* the test has looked at the batch after batch_wait */

static void wait_for(int *flag)
{
	pthread_mutex_lock(&hold_lock);
	while (!*flag)
		pthread_cond_wait(&hold_cond, &hold_lock);
	pthread_mutex_unlock(&hold_lock);
}

static void set(int *flag)
{
	pthread_mutex_lock(&hold_lock);
	*flag = 1;
	pthread_cond_broadcast(&hold_cond);
	pthread_mutex_unlock(&hold_lock);
}

/*
 * Once the failing record is done, the held record is still being imported,
 * so a right count is at least 1 and it goes on at once. If the latch is
 * already at zero, batch_wait is free to return without it: it then waits
 * until the test has looked, so that the early return shows on every run.
 */
static void hold_back(void)
{
	wait_for(&failed_record_done);
	if (latch_count(&batch.pending) <= 0)
		wait_for(&caller_looked);
}

static int parse_number(const char *line, long *value)
{
	char *end;
	long v = strtol(line, &end, 10);
	if (end == line || *end != '\0')
		return -1;
	*value = v;
	return 0;
}

static int parse(const char *line, long *value)
{
	if (line == held_line)
		hold_back();
	return parse_number(line, value);
}

struct stripe {
	int first, step;      /* this worker imports records first, first + step, ... */
};

static void *importer(void *arg)
{
	struct stripe *s = arg;
	for (int i = s->first; i < batch.n; i += s->step)
		batch_import(&batch, i);
	return NULL;
}

static void *import_failing_record(void *arg)
{
	(void)arg;
	batch_import(&batch, 0);
	set(&failed_record_done);
	return NULL;
}

START_TEST(every_record_imported)
{
	enum { N = 16, WORKERS = 4 };
	static const char *lines[N] = { "0", "1", "2", "3", "4", "5", "6", "7",
					"8", "9", "10", "11", "12", "13", "14", "15" };
	struct record rec[N];
	for (int i = 0; i < N; i++)
		rec[i].line = lines[i];
	batch_init(&batch, rec, N, parse);

	pthread_t t[WORKERS];
	struct stripe s[WORKERS];
	for (int w = 0; w < WORKERS; w++) {
		s[w] = (struct stripe){ w, WORKERS };
		rl_spawn(&t[w], importer, &s[w]);
	}
	batch_wait(&batch);
	for (int i = 0; i < N; i++)
		ck_assert_msg(rec[i].status == REC_OK && rec[i].value == i,
			      "record %d (\"%s\") has status %d and value %ld after batch_wait, expected REC_OK and %d",
			      i, lines[i], (int)rec[i].status, rec[i].value, i);
	for (int w = 0; w < WORKERS; w++)
		rl_join(t[w]);
	batch_destroy(&batch);
}
END_TEST

/*
 * The caller of the early-return test runs on a thread of its own: a thread
 * that wrote a record (as batch_init does) and reads it later hides that later
 * read from ThreadSanitizer's shadow memory.
 */
struct caller_view {
	enum rec_status seen;    /* record 1's status when batch_wait returned */
	long sum;                /* the values the caller went on to use */
};

static void *caller(void *arg)
{
	struct caller_view *v = arg;
	batch_wait(&batch);
	v->seen = batch.rec[1].status;
	set(&caller_looked);
	/* A caller now uses the results: after an early return, this races with the worker still writing them. */
	v->sum = 0;
	for (int i = 0; i < batch.n; i++)
		if (batch.rec[i].status == REC_OK)
			v->sum += batch.rec[i].value;
	return NULL;
}

/*
 * Valgrind (Helgrind, DRD) runs one thread at a time, many times slower: under
 * it a sweep of shapes runs only its first few, which keep the shapes where a
 * race shows. The plain run and the stress runs sweep them all: a wrong shape
 * fails or hangs there, and no tool is needed to see it.
 */
static unsigned shapes_to_run(unsigned n)
{
	return rl_under_valgrind() && n > 3 ? 3 : n;
}

/* What a worker must make of a line: the status the tests expect after batch_wait. */
static enum rec_status expected(const char *line, long *value)
{
	if (line[0] == '\0' || line[0] == '#')
		return REC_SKIPPED;
	char *end;
	*value = strtol(line, &end, 10);
	return end == line || *end != '\0' ? REC_FAILED : REC_OK;
}

/*
 * The reader for every shape: the caller, on a thread of its own, waits and
 * then checks every record at once. A record still REC_PENDING, or REC_OK
 * without its value, means batch_wait returned before it was finished; and
 * ThreadSanitizer sees each of these reads against the worker's writes.
 */
enum { MAXRECORDS = 16, MAXWORKERS = 4 };

struct batch_view {
	int pending;             /* records the caller found unfinished */
	int wrong;               /* records the caller found finished with the wrong outcome */
	int first_bad;           /* the first of those */
};

static void *checking_caller(void *arg)
{
	struct batch_view *v = arg;
	batch_wait(&batch);
	v->pending = v->wrong = 0;
	v->first_bad = -1;
	for (int i = 0; i < batch.n; i++) {
		long want_value = 0;
		enum rec_status want = expected(batch.rec[i].line, &want_value);
		enum rec_status got = batch.rec[i].status;
		int bad = got != want || (got == REC_OK && batch.rec[i].value != want_value);
		v->pending += got == REC_PENDING;
		v->wrong += bad && got != REC_PENDING;
		if (bad && v->first_bad < 0)
			v->first_bad = i;
	}
	return NULL;
}

/* Import lines[0..n) on nworkers workers, striped, with the caller waiting on a thread of its own. */
static void run_batch(const char *const *lines, int n, int nworkers)
{
	struct record rec[MAXRECORDS];
	for (int i = 0; i < n; i++)
		rec[i].line = lines[i];
	held_line = NULL;
	batch_init(&batch, rec, n, parse);

	pthread_t waiting, t[MAXWORKERS];
	struct stripe s[MAXWORKERS];
	struct batch_view view;
	rl_spawn(&waiting, checking_caller, &view);
	for (int w = 0; w < nworkers; w++) {
		s[w] = (struct stripe){ w, nworkers };
		rl_spawn(&t[w], importer, &s[w]);
	}
	rl_join(waiting);
	for (int w = 0; w < nworkers; w++)
		rl_join(t[w]);
	batch_destroy(&batch);

	ck_assert_msg(view.pending == 0,
		      "batch_wait returned with %d of %d records still being imported (first: record %d, \"%s\"; "
		      "%d workers): the latch reached zero before every record was finished",
		      view.pending, n, view.first_bad, view.first_bad >= 0 ? lines[view.first_bad] : "", nworkers);
	ck_assert_msg(view.wrong == 0, "record %d (\"%s\") has status %d and value %ld after batch_wait",
		      view.first_bad, lines[view.first_bad], (int)rec[view.first_bad].status, rec[view.first_bad].value);
}

START_TEST(failed_record_counted_once)
{
	struct record rec[2] = { { .line = "not a number" }, { .line = "42" } };
	held_line = rec[1].line;
	batch_init(&batch, rec, 2, parse);

	pthread_t failing, held, waiting;
	struct stripe only_record_1 = { 1, 2 };
	struct caller_view view;
	rl_spawn(&waiting, caller, &view);
	rl_spawn(&failing, import_failing_record, NULL);
	rl_spawn(&held, importer, &only_record_1);
	rl_join(waiting);
	rl_join(failing);
	rl_join(held);
	batch_destroy(&batch);

	ck_assert_msg(view.seen != REC_PENDING,
		      "batch_wait returned while record 1 was still being imported: the latch reached zero "
		      "before every record was finished: a record was counted done twice, or before it was finished");
	ck_assert_msg(rec[0].status == REC_FAILED, "record 0 (\"not a number\") has status %d, expected REC_FAILED",
		      (int)rec[0].status);
	ck_assert_msg(view.sum == 42, "the imported values add up to %ld, expected 42", view.sum);
}
END_TEST

/*
 * The failing record finishes last: its parse is held until the good record
 * is imported. Whatever the failure path does after its count down (writing
 * the status, say) then runs while the caller reads the record: the tests
 * may see it pending, and ThreadSanitizer sees the two unordered every run.
 */
static int good_record_done;

static void *import_good_record(void *arg)
{
	(void)arg;
	batch_import(&batch, 0);
	set(&good_record_done);
	return NULL;
}

static int parse_failing_last(const char *line, long *value)
{
	if (line == held_line)
		wait_for(&good_record_done);
	return parse_number(line, value);
}

START_TEST(failed_record_finishes_last)
{
	struct record rec[2] = { { .line = "17" }, { .line = "seventeen" } };
	held_line = NULL;
	batch_init(&batch, rec, 2, parse_failing_last);
	held_line = rec[1].line;

	pthread_t good, failing, waiting;
	struct stripe only_record_1 = { 1, 2 };
	struct batch_view view;
	rl_spawn(&waiting, checking_caller, &view);
	rl_spawn(&failing, importer, &only_record_1);
	rl_spawn(&good, import_good_record, NULL);
	rl_join(waiting);
	rl_join(failing);
	rl_join(good);
	batch_destroy(&batch);

	ck_assert_msg(view.pending == 0 && view.wrong == 0,
		      "after batch_wait, record %d was not finished as it should be (%d pending): the failing record "
		      "was counted done before it was finished", view.first_bad, view.pending);
}
END_TEST

/* Hangs on the shipped code, so it runs last: its hang is the one the watchdog explains. */
START_TEST(skipped_records_counted)
{
	enum { N = 4, WORKERS = 2 };
	static const char *lines[N] = { "7", "", "# a comment", "9" };
	static const enum rec_status want[N] = { REC_OK, REC_SKIPPED, REC_SKIPPED, REC_OK };
	struct record rec[N];
	for (int i = 0; i < N; i++)
		rec[i].line = lines[i];
	batch_init(&batch, rec, N, parse);

	pthread_t t[WORKERS];
	struct stripe s[WORKERS];
	for (int w = 0; w < WORKERS; w++) {
		s[w] = (struct stripe){ w, WORKERS };
		rl_spawn(&t[w], importer, &s[w]);
	}
	batch_wait(&batch);
	for (int i = 0; i < N; i++)
		ck_assert_msg(rec[i].status == want[i], "record %d (\"%s\") has status %d after batch_wait, expected %d",
			      i, lines[i], (int)rec[i].status, (int)want[i]);
	for (int w = 0; w < WORKERS; w++)
		rl_join(t[w]);
	batch_destroy(&batch);
}
END_TEST

/*
 * The shapes, each a batch of its own one after the other (repeated
 * init/wait/destroy): one record on one worker; every record skipped (the
 * latch must still reach zero); skipped lines first and last with a failing
 * one between, on an odd number of workers; more workers than records; and
 * a long batch on one worker. They hang a skip path that does not count, so
 * they come after the test whose hang is explained.
 */
START_TEST(every_shape)
{
	static const char *const one[] = { "3" };
	static const char *const all_skipped[] = { "", "# only comments", "" };
	static const char *const mixed[] = { "#head", "1", "2", "oops", "4", "", "6" };
	static const char *const few[] = { "8", "x" };
	static const char *const many[] = { "1", "", "3", "#", "5", "bad", "7", "8",
					    "9", "10", "?", "12", "13", "", "15", "16" };
	static const struct { const char *const *lines; int n, workers; } shapes[] = {
		{ one, 1, 1 }, { all_skipped, 3, 2 }, { mixed, 7, 3 },
		{ few, 2, 4 }, { many, 16, 1 }, { many, 16, 3 },
	};
	for (unsigned i = 0; i < shapes_to_run(sizeof shapes / sizeof shapes[0]); i++)
		run_batch(shapes[i].lines, shapes[i].n, shapes[i].workers);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("34-latch-miscount");
	TCase *tc = tcase_create("import");
	tcase_add_test(tc, every_record_imported);
	tcase_add_test(tc, failed_record_counted_once);
	tcase_add_test(tc, failed_record_finishes_last);
	tcase_add_test(tc, skipped_records_counted);
	tcase_add_test(tc, every_shape);
	suite_add_tcase(s, tc);
	return s;
}
