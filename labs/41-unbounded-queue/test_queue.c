/* test_queue.c: the Check suite of 41-unbounded-queue (do not edit). */
#include <check.h>
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "queue.h"
#include "racelab_test.h"

enum {
	CAPACITY = 8,      /* requests allowed to wait: 512 KiB */
	SPIKE = 2048,      /* requests in the traffic spike: 128 MiB if all of them wait */
	WINDOW_MS = 50,    /* how long the reader must sleep, held back, before the writer starts */
	MAX_WAKEUPS = 3,   /* wakeups allowed in that window: a thread that polls makes dozens */
	READERS = 3,       /* readers held back at once in the several-readers test */
};

/*
 * A thread that calls one queue function. The test needs to know when it sleeps
 * inside that call, so it records its thread id first.
 */
struct caller {
	struct queue *q;
	pid_t tid;
	sem_t started;     /* posted once tid is set */
	sem_t finished;    /* posted when the call returned */
	struct request got;
};

/*
 * Wait until the caller sleeps inside its call (true) or has returned from it
 * (false). Sleeping is what a correct queue does when it must wait; returning
 * means it did not wait.
 */
static bool sleeps_in_call(struct caller *c)
{
	for (;;) {
		if (sem_trywait(&c->finished) == 0) {
			sem_post(&c->finished);
			return false;
		}
		if (rl_thread_asleep(c->tid))
			return true;
		rl_sleep_ms(1);
	}
}

static void *pop_one(void *arg)
{
	struct caller *c = arg;
	c->tid = gettid();
	sem_post(&c->started);
	queue_pop(c->q, &c->got);
	sem_post(&c->finished);
	return NULL;
}

START_TEST(test_fifo_in_one_thread)
{
	struct queue *q = queue_new(CAPACITY);
	static struct request r;
	for (long i = 0; i < 3; i++) {
		r.id = i;
		queue_push(q, &r);
	}
	ck_assert_msg(queue_len(q) == 3, "pushed 3 requests, queue_len says %zu", queue_len(q));
	for (long i = 0; i < 3; i++) {
		queue_pop(q, &r);
		ck_assert_msg(r.id == i, "expected request %ld first, got request %ld", i, r.id);
	}
	ck_assert_msg(queue_len(q) == 0, "took every request, queue_len says %zu", queue_len(q));
	queue_free(q);
}
END_TEST

START_TEST(test_pop_waits_for_a_push)
{
	static struct caller c;
	c.q = queue_new(CAPACITY);
	sem_init(&c.started, 0, 0);
	sem_init(&c.finished, 0, 0);
	pthread_t t;
	rl_spawn(&t, pop_one, &c);
	sem_wait(&c.started);
	bool waited = sleeps_in_call(&c);
	if (!waited)
		rl_join(t);     /* join before failing, so TSan sees no leaked thread */
	ck_assert_msg(waited,
		      "queue_pop returned request %ld from an empty queue instead of waiting",
		      c.got.id);

	static struct request r = { .id = 7 };
	queue_push(c.q, &r);
	rl_join(t);
	ck_assert_msg(c.got.id == 7, "queue_pop woke up with request %ld, expected 7", c.got.id);
	queue_free(c.q);
}
END_TEST

/*
 * Every capacity from 1 to one past the tests' CAPACITY: odd, even, and not a
 * power of two. A queue that works for one size only (an index wrapped with a
 * mask, a constant of its own) fails here. One thread fills the queue, takes
 * half, fills it again, three times round, so the slots wrap at every size.
 */
START_TEST(test_every_capacity_wraps)
{
	static struct request r;
	for (size_t cap = 1; cap <= CAPACITY + 1; cap++) {
		struct queue *q = queue_new(cap);
		long in = 0, out = 0;
		for (int round = 0; round < 3; round++) {
			while (in - out < (long)cap) {
				r.id = in++;
				queue_push(q, &r);
			}
			ck_assert_msg(queue_len(q) == cap, "capacity %zu, filled: queue_len says %zu",
				      cap, queue_len(q));
			for (size_t k = 0; k < (cap + 1) / 2; k++, out++) {
				queue_pop(q, &r);
				ck_assert_msg(r.id == out, "capacity %zu: expected request %ld, got "
					      "request %ld: requests were lost or reordered", cap, out, r.id);
			}
		}
		for (; out < in; out++) {
			queue_pop(q, &r);
			ck_assert_msg(r.id == out, "capacity %zu: expected request %ld, got request %ld",
				      cap, out, r.id);
		}
		queue_free(q);
	}
}
END_TEST

