/* test_spawn.c: Check suite for 25-fork-locked; the tests own the threads that share the journal. */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"
#include "racelab_test.h"
#include "spawn.h"

#define BUSY_LINE "nightly export: 4096 rows written"

/* Everything read back from the journal's pipe (a full pipe of padding included). */
static char got[1 << 18];
static size_t got_len;

/* How many journal lines end in text. */
static int count_lines(const char *text)
{
	int n = 0;
	size_t len = strlen(text);
	for (char *p = got; (p = strstr(p, text)) != NULL; p += len)
		if (p[len] == '\n')
			n++;
	return n;
}

static void read_to_eof(int fd)
{
	ssize_t n;
	while (got_len < sizeof got - 1 &&
	       ((n = read(fd, got + got_len, sizeof got - 1 - got_len)) > 0 ||
		(n < 0 && errno == EINTR)))
		if (n > 0)
			got_len += (size_t)n;
	got[got_len] = '\0';
}

/* How many journal lines say "helper NAME started" from process pid: the helper writes its own. */
static int helper_lines(pid_t pid, const char *name)
{
	char line[128];
	snprintf(line, sizeof line, "[%d] helper %s started", (int)pid, name);
	return count_lines(line);
}

/* Wait for the helper and check it exited normally with status 0. */
static void check_helper_exit(pid_t pid)
{
	int status;
	ck_assert_msg(pid > 0, "spawn_helper returned %d: fork failed", (int)pid);
	while (waitpid(pid, &status, 0) == -1)
		ck_assert_msg(errno == EINTR, "waitpid: %s", strerror(errno));
	ck_assert_msg(!WIFSIGNALED(status), "the helper was killed by signal %d (%s)",
		      WTERMSIG(status), strsignal(WTERMSIG(status)));
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the helper exited with status %d; expected 0", WEXITSTATUS(status));
}

/* A quiet service: no other thread is writing. The helper's own line arrives once. */
START_TEST(helper_writes_its_line)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	journal_open(p[1]);

	pid_t pid = spawn_helper("backup");
	check_helper_exit(pid);
	journal_write("parent still writing");	/* the journal must still work in the parent */
	close(p[1]);
	read_to_eof(p[0]);
	close(p[0]);

	ck_assert_msg(helper_lines(pid, "backup") == 1,
		      "expected the line \"[%d] helper backup started\" once in the journal (written "
		      "by the helper, pid %d), found it %d times (and \"helper backup started\" "
		      "from any process %d times)", (int)pid, (int)pid, helper_lines(pid, "backup"),
		      count_lines("helper backup started"));
	ck_assert_msg(count_lines("parent still writing") == 1,
		      "the parent's own line after the fork is missing from the journal");
}
END_TEST

/*
 * Two helpers, one after another, from one process: whatever spawn_helper
 * sets up for fork() must work the second time too (a setup done on every
 * call stacks up). Two, not more: each fork under Valgrind is slow.
 */
START_TEST(helpers_one_after_another)
{
	static const char *names[] = { "backup", "compress" };
	pid_t pid[2];
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	journal_open(p[1]);

	for (int i = 0; i < 2; i++) {
		pid[i] = spawn_helper(names[i]);
		check_helper_exit(pid[i]);
	}
	journal_write("parent still writing");
	close(p[1]);
	read_to_eof(p[0]);
	close(p[0]);

	for (int i = 0; i < 2; i++)
		ck_assert_msg(helper_lines(pid[i], names[i]) == 1,
			      "helper %d of 2 (\"%s\", pid %d): its line is in the journal %d times; "
			      "expected once", i + 1, names[i], (int)pid[i], helper_lines(pid[i], names[i]));
	ck_assert_msg(count_lines("parent still writing") == 1,
		      "the parent's own line after two helpers is missing from the journal");
}
END_TEST

/*
 * fork() fails (EAGAIN: too many processes), which a service must survive:
 * spawn_helper returns -1, no helper line is logged (there is no helper), and
 * the journal still works: whatever was taken for the fork is given back.
 */
