/* blocked.c: whether every thread of a process tree waits for good, read from /proc. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "blocked.h"
#include "proctree.h"
#include "util.h"

/* futex operations that block (the op without its PRIVATE and CLOCK_REALTIME flags). */
enum { BLK_FUTEX_WAIT = 0, BLK_FUTEX_LOCK_PI = 6, BLK_FUTEX_WAIT_BITSET = 9, BLK_FUTEX_WAIT_REQUEUE_PI = 11,
       BLK_FUTEX_LOCK_PI2 = 13, BLK_FUTEX_CMD_MASK = 127 };

int blk_line_waits(const char *line, char state)
{
	long nr;
	unsigned long a[6] = { 0 };
	/* "running", or "-1 sp pc" (stopped outside a syscall), or "nr a1 .. a6 sp pc" in hex. */
	if (state != 'S' || !line || sscanf(line, "%ld %lx %lx %lx %lx %lx %lx", &nr, &a[0], &a[1], &a[2], &a[3],
					    &a[4], &a[5]) != 7)
		return 0;
	if (nr == SYS_wait4 || nr == SYS_waitid)
		return 1;
	if (nr != SYS_futex)
		return 0;
	unsigned long op = a[1] & BLK_FUTEX_CMD_MASK;
	int blocks = op == BLK_FUTEX_WAIT || op == BLK_FUTEX_LOCK_PI || op == BLK_FUTEX_WAIT_BITSET ||
		     op == BLK_FUTEX_WAIT_REQUEUE_PI || op == BLK_FUTEX_LOCK_PI2;
	return blocks && a[3] == 0; /* the fourth argument is the timeout: none, so only a wake ends it */
}

/* The state letter of /proc/.../stat, after the ")" that ends the command name; '?' if unread. */
static char blk_state_letter(const char *stat_path)
{
	char *st = u_slurp(stat_path, NULL);
	char *p = st ? strrchr(st, ')') : NULL;
	char c = p && p[1] == ' ' ? p[2] : '?';
	free(st);
	return c;
}

/* Whether process pid may still be woken by a timer: it catches SIGALRM, or owns a POSIX timer. */
static int blk_has_timer(pid_t pid)
{
	char *path = u_fmt("/proc/%d/status", (int)pid), *st = u_slurp(path, NULL);
	char *cgt = st ? strstr(st, "\nSigCgt:") : NULL;
	unsigned long long caught = cgt ? strtoull(cgt + 8, NULL, 16) : 0;
	free(path);
	free(st);
	path = u_fmt("/proc/%d/timers", (int)pid);
	char *timers = u_slurp(path, NULL);
	int posix = timers && strstr(timers, "ID:") != NULL;
	free(path);
	free(timers);
	return posix || (caught >> (SIGALRM - 1) & 1);
}

/* Every thread of one process into s. */
static void blk_process(pid_t pid, struct blk_state *s)
{
	char *dir = u_fmt("/proc/%d/task", (int)pid);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char *stat = u_fmt("%s/%s/stat", dir, e->d_name), *sc = u_fmt("%s/%s/syscall", dir, e->d_name);
		char state = blk_state_letter(stat);
		char *line = state == '?' ? NULL : u_slurp(sc, NULL);
		if (state != 'Z' && state != 'X') { /* an ended thread waits for nothing */
			s->threads++;
			s->unreadable += state == '?' || !line;
			s->waiting += blk_line_waits(line, state);
		}
		free(line);
		free(stat);
		free(sc);
	}
	if (d)
		closedir(d);
	else
		s->unreadable++;
	s->timers += blk_has_timer(pid);
	free(dir);
}

void blk_tree(pid_t root, struct blk_state *s)
{
	/* A run's tree is a runner or two and the program, perhaps a child of it. */
	enum { BLK_TREE_MAX = 256 };
	pid_t tree[BLK_TREE_MAX];
	memset(s, 0, sizeof *s);
	int n = pt_tree(root, tree, NULL, BLK_TREE_MAX, &s->ticks);
	for (int i = 0; i < n; i++)
		blk_process(tree[i], s);
}

int blk_stuck(const struct blk_state *s)
{
	return s->threads > 0 && s->waiting == s->threads && !s->timers && !s->unreadable;
}