/*
 * The spike the test sends: SPIKE in a plain run and under massif, which weighs the heap;
 * 100 requests under the other tools, for which copying 128 MiB takes seconds.
 */
static long spike;

/* The reader: pushes the whole spike as fast as queue_push lets it. */
struct reader {
	struct queue *q;
	pid_t tid;
	sem_t started;
	pthread_mutex_t lock;  /* guards pushed and done */
	long pushed;
	bool done;
};

static void *read_spike(void *arg)
{
	struct reader *rd = arg;
	static struct request r;   /* 64 KiB: kept off the thread's stack */
	rd->tid = gettid();
	sem_post(&rd->started);
	for (long i = 0; i < spike; i++) {
		r.id = i;
		r.len = sizeof r.body;
		queue_push(rd->q, &r);
		pthread_mutex_lock(&rd->lock);
		rd->pushed++;
		pthread_mutex_unlock(&rd->lock);
	}
	pthread_mutex_lock(&rd->lock);
	rd->done = true;
	pthread_mutex_unlock(&rd->lock);
	return NULL;
}

static long pushed_so_far(struct reader *rd, bool *done)
{
	pthread_mutex_lock(&rd->lock);
	long n = rd->pushed;
	*done = rd->done;
	pthread_mutex_unlock(&rd->lock);
	return n;
}

/*
 * The writer is stalled (its database is slow), so it takes nothing until the
 * reader has pushed the whole spike, or until the reader has slept inside
 * queue_push for a whole window without finishing a push: that is a bounded
 * queue holding it back. A reader that keeps waking up in that window polls.
 * Returns true when the reader has finished the whole spike.
 */
static bool wait_for_backpressure(struct reader *rd)
{
	bool done;
	for (;;) {
		long before = pushed_so_far(rd, &done);
		long sleeps0 = rl_thread_sleeps(rd->tid);
		if (done)
			return true;
		rl_sleep_ms(WINDOW_MS);
		long sleeps1 = rl_thread_sleeps(rd->tid);
		bool asleep = rl_thread_asleep(rd->tid);
		long after = pushed_so_far(rd, &done);
		if (done)
			return true;
		if (after == before && asleep) {
			ck_assert_msg(sleeps1 - sleeps0 <= MAX_WAKEUPS,
				      "the reader woke up %ld times in %d ms inside queue_push while the "
				      "queue was full: it polls; sleep until the writer makes room",
				      sleeps1 - sleeps0, WINDOW_MS);
			return false;
		}
	}
}

START_TEST(test_spike_is_held_back)
{
	static struct reader rd = { .lock = PTHREAD_MUTEX_INITIALIZER };
	spike = rl_scale(SPIKE);
	struct queue *q = rd.q = queue_new(CAPACITY);
	sem_init(&rd.started, 0, 0);
	pthread_t t;
	rl_spawn(&t, read_spike, &rd);
	sem_wait(&rd.started);
	bool joined = wait_for_backpressure(&rd);
	if (joined)
		rl_join(t);     /* the reader is done: join now, so a failure leaks no thread */

	size_t waiting = queue_len(q);
	ck_assert_msg(waiting <= CAPACITY,
		      "%zu requests were waiting in a queue of capacity %d: queue_push never made "
		      "the reader wait, so memory grows with the spike",
		      waiting, CAPACITY);

	static struct request r;
	bool checked = false, done;
	for (long i = 0; i < spike; i++) {
		if (!checked && (pushed_so_far(&rd, &done), done)) {
			checked = true;
			size_t left = queue_len(q);
			ck_assert_msg(left == (size_t)(spike - i),
				      "the reader pushed all %ld requests and the writer took %ld, "
				      "so %ld should be waiting, but %zu are: queue_push dropped requests",
				      spike, i, spike - i, left);
		}
		queue_pop(q, &r);
		ck_assert_msg(r.id == i, "expected request %ld, got request %ld: requests were lost "
			      "or reordered", i, r.id);
	}
	if (!joined)
		rl_join(t);
	queue_free(q);
}
END_TEST

static void *push_one(void *arg)
{
	struct caller *c = arg;
	rl_one_cpu(true);     /* no reader runs while the test pops */
	c->tid = gettid();
	sem_post(&c->started);
	queue_push(c->q, &c->got);      /* c->got holds the request to push */
	sem_post(&c->finished);
	return NULL;
}