START_TEST(a_failed_fork_leaves_the_journal_working)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	journal_open(p[1]);

	rl_fault_arm("fork", 1, EAGAIN);
	pid_t pid = spawn_helper("backup");
	if (!rl_fault_fired()) {	/* started without fork(): no failure to make */
		check_helper_exit(pid);
		close(p[1]);
		close(p[0]);
		return;
	}
	rl_fault_disarm();
	ck_assert_msg(pid == -1, "spawn_helper returned %d although fork failed; expected -1", (int)pid);
	journal_write("parent still writing");	/* hangs if the fork left the journal locked */
	close(p[1]);
	read_to_eof(p[0]);
	close(p[0]);
	ck_assert_msg(count_lines("helper backup started") == 0,
		      "\"helper backup started\" is in the journal although no helper started "
		      "(fork failed): the helper writes its own line");
	ck_assert_msg(count_lines("parent still writing") == 1,
		      "after a failed fork the parent's own line is missing from the journal");
}
END_TEST

static void sem_wait_intr(sem_t *s)
{
	while (sem_wait(s) == -1 && errno == EINTR)
		;
}

/* Fill the pipe until one more byte would not fit, with newlines (blank journal lines). */
static void fill_pipe(int wr)
{
	char pad[4096];
	memset(pad, '\n', sizeof pad);
	int flags = fcntl(wr, F_GETFL);
	fcntl(wr, F_SETFL, flags | O_NONBLOCK);
	while (write(wr, pad, sizeof pad) > 0)
		;
	while (write(wr, pad, 1) > 0)
		;
	fcntl(wr, F_SETFL, flags);
}

struct busy {
	int rd;			/* read end of the journal's pipe */
	pid_t writer_tid, main_tid;
	sem_t writer_ready;	/* the writer knows its tid and is about to write */
	sem_t forking;		/* the main thread is about to call spawn_helper */
};

/* Another thread of the service writes a line; the pipe is full, so it waits inside the lock. */
static void *busy_writer(void *arg)
{
	struct busy *b = arg;
	b->writer_tid = gettid();
	sem_post(&b->writer_ready);
	journal_write(BUSY_LINE);
	return NULL;
}

/*
 * Is thread tid asleep in a blocking call that is not a plain sleep
 * (nanosleep, clock_nanosleep)? /proc/self/task/TID/syscall names the call a
 * sleeping thread is in. A sleep is no sign that the fork has started: code
 * that naps before it forks must not be taken for code blocked inside fork().
 */
static bool asleep_not_napping(pid_t tid)
{
	char path[64];
	long nr = -1;
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s: %s", path, strerror(errno));
	if (fscanf(f, "%ld", &nr) != 1)
		nr = -1;	/* "running" */
	fclose(f);
	return nr >= 0 && nr != SYS_nanosleep && nr != SYS_clock_nanosleep && rl_thread_asleep(tid);
}

/*
 * The journal's reader, slow on purpose. It starts reading only once the fork
 * has certainly happened or certainly cannot happen yet: when the main thread
 * sleeps after it has started to fork (blocked inside fork(), or waiting for
 * the helper; a nap before the fork does not count). Until then the writer stays stuck inside the journal's lock.
 */
static void *slow_reader(void *arg)
{
	struct busy *b = arg;
	sem_wait_intr(&b->forking);
	while (!asleep_not_napping(b->main_tid))
		rl_sleep_ms(1);
	read_to_eof(b->rd);
	return NULL;
}

/*
 * The forced order: another thread is inside journal_write, holding the
 * journal's lock (it waits for the full pipe), at the moment the main thread
 * forks the helper. The child gets a copy of the lock as it was: held, by a
 * thread that does not exist in the child. A helper that then writes to the
 * journal waits for that lock forever, and so does whoever waits for the
 * helper. This test hangs on the shipped code, so it runs last.
 */
