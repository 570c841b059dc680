/* test_service.c: Check suite for 51-graceful-shutdown; each test runs the service in a child and SIGTERMs it. */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "service.h"
#include "racelab_test.h"

enum { WORKERS = 2, FIRST_JOBS = 8, MAX_JOBS = 1024 };
enum { DEADLINE_MS = 300 };     /* the service's own deadline, passed to service_wait */
enum { GRACE_MS = 3000 };       /* how long the test, like an orchestrator, waits before SIGKILL */
enum { EXIT_DRAINED = 40, EXIT_GAVE_UP = 41 };  /* the child's status: service_wait gave 0 / -1 */

/* How the jobs behave, and so when SIGTERM comes. */
enum mode {
	QUICK,  /* every job runs at once; SIGTERM comes when they all have, and the
		 * deadline is long past: a service may idle a long time before SIGTERM */
	HOLD,   /* jobs 0..WORKERS-1 stay running, the rest wait in the queue: SIGTERM comes then */
	FULL,   /* as HOLD, but the queue is full and the client is asleep in
		 * service_submit, waiting for room, when SIGTERM comes */
	INSIDE, /* as HOLD, and SIGTERM also lands on the client thread while it is
		 * inside the service (holding s->lock), as the kernel may deliver it */
	STUCK,  /* job 0 never finishes, and runs with cancellation disabled */
};

/* What the child did, in memory it shares with the test. */
struct journal {
	int offered;                    /* jobs 0..offered-1 were offered */
	bool accepted[MAX_JOBS];        /* service_submit returned 0 */
	int ran[MAX_JOBS];              /* how many times each job ran to its end */
	bool refused;                   /* service_submit returned -1 once */
};

static struct journal *jr;

/* ---- the child: the service, the jobs, and a client thread feeding it ---- */

static struct service svc;
static enum mode mode;
static int ready_fd;                /* the pipe that tells the test "send SIGTERM now" */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int holding;                 /* held jobs running right now */
static int finished;                /* jobs that ran to their end */
static bool gate_open;              /* held jobs may finish */
static pid_t client_tid;            /* the client thread, as the kernel knows it */

static bool is_held(int job)
{
	return (mode != QUICK && mode != STUCK && job < WORKERS) || (mode == STUCK && job == 0);
}

/* The service's workers call this for every job. */
static void run_job(int job)
{
	pthread_mutex_lock(&mu);
	if (is_held(job)) {
		/* A job may run with cancellation off (much library code is not
		 * cancel-safe): a service that cancels a stuck job must not hang on it. */
		if (mode == STUCK)
			pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		holding++;
		pthread_cond_broadcast(&changed);
		while (!gate_open)
			pthread_cond_wait(&changed, &mu);
		holding--;
	}
	jr->ran[job]++;
	finished++;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

/* Offer the next job: 0 accepted, -1 refused, 1 no job numbers left. */
static int offer(void)
{
	int job = jr->offered;          /* only this thread offers */
	if (job == MAX_JOBS)
		return 1;
	int rc = service_submit(&svc, job);
	pthread_mutex_lock(&mu);
	jr->offered = job + 1;
	if (rc == 0)
		jr->accepted[job] = true;
	else
		jr->refused = true;
	pthread_cond_broadcast(&changed);   /* the herald counts the offers (FULL) */
	pthread_mutex_unlock(&mu);
	return rc;
}

/* True when the service is where this test wants SIGTERM to hit it. Holds mu. */
static bool time_for_sigterm(int first)
{
	switch (mode) {
	case QUICK: return finished == first;
	case HOLD:
	case INSIDE: return holding == WORKERS;
	case FULL:  return holding == WORKERS && jr->offered == WORKERS + SERVICE_QUEUE_CAP;
	case STUCK: return holding == 1;
	}
	return false;
}

static void tell_the_test(void)
{
	if (write(ready_fd, "!", 1) != 1)
		_exit(2);
}

/*
 * INSIDE: deliver SIGTERM to this thread while it holds the service's lock, as
 * the kernel may when the signal comes while a client is in service_submit.
 * Only a service that lets this thread take SIGTERM (a handler, SIGTERM not
 * blocked here) gets it; one that blocks it for sigwait or signalfd is left alone.
 */
static void sigterm_inside_the_service(void)
{
	sigset_t mask;
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	if (sigismember(&mask, SIGTERM))
		return;
	pthread_mutex_lock(&svc.lock);
	pthread_kill(pthread_self(), SIGTERM);
	pthread_mutex_unlock(&svc.lock);
}

/* FULL: tells the test to send SIGTERM once the client is asleep in service_submit. */
static void *herald(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!time_for_sigterm(0))
		pthread_cond_wait(&changed, &mu);
	pthread_mutex_unlock(&mu);
	/* Job WORKERS + SERVICE_QUEUE_CAP is being offered: the queue is full, so the
	 * client sleeps in service_submit. Look twice: a first look may catch it in a
	 * short sleep on its way there. */
	rl_wait_until_asleep(client_tid);
	rl_sleep_ms(10);
	rl_wait_until_asleep(client_tid);
	tell_the_test();
	return NULL;
}