/*
 * Several readers held back at once, as in a service with a reader per
 * connection: each pop makes room for one of them, so each pop must wake one.
 * A queue that wakes a reader only when the queue stops being full loses the
 * second wakeup of two quick pops, and that reader sleeps forever with room in
 * the queue: the test hangs and the watchdog shows it inside queue_push. Last in
 * the suite, since a hang ends the run.
 */
START_TEST(test_several_readers_held_back)
{
	static struct caller c[READERS];
	pthread_t t[READERS];
	static struct request r;
	struct queue *q = queue_new(2);
	rl_one_cpu(false);
	for (long i = 0; i < 2; i++) {
		r.id = i;
		queue_push(q, &r);
	}
	for (int i = 0; i < READERS; i++) {
		c[i].q = q;
		c[i].got.id = 100 + i;
		sem_init(&c[i].started, 0, 0);
		sem_init(&c[i].finished, 0, 0);
		rl_spawn(&t[i], push_one, &c[i]);
		sem_wait(&c[i].started);
	}
	/* Every reader asleep in queue_push; looked at twice, in case one was asleep on the lock. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < READERS; i++)
			rl_wait_until_asleep(c[i].tid);

	/* Two pops in a row (no reader runs in between): two readers must be woken. */
	bool seen[READERS] = { false };
	for (long i = 0; i < 2 + READERS; i++) {
		queue_pop(q, &r);
		if (i < 2) {
			ck_assert_msg(r.id == i, "expected request %ld, got request %ld", i, r.id);
			continue;
		}
		long k = r.id - 100;
		ck_assert_msg(k >= 0 && k < READERS && !seen[k],
			      "got request %ld: each reader's request must arrive once", r.id);
		seen[k] = true;
	}
	for (int i = 0; i < READERS; i++)
		rl_join(t[i]);
	queue_free(q);
}
END_TEST

enum { DROPPED = 42, OUT_OF_ORDER = 43 };

/* In a child process: CAPACITY pushes in one thread, the first call of arg's allocator failing, then the pops. */
static int push_out_of_memory(void *arg)
{
	const char *allocator = arg;
	struct queue *q = queue_new(CAPACITY);
	static struct request r;
	rl_fault_arm(allocator, 1, ENOMEM);
	for (long i = 0; i < CAPACITY; i++) {
		r.id = i;
		queue_push(q, &r);
	}
	rl_fault_disarm();
	/* Counted before popping: a pop of a request that is not there would wait forever. */
	if (queue_len(q) != CAPACITY)
		return DROPPED;
	for (long i = 0; i < CAPACITY; i++) {
		queue_pop(q, &r);
		if (r.id != i)
			return OUT_OF_ORDER;
	}
	queue_free(q);
	return 0;
}

/*
 * queue_push cannot report a failure (queue.h): out of memory, it ends the
 * program, as the shipped code does, and never drops the request. A queue that
 * allocates nothing in push passes as it is. In a child process, so that ending
 * the program is an allowed outcome; for malloc, calloc and realloc in turn.
 * Not under the schedules gate (it cannot follow the fork), nor under Valgrind,
 * whose gates weigh the suite's own process (massif's peak, memcheck's leaks).
 */
START_TEST(test_push_out_of_memory)
{
	static const char *const allocators[] = { "malloc", "calloc", "realloc" };
	if (rl_under_scheduler() || rl_under_valgrind() || rl_under_tool("massif"))
		return;
	for (unsigned i = 0; i < sizeof allocators / sizeof allocators[0]; i++) {
		int status = rl_run_apart(push_out_of_memory, (void *)allocators[i]);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)
			continue;	/* it ended the program, as allowed */
		ck_assert_msg(!WIFSIGNALED(status), "with queue_push's first %s failing, the queue crashed (signal %d)",
			      allocators[i], WTERMSIG(status));
		ck_assert_msg(WEXITSTATUS(status) != DROPPED,
			      "with queue_push's first %s failing, %d pushes left fewer than %d requests waiting: a "
			      "request was dropped; when an allocation fails, end the program instead", allocators[i], CAPACITY,
			      CAPACITY);
		ck_assert_msg(WEXITSTATUS(status) != OUT_OF_ORDER,
			      "with queue_push's first %s failing, the requests came out of order", allocators[i]);
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("41-unbounded-queue");
	TCase *tc = tcase_create("queue");
	tcase_add_test(tc, test_fifo_in_one_thread);
	tcase_add_test(tc, test_pop_waits_for_a_push);
	tcase_add_test(tc, test_every_capacity_wraps);
	tcase_add_test(tc, test_spike_is_held_back);
	tcase_add_test(tc, test_several_readers_held_back);
	tcase_add_test(tc, test_push_out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}
