/* rl_test.c: thread helpers for the labs' Check suites (see racelab_test.h). */
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "racelab_test.h"

void rl_spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
	int rc = pthread_create(t, NULL, fn, arg);
	ck_assert_msg(rc == 0, "pthread_create failed: %s", strerror(rc));
}

void *rl_join(pthread_t t)
{
	void *ret = NULL;
	int rc = pthread_join(t, &ret);
	ck_assert_msg(rc == 0, "pthread_join failed: %s", strerror(rc));
	return ret;
}

struct rl_starter {
	pthread_barrier_t *start;
	void *(*fn)(void *);
	void *arg;
};

/*
 * Every thread waits at a one-shot start barrier before it calls fn: without it
 * the first thread can finish its whole loop before the last one is created,
 * and a race that needs overlap never overlaps. A barrier used once orders
 * nothing that comes after it, so the detectors still see every race in fn.
 */
static void *rl_start_then_run(void *p)
{
	struct rl_starter *s = p;
	pthread_barrier_wait(s->start);
	return s->fn(s->arg);
}

void rl_parallel(int n, void *(*fn)(void *), void *args, size_t stride)
{
	pthread_t *t = calloc((size_t)n, sizeof *t);
	struct rl_starter *s = calloc((size_t)n, sizeof *s);
	pthread_barrier_t start;
	ck_assert(t && s);
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		s[i] = (struct rl_starter){ &start, fn, (char *)args + (size_t)i * stride };
		rl_spawn(&t[i], rl_start_then_run, &s[i]);
	}
	for (int i = 0; i < n; i++)
		rl_join(t[i]);
	/* Destroyed only after every join: destroying right after the wait is a TSan false positive. */
	pthread_barrier_destroy(&start);
	free(s);
	free(t);
}

/* The lab's tool_scale (lab.ini [limits]), which the harness passes to the compiler; 50 where it sets none. */
#ifndef RL_TOOL_SCALE
#define RL_TOOL_SCALE 50
#endif

long rl_scale(long n)
{
	const char *tool = getenv("RACELAB_TOOL");
	/* massif weighs what the code holds at its peak: it needs the plain run's size. */
	if (!tool || !*tool || strcmp(tool, "massif") == 0)
		return n;
	return n / RL_TOOL_SCALE > 100 ? n / RL_TOOL_SCALE : (n < 100 ? n : 100);
}

bool rl_under_tool(const char *tool)
{
	const char *now = getenv("RACELAB_TOOL");
	return now && strcmp(now, tool) == 0;
}

bool rl_under_scheduler(void)
{
	return rl_under_tool("schedules");
}

bool rl_under_valgrind(void)
{
	return rl_under_tool("helgrind") || rl_under_tool("drd") || rl_under_tool("memcheck");
}

void rl_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int rl_run_apart(int (*body)(void *arg), void *arg)
{
	fflush(NULL);	/* or what stdio holds is written twice, once by each process */
	pid_t pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(body(arg) & 0xff);	/* _exit: the test's own atexit and Check's are the parent's */
	int status;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	ck_assert_msg(got == pid, "waitpid: %s", strerror(errno));
	return status;
}

/* The thread's line of the scheduler's view: its state letter and its voluntary sleeps. */
struct rl_task {
	char state;	/* 'S' asleep, 'R' running or runnable, ... */
	long sleeps;	/* voluntary context switches */
};

/* Read /proc/self/task/TID/status; false once the thread has exited (the file is gone). */
static bool rl_task_read(pid_t tid, struct rl_task *t)
{
	char path[64], line[128];
	snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return false;
	*t = (struct rl_task){ .state = 'X', .sleeps = -1 };
	while (fgets(line, sizeof line, f) != NULL) {
		sscanf(line, "State: %c", &t->state);
		sscanf(line, "voluntary_ctxt_switches: %ld", &t->sleeps);
	}
	fclose(f);
	return true;
}

bool rl_thread_asleep(pid_t tid)
{
	struct rl_task t;
	return rl_task_read(tid, &t) && t.state == 'S';
}

void rl_wait_until_asleep(pid_t tid)
{
	struct rl_task t;
	for (;;) {
		ck_assert_msg(rl_task_read(tid, &t) && t.state != 'Z',
			      "thread %d ended before it went to sleep", (int)tid);
		if (t.state == 'S')
			return;
		rl_sleep_ms(1);
	}
}

long rl_thread_sleeps(pid_t tid)
{
	struct rl_task t;
	return rl_task_read(tid, &t) ? t.sleeps : -1;
}

void rl_one_cpu(bool background)
{
	/*
	 * Plain runs only (the tests and stress gates): under a tool, which runs
	 * threads on locks of its own, a low-priority thread holding one only
	 * slows the run (measured: a correct pool hung under TSan at SCHED_IDLE).
	 */
	const char *tool = getenv("RACELAB_TOOL");
	if (tool && *tool)
		return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	(void)sched_setaffinity(0, sizeof one, &one);
	if (background)
		(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
}
