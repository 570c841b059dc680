/* proctree.c: the processes below a root, read from /proc. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctree.h"
#include "util.h"

/* One process: its parent, its CPU ticks so far (with its reaped children's), its state. */
struct pt_proc {
	pid_t pid, ppid;
	long ticks;
	char state;
};

/* One process as /proc/PID/stat tells it; 0 when it could be read. */
static int pt_read(const char *pid, struct pt_proc *out)
{
	char path[300], buf[1024];
	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	/* After the ")" that ends the command name: state ppid ... utime(14) stime(15) cutime cstime. */
	char *p = strrchr(buf, ')');
	long f[5] = { 0 };
	char state;
	if (!p || sscanf(p + 1, " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld %ld %ld", &state,
			 &f[0], &f[1], &f[2], &f[3], &f[4]) != 6)
		return -1;
	*out = (struct pt_proc){ (pid_t)atol(pid), (pid_t)f[0], f[1] + f[2] + f[3] + f[4], state };
	return 0;
}

/* Every process on the machine, at most max. */
static int pt_scan(struct pt_proc *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) && n < max)
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && pt_read(e->d_name, &out[n]) == 0)
			n++;
	if (d)
		closedir(d);
	return n;
}

long pt_group_ticks(const char *procs)
{
	char *list = u_slurp(procs, NULL), *save = NULL;
	long ticks = list ? 0 : -1;
	struct pt_proc p;
	for (char *t = list ? strtok_r(list, "\n", &save) : NULL; t; t = strtok_r(NULL, "\n", &save))
		if (pt_read(t, &p) == 0)
			ticks += p.ticks;
	free(list);
	return ticks;
}

int pt_tree(pid_t root, pid_t *out, pid_t *parents, int max, long *ticks)
{
	struct pt_proc *all = u_xmalloc(sizeof *all * PT_SCAN_MAX);
	int n = pt_scan(all, PT_SCAN_MAX), k = 0;
	if (ticks)
		*ticks = 0;
	/* Breadth first from root: a test may move itself to a new process group (Check's fork
	 * mode does), but it stays in the tree. */
	if (max > 0)
		out[k++] = root;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < n; j++) {
			if (all[j].pid == out[i] && ticks)
				*ticks += all[j].ticks;
			if (all[j].ppid == out[i] && k < max) {
				if (parents)
					parents[k] = out[i];
				out[k++] = all[j].pid;
			}
		}
	if (parents && max > 0)
		parents[0] = 0;
	free(all);
	return k;
}

long pt_tree_vm_kb(pid_t root)
{
	enum { VM_TREE_MAX = 256 }; /* a run's tree: a runner, the program, perhaps a child */
	pid_t t[VM_TREE_MAX];
	long kb = 0, pages;
	int n = pt_tree(root, t, NULL, VM_TREE_MAX, NULL);
	for (int i = 0; i < n; i++) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/statm", (int)t[i]);
		char *statm = u_slurp(path, NULL);
		if (statm && sscanf(statm, "%ld", &pages) == 1)
			kb += pages * (sysconf(_SC_PAGESIZE) / 1024);
		free(statm);
	}
	return kb;
}

void pt_kill_tree(pid_t root)
{
	/* A fork bomb stopped by its pids cgroup holds a few hundred; this is far past any run's. */
	enum { KILL_MAX = 4096 };
	pid_t *t = u_xmalloc(sizeof *t * KILL_MAX);
	for (int round = 0; round < 3; round++) {
		int n = pt_tree(root, t, NULL, KILL_MAX, NULL);
		for (int i = 0; i < n; i++)
			kill(t[i], SIGSTOP);
		if (n <= 1 && round)
			break;
	}
	int n = pt_tree(root, t, NULL, KILL_MAX, NULL);
	for (int i = 0; i < n; i++)
		kill(t[i], SIGKILL);
	free(t);
}

int pt_children(pid_t parent, pid_t *out, int *zombie, int max)
{
	struct pt_proc *all = u_xmalloc(sizeof *all * PT_SCAN_MAX);
	int n = pt_scan(all, PT_SCAN_MAX), k = 0;
	for (int i = 0; i < n && k < max; i++)
		if (all[i].ppid == parent) {
			if (zombie)
				zombie[k] = all[i].state == 'Z';
			out[k++] = all[i].pid;
		}
	free(all);
	return k;
}