/* A client: offers jobs, lets the test send SIGTERM, keeps offering until refused. */
static void *client(void *arg)
{
	(void)arg;
	client_tid = (pid_t)syscall(SYS_gettid);
	int first = mode == STUCK ? 4 : mode == FULL ? 0 : FIRST_JOBS;
	for (int i = 0; i < first; i++)
		offer();

	if (mode != FULL) {
		pthread_mutex_lock(&mu);
		while (!time_for_sigterm(first))
			pthread_cond_wait(&changed, &mu);
		pthread_mutex_unlock(&mu);
		tell_the_test();
	}
	if (mode == INSIDE)
		sigterm_inside_the_service();

	/* Clients keep coming. A refusal is how we see that shutdown has begun;
	 * only then may the held jobs finish, so they are surely mid-work at SIGTERM. */
	while (offer() == 0)
		rl_sleep_ms(1);
	pthread_mutex_lock(&mu);
	if (mode != STUCK && jr->refused)
		gate_open = true;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* The child's main: a daemon's main, started in the given mode. Never returns. */
static void service_main(enum mode m, int fd)
{
	mode = m;
	ready_fd = fd;
	/* Start as a fresh process does: SIGTERM's default action, nothing blocked.
	 * Check's runner has a SIGTERM handler of its own, which fork would pass on
	 * and which would hide a thread that takes SIGTERM with the default action
	 * (the process dies at once). */
	signal(SIGTERM, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	service_start(&svc, WORKERS, run_job);
	pthread_t t, h;
	if (pthread_create(&t, NULL, client, NULL) != 0)
		_exit(3);
	if (m == FULL && pthread_create(&h, NULL, herald, NULL) != 0)
		_exit(3);
	int rc = service_wait(&svc, DEADLINE_MS);
	pthread_join(t, NULL);          /* the client stops at its first refusal */
	if (m == FULL)
		pthread_join(h, NULL);
	_exit(rc == 0 ? EXIT_DRAINED : EXIT_GAVE_UP);
}

/* ---- the test: start the child, SIGTERM it at the right moment, judge ---- */

struct outcome {
	bool exited;    /* by itself, within GRACE_MS of SIGTERM */
	int status;     /* from waitpid */
};

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static struct outcome run_and_terminate(enum mode m)
{
	jr = mmap(NULL, sizeof *jr, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_msg(jr != MAP_FAILED, "mmap failed");
	int fds[2];
	ck_assert_msg(pipe(fds) == 0, "pipe failed");
	pid_t pid = fork();
	ck_assert_msg(pid >= 0, "fork failed");
	if (pid == 0) {
		close(fds[0]);
		service_main(m, fds[1]);
	}
	close(fds[1]);

	struct pollfd ready = { .fd = fds[0], .events = POLLIN };
	char c;
	bool started = poll(&ready, 1, 5000) == 1 && read(fds[0], &c, 1) == 1;
	close(fds[0]);
	if (!started) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		ck_abort_msg("the service never got going: its first jobs did not run");
	}
	/* A service runs a long time before its SIGTERM: let the deadline pass
	 * first, so a deadline counted from anything but SIGTERM shows. */
	if (m == QUICK)
		rl_sleep_ms(DEADLINE_MS + 200);

	kill(pid, SIGTERM);
	struct outcome o = { false, 0 };
	for (long start = now_ms(); !o.exited; rl_sleep_ms(2)) {
		if (waitpid(pid, &o.status, WNOHANG) == pid)
			o.exited = true;
		else if (now_ms() - start > GRACE_MS)
			break;
	}
	if (!o.exited) {
		kill(pid, SIGKILL);
		waitpid(pid, &o.status, 0);
	}
	return o;
}

static void check_exited_in_time(struct outcome o)
{
	ck_assert_msg(o.exited,
		      "the service was still running %d ms after SIGTERM, so it was killed "
		      "(SIGKILL): after SIGTERM it must refuse new jobs, finish the accepted "
		      "ones and return from service_wait", GRACE_MS);
}

static void check_accepted_jobs_ran(void)
{
	int accepted = 0, lost = 0, twice = 0, refused_ran = 0;
	for (int j = 0; j < jr->offered; j++) {
		if (jr->accepted[j]) {
			accepted++;
			lost += jr->ran[j] == 0;
			twice += jr->ran[j] > 1;
		} else {
			refused_ran += jr->ran[j] != 0;
		}
	}
	ck_assert_msg(lost == 0,
		      "SIGTERM came with jobs running and queued: the service accepted %d "
		      "jobs and %d of them never ran. A graceful shutdown finishes every job "
		      "it accepted", accepted, lost);
	ck_assert_msg(twice == 0, "%d accepted jobs ran more than once", twice);
	ck_assert_msg(refused_ran == 0, "%d jobs ran although service_submit refused them",
		      refused_ran);
}

static void check_status(struct outcome o, int expected)
{
	int st = WIFEXITED(o.status) ? WEXITSTATUS(o.status) : -1;
	ck_assert_msg(st == EXIT_DRAINED || st == EXIT_GAVE_UP,
		      "the service's process ended (%s %d) without service_wait returning: "
		      "something called exit() or died in the middle of the work (a signal "
		      "handler?)", WIFEXITED(o.status) ? "exit status" : "signal",
		      WIFEXITED(o.status) ? st : WTERMSIG(o.status));
	ck_assert_msg(st == expected, "%s", expected == EXIT_DRAINED
		      ? "service_wait returned -1, though every job could finish well before its deadline"
		      : "service_wait returned 0, though job 0 never finished: past its deadline it must return -1");
}

/* In HOLD mode the held jobs finish only after a refusal, so this holds whenever
 * the rest passed; it is here to say so plainly. */
static void check_intake_closed(void)
{
	ck_assert_msg(jr->refused,
		      "after SIGTERM the service went on accepting every job (%d offered): "
		      "shutdown must close the intake, service_submit returning -1",
		      jr->offered);
}

START_TEST(sigterm_when_idle_exits_cleanly)
{
	struct outcome o = run_and_terminate(QUICK);
	check_exited_in_time(o);
	check_accepted_jobs_ran();
	check_status(o, EXIT_DRAINED);
}
END_TEST

START_TEST(sigterm_mid_work_finishes_accepted_jobs)
{
	struct outcome o = run_and_terminate(HOLD);
	check_exited_in_time(o);
	check_accepted_jobs_ran();
	check_status(o, EXIT_DRAINED);
	check_intake_closed();
}
END_TEST

START_TEST(sigterm_with_a_full_queue_closes_intake)
{
	struct outcome o = run_and_terminate(FULL);
	ck_assert_msg(o.exited,
		      "SIGTERM came while a client slept in service_submit, waiting for room in "
		      "the full queue, and the service was still running %d ms later: a "
		      "submitter woken by shutdown must look at it again and refuse", GRACE_MS);
	check_accepted_jobs_ran();
	check_status(o, EXIT_DRAINED);
	check_intake_closed();
}
END_TEST

START_TEST(sigterm_on_a_thread_inside_the_service)
{
	struct outcome o = run_and_terminate(INSIDE);
	ck_assert_msg(o.exited,
		      "SIGTERM landed on a client thread while it held s->lock (inside "
		      "service_submit), and the service was still running %d ms later: a "
		      "signal handler that takes a lock deadlocks on the thread that holds it",
		      GRACE_MS);
	check_accepted_jobs_ran();
	check_status(o, EXIT_DRAINED);
	check_intake_closed();
}
END_TEST

START_TEST(stuck_job_does_not_block_exit)
{
	struct outcome o = run_and_terminate(STUCK);
	ck_assert_msg(o.exited,
		      "with job 0 stuck for ever (and cancellation disabled in it), the service "
		      "was still running %d ms after SIGTERM: service_wait must give up after its "
		      "%d ms deadline and return -1, without waiting for (joining) the stuck worker",
		      GRACE_MS, DEADLINE_MS);
	check_status(o, EXIT_GAVE_UP);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("51-graceful-shutdown");
	TCase *tc = tcase_create("shutdown");
	tcase_add_test(tc, sigterm_when_idle_exits_cleanly);
	tcase_add_test(tc, sigterm_mid_work_finishes_accepted_jobs);
	tcase_add_test(tc, sigterm_with_a_full_queue_closes_intake);
	tcase_add_test(tc, sigterm_on_a_thread_inside_the_service);
	tcase_add_test(tc, stuck_job_does_not_block_exit);
	suite_add_tcase(s, tc);
	return s;
}