START_TEST(fork_while_another_thread_writes)
{
	static struct busy b;
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	fill_pipe(p[1]);
	journal_open(p[1]);
	b.rd = p[0];
	b.main_tid = gettid();
	sem_init(&b.writer_ready, 0, 0);
	sem_init(&b.forking, 0, 0);

	pthread_t writer, reader;
	rl_spawn(&writer, busy_writer, &b);
	sem_wait_intr(&b.writer_ready);
	rl_wait_until_asleep(b.writer_tid);	/* in write(), inside journal_write, lock held */
	rl_spawn(&reader, slow_reader, &b);

	sem_post(&b.forking);
	pid_t pid = spawn_helper("backup");
	check_helper_exit(pid);
	rl_join(writer);
	close(p[1]);
	rl_join(reader);
	close(p[0]);

	int busy = count_lines(BUSY_LINE), helper = helper_lines(pid, "backup");
	ck_assert_msg(busy == 1, "the other thread's line \"" BUSY_LINE "\" is in the journal %d "
		      "times; expected once. The helper found it half-written in its copy of the "
		      "journal and wrote it out again: whoever unlocks a lock it does not own also "
		      "takes over the owner's unfinished work", busy);
	ck_assert_msg(helper == 1, "expected the line \"[%d] helper backup started\" (written by "
		      "the helper) once in the journal, found it %d times", (int)pid, helper);
	sem_destroy(&b.writer_ready);
	sem_destroy(&b.forking);
}
END_TEST

/*
 * The check-then-fork window: the journal looked free a moment ago, and
 * another thread takes it just before the fork. The journal's hooks make that
 * moment certain: the first time the main thread lets the journal's lock go
 * (inside spawn_helper), the other thread is let in, and the main thread goes
 * on only once the other holds the lock; the other holds it until the main
 * thread sleeps in a blocking call (waiting for its helper, or blocked in the
 * fork), a second at most. A spawn_helper that forks while another thread may
 * hold the lock hands the helper a lock nobody in it will ever let go.
 */
static struct window {
	pid_t pid, main_tid, other_tid;
	sem_t ready;		/* the other thread knows its tid */
	sem_t let_in;		/* posted once: the other thread may write */
	atomic_bool opened;	/* let_in was posted */
	atomic_bool other_holds;
} win;

static void main_let_go(void)
{
	if (getpid() != win.pid || gettid() != win.main_tid || atomic_exchange(&win.opened, true))
		return;
	sem_post(&win.let_in);
	for (int ms = 0; ms < 1000 && !atomic_load(&win.other_holds); ms++)
		rl_sleep_ms(1);
}

static void other_took(void)
{
	if (getpid() != win.pid || gettid() != win.other_tid)
		return;
	atomic_store(&win.other_holds, true);
	for (int ms = 0; ms < 1000 && !asleep_not_napping(win.main_tid); ms++)
		rl_sleep_ms(1);
}

static void *other_writer(void *arg)
{
	(void)arg;
	win.other_tid = gettid();
	sem_post(&win.ready);
	sem_wait_intr(&win.let_in);
	journal_write("log rotated");
	return NULL;
}

START_TEST(another_thread_writes_just_before_the_fork)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	journal_open(p[1]);
	win.pid = getpid();
	win.main_tid = gettid();
	sem_init(&win.ready, 0, 0);
	sem_init(&win.let_in, 0, 0);
	pthread_t other;
	rl_spawn(&other, other_writer, NULL);
	sem_wait_intr(&win.ready);
	journal_on_locked = other_took;
	journal_on_unlocked = main_let_go;

	pid_t pid = spawn_helper("backup");
	check_helper_exit(pid);
	if (!atomic_exchange(&win.opened, true))
		sem_post(&win.let_in);	/* spawn_helper never let the lock go: the other writes now */
	rl_join(other);
	journal_on_locked = journal_on_unlocked = NULL;
	close(p[1]);
	read_to_eof(p[0]);
	close(p[0]);
	ck_assert_msg(helper_lines(pid, "backup") == 1 && count_lines("log rotated") == 1,
		      "expected the helper's line and the other thread's \"log rotated\" once each in the "
		      "journal; found %d and %d", helper_lines(pid, "backup"), count_lines("log rotated"));
	sem_destroy(&win.ready);
	sem_destroy(&win.let_in);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("25-fork-locked");
	TCase *tc = tcase_create("spawn");
	tcase_add_test(tc, helper_writes_its_line);
	tcase_add_test(tc, helpers_one_after_another);
	tcase_add_test(tc, a_failed_fork_leaves_the_journal_working);
	tcase_add_test(tc, fork_while_another_thread_writes);
	tcase_add_test(tc, another_thread_writes_just_before_the_fork);
	suite_add_tcase(s, tc);
	return s;
}
