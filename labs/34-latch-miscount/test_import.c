/* test_import.c: Check suite for 34-latch-miscount; the tests own the workers and hold one record back. */
#include <stdlib.h>

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

static int parse(const char *line, long *value)
{
	if (line == held_line)
		hold_back();
	char *end;
	long v = strtol(line, &end, 10);
	if (end == line || *end != '\0')
		return -1;
	*value = v;
	return 0;
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

/* Hangs on the shipped code, so it runs last. */
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

Suite *lab_suite(void)
{
	Suite *s = suite_create("34-latch-miscount");
	TCase *tc = tcase_create("import");
	tcase_add_test(tc, every_record_imported);
	tcase_add_test(tc, failed_record_counted_once);
	tcase_add_test(tc, skipped_records_counted);
	suite_add_tcase(s, tc);
	return s;
}
