/* run.c: run one child safely: own process group and folder, limits, watchdog. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "util.h"
#include "watchdog.h"

void run_init(void)
{
	/*
	 * A learner's program may fork children that outlive it. As subreaper we
	 * inherit them, so waitpid(-pgid) can still reap the whole group.
	 */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
}

int run_can_isolate_network(void)
{
	return geteuid() == 0;
}

/*
 * Every untrusted run gets a pids cgroup, where one can be made (root, cgroup
 * v1 or v2 with the pids controller): a fork bomb stops at RUN_PIDS_MAX
 * processes and threads, and the group lists every process to kill, however
 * it left the tree. Elsewhere the tree kill at the end is all there is.
 */
enum { RUN_PIDS_MAX = 256 };

/* The pids cgroup this process is in (v1, else v2), as a folder; NULL if none is mounted. */
static char *run_cg_self(void)
{
	char *self = u_slurp("/proc/self/cgroup", NULL), *save = NULL, *found = NULL;
	for (char *l = self ? strtok_r(self, "\n", &save) : NULL; l && !found; l = strtok_r(NULL, "\n", &save)) {
		char *path = strchr(l, ':') ? strchr(strchr(l, ':') + 1, ':') : NULL;
		if (path && strstr(l, ":pids:") && u_is_dir("/sys/fs/cgroup/pids"))
			found = u_fmt("/sys/fs/cgroup/pids%s", path + 1);
		else if (path && !strncmp(l, "0::", 3) && u_exists("/sys/fs/cgroup/cgroup.controllers"))
			found = u_fmt("/sys/fs/cgroup%s", path + 1);
	}
	free(self);
	return found;
}

/* A new pids cgroup below ours (so limits nest), or NULL where none can be made. */
static char *run_cg_make(void)
{
	static int seq;
	char *base = run_cg_self();
	if (!base)
		return NULL;
	char *dir = u_fmt("%s/racelab-%d-%d", base, (int)getpid(), __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	char *max = u_fmt("%s/pids.max", dir), *val = u_fmt("%d", RUN_PIDS_MAX);
	int ok = mkdir(dir, 0755) == 0;
	if (ok && u_write_file(max, val, strlen(val)) != 0) {
		rmdir(dir);
		ok = 0;
	}
	free(base);
	free(max);
	free(val);
	if (ok)
		return dir;
	free(dir);
	return NULL;
}

/* Whether a fork or thread in the cgroup was refused for the cap: a fork bomb, or close to one. */
static int run_cg_capped(const char *dir)
{
	char *path = u_fmt("%s/pids.events", dir), *ev = u_slurp(path, NULL);
	char *max = ev ? strstr(ev, "max ") : NULL;
	int capped = max && atol(max + 4) > 0;
	free(path);
	free(ev);
	return capped;
}

/*
 * Kill every process in the cgroup, and reap those handed to us, but skip
 * (the run itself, for wait4). Stop them all first: a process killed frees a
 * slot that a running one would fill with a new fork.
 */
static void run_cg_kill(const char *dir, pid_t skip)
{
	char *procs = u_fmt("%s/cgroup.procs", dir);
	for (int round = 0; round < 200; round++) {
		int left = 0;
		for (int pass = 0; pass < 3; pass++) {
			char *list = u_slurp(procs, NULL), *save = NULL;
			for (char *t = list ? strtok_r(list, "\n", &save) : NULL; t; t = strtok_r(NULL, "\n", &save)) {
				pid_t p = (pid_t)atol(t);
				kill(p, pass < 2 ? SIGSTOP : SIGKILL);
				if (pass == 2 && p != skip) {
					waitpid(p, NULL, WNOHANG);
					left++;
				}
			}
			free(list);
		}
		if (!left)
			break;
		usleep(1000);
	}
	free(procs);
}

/*
 * Kill whatever is left in the cgroup and remove it, nested ones first: a run
 * killed before it could remove its own (a grader inside grade-class) leaves one.
 */
static void run_cg_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "racelab-", 8)) {
			char *sub = u_fmt("%s/%s", dir, e->d_name);
			run_cg_remove(sub);
			free(sub);
		}
	if (d)
		closedir(d);
	for (int round = 0; round < 100 && rmdir(dir) != 0 && errno == EBUSY; round++) {
		run_cg_kill(dir, 0);
		usleep(2000);
	}
}

static void run_cg_drain(char *dir)
{
	if (dir)
		run_cg_remove(dir);
	free(dir);
}

static void run_limit(int what, rlim_t value)
{
	struct rlimit rl = { value, value };
	setrlimit(what, &rl);
}

/* The child's status, mirrored: its exit code, or death by the same signal. */
static void run_mirror(int status)
{
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

/*
 * New PID and mount namespaces. As root, at once; as another user, inside a
 * user namespace of our own first (where the kernel allows them to everyone),
 * which maps our uid and gid to themselves: files and ptrace see the same
 * user, and gdb outside may still attach. 0 when made.
 */
static int run_unshare(void)
{
	if (unshare(CLONE_NEWPID | CLONE_NEWNS) == 0)
		return 0;
	if (geteuid() == 0)
		return -1;
	char *uid = u_fmt("%d %d 1", (int)geteuid(), (int)geteuid());
	char *gid = u_fmt("%d %d 1", (int)getegid(), (int)getegid());
	/* setgroups must be denied before an unprivileged process may write gid_map. */
	int ok = unshare(CLONE_NEWUSER) == 0 && u_write_file("/proc/self/setgroups", "deny", 4) == 0 &&
		 u_write_file("/proc/self/uid_map", uid, strlen(uid)) == 0 &&
		 u_write_file("/proc/self/gid_map", gid, strlen(gid)) == 0;
	free(uid);
	free(gid);
	return ok ? unshare(CLONE_NEWPID | CLONE_NEWNS) : -1;
}

/*
 * Move into new PID and mount namespaces. This process stays outside the new
 * PID namespace and only mirrors its first child, the namespace's init, which
 * mounts a /proc of its own (so run_tree and gdb see the namespace's pids),
 * forks the one that goes on to exec, and ends as soon as that one does: the
 * kernel then kills whatever else is left inside. Returns in the process that
 * execs; returns at once, changing nothing, where namespaces cannot be made.
 */
static void run_isolate(const struct run_spec *spec, int errpipe)
{
	if (run_unshare() != 0)
		return;
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (spec->tmp_dir) {
		char *size = u_fmt("size=%ldm", spec->tmp_mb > 0 ? spec->tmp_mb : 256);
		mount("tmpfs", spec->tmp_dir, "tmpfs", MS_NOSUID | MS_NODEV, size);
		free(size);
		/* The working folder was entered before the mount: enter it again, on the tmpfs if it is one. */
		if (spec->dir && chdir(spec->dir) != 0)
			_exit(127);
	}
	int st[2];
	if (pipe(st) != 0)
		_exit(127);
	pid_t init = fork();
	if (init < 0)
		_exit(127);
	if (init > 0) {
		int status = 0, child = 0;
		close(errpipe);
		close(st[1]);
		waitpid(init, &status, 0);
		if (read(st[0], &child, sizeof child) == (ssize_t)sizeof child)
			run_mirror(child);
		run_mirror(status);
	}
	close(st[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* sent from the parent namespace, it ends even an init */
	mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	pid_t pid = fork();
	if (pid < 0)
		_exit(127);
	if (pid == 0) {
		close(st[1]);
		return;
	}
	close(errpipe);
	int status;
	pid_t w;
	while ((w = wait(&status)) != pid)
		if (w < 0 && errno != EINTR)
			_exit(127);
	if (write(st[1], &status, sizeof status) < 0)
		_exit(127);
	_exit(0);
}

static int run_open_out(const char *path)
{
	return path ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : open("/dev/null", O_WRONLY);
}

/*
 * In the child, between fork and exec. If exec fails, errno goes up the
 * close-on-exec pipe, so "could not start" is never confused with a program
 * that exits 127 on its own.
 */
static void run_in_child(const struct run_spec *spec, char **envp, int errpipe, const char *cg, pid_t parent)
{
	/* If racelab dies (Ctrl-C), its runs die with it rather than live on as orphans. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);
	if (spec->dir && chdir(spec->dir) != 0)
		_exit(127);
	int in = open("/dev/null", O_RDONLY);
	int out = run_open_out(spec->out_path);
	int err = spec->err_path ? run_open_out(spec->err_path) : out;
	if (in < 0 || out < 0 || err < 0)
		_exit(127);
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (spec->untrusted) {
		/* CPU time well past the wall timeout: the watchdog, not SIGXCPU, should end a hang. */
		run_limit(RLIMIT_CPU, (rlim_t)(spec->timeout_s * 4 + 30));
		run_limit(RLIMIT_FSIZE, 64UL << 20);
		run_limit(RLIMIT_NOFILE, 256);
		run_limit(RLIMIT_CORE, 0);
		if (cg) {
			char *procs = u_fmt("%s/cgroup.procs", cg);
			u_write_file(procs, "0", 1);
		}
		if (run_can_isolate_network())
			unshare(CLONE_NEWNET);
	}
	if (spec->isolate)
		run_isolate(spec, errpipe);
	if (spec->as_cap_mb > 0)
		run_limit(RLIMIT_AS, (rlim_t)spec->as_cap_mb << 20);
	execvpe(spec->argv[0], spec->argv, envp);
	int e = errno;
	if (write(errpipe, &e, sizeof e) < 0)
		_exit(127);
	_exit(127);
}

/* PATH, HOME, LANG and the spec's entries: nothing else leaks in from the caller's shell. */
static char **run_env(const struct run_spec *spec)
{
	int n = 0;
	while (spec->env && spec->env[n])
		n++;
	char **envp = u_xcalloc((size_t)n + 4, sizeof *envp);
	const char *path = getenv("PATH");
	envp[0] = u_fmt("PATH=%s", path ? path : "/usr/local/bin:/usr/bin:/bin");
	envp[1] = u_fmt("HOME=%s", spec->dir ? spec->dir : "/tmp");
	envp[2] = u_xstrdup("LC_ALL=C");
	for (int i = 0; i < n; i++)
		envp[3 + i] = u_xstrdup(spec->env[i]);
	return envp;
}

static void run_env_free(char **envp)
{
	for (int i = 0; envp[i]; i++)
		free(envp[i]);
	free(envp);
}

/* Wait up to ms for pid to end: a pidfd wakes us the moment it does. */
static void run_wait_a_little(int pidfd, int ms)
{
	if (pidfd >= 0) {
		struct pollfd p = { pidfd, POLLIN, 0 };
		poll(&p, 1, ms);
	} else {
		usleep((useconds_t)(ms < 5 ? ms : 5) * 1000);
	}
}

/* Every process on the machine with its parent, its CPU ticks so far, and its thread count. */
struct run_proc {
	pid_t pid, ppid;
	long ticks;
	char state;
};

static int run_procs(struct run_proc *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) && n < max) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], buf[1024];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* After the ")" that ends the command name: state ppid ... utime(14) stime(15) cutime cstime. */
		char *p = strrchr(buf, ')');
		long f[20] = { 0 };
		char state;
		if (!p || sscanf(p + 1, " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld %ld %ld", &state,
				 &f[0], &f[1], &f[2], &f[3], &f[4]) != 6)
			continue;
		out[n++] = (struct run_proc){ (pid_t)atol(e->d_name), (pid_t)f[0], f[1] + f[2] + f[3] + f[4], state };
	}
	if (d)
		closedir(d);
	return n;
}

int run_tree(pid_t root, pid_t *out, pid_t *parents, int max, long *ticks)
{
	enum { ALL = 32768 };
	struct run_proc *all = u_xmalloc(sizeof *all * ALL);
	int n = run_procs(all, ALL), k = 0;
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

/* Runs under way, so that a sweep for orphans leaves them alone. */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t run_active[64];

static void run_track(pid_t pid, int on)
{
	pthread_mutex_lock(&run_lock);
	for (int i = 0; i < 64; i++)
		if (on ? run_active[i] == 0 : run_active[i] == pid) {
			run_active[i] = on ? pid : 0;
			break;
		}
	pthread_mutex_unlock(&run_lock);
}

static int run_is_active(pid_t pid)
{
	int yes = 0;
	pthread_mutex_lock(&run_lock);
	for (int i = 0; i < 64; i++)
		yes |= run_active[i] == pid;
	pthread_mutex_unlock(&run_lock);
	return yes;
}

/* Stop the whole tree first (so nothing forks while we look), then kill it. */
static void run_kill_tree(pid_t root)
{
	enum { MAX = 4096 };
	pid_t *t = u_xmalloc(sizeof *t * MAX);
	for (int round = 0; round < 3; round++) {
		int n = run_tree(root, t, NULL, MAX, NULL);
		for (int i = 0; i < n; i++)
			kill(t[i], SIGSTOP);
		if (n <= 1 && round)
			break;
	}
	int n = run_tree(root, t, NULL, MAX, NULL);
	for (int i = 0; i < n; i++)
		kill(t[i], SIGKILL);
	free(t);
}

/*
 * A learner's process whose parent died was handed to us, the subreaper: kill
 * it and reap it. Only our direct children that are no run under way qualify.
 */
static void run_sweep_orphans(void)
{
	enum { ALL = 32768 };
	struct run_proc *all = u_xmalloc(sizeof *all * ALL);
	int n = run_procs(all, ALL);
	for (int i = 0; i < n; i++)
		if (all[i].ppid == getpid() && !run_is_active(all[i].pid)) {
			if (all[i].state != 'Z') /* a dead one (a fork bomb leaves hundreds) only needs reaping */
				run_kill_tree(all[i].pid);
			waitpid(all[i].pid, NULL, WNOHANG);
		}
	free(all);
}

char *run_limit_text(const struct run_result *res)
{
	if (res->idle)
		return u_fmt("no thread used the CPU for %.0f s (blocked for good)", res->limit_s);
	return u_fmt("still running when the %.0f s timeout passed", res->limit_s);
}

int run_child(const struct run_spec *spec, struct run_result *res)
{
	memset(res, 0, sizeof *res);
	char **envp = run_env(spec);
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) != 0) {
		res->error = u_fmt("pipe failed: %s", strerror(errno));
		run_env_free(envp);
		return -1;
	}
	char *cg = spec->untrusted ? run_cg_make() : NULL;
	double start = u_now();
	/* Tracked before another thread's sweep can see it as an orphan. */
	pthread_mutex_lock(&run_lock);
	pid_t self = getpid(), pid = fork();
	if (pid == 0)
		run_in_child(spec, envp, errpipe[1], cg, self);
	for (int i = 0; pid > 0 && i < 64; i++)
		if (run_active[i] == 0) {
			run_active[i] = pid;
			break;
		}
	pthread_mutex_unlock(&run_lock);
	if (pid < 0) {
		res->error = u_fmt("fork failed: %s", strerror(errno));
		run_env_free(envp);
		close(errpipe[0]);
		close(errpipe[1]);
		run_cg_drain(cg);
		return -1;
	}
	setpgid(pid, pid); /* also here, so the group exists before we ever signal it */
	run_env_free(envp);
	close(errpipe[1]);
	int exec_errno = 0;
	if (read(errpipe[0], &exec_errno, sizeof exec_errno) == (ssize_t)sizeof exec_errno)
		res->error = u_fmt("could not start %s: %s", spec->argv[0], strerror(exec_errno));
	close(errpipe[0]);

	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status = 0;
	struct rusage ru = { 0 };
	long ticks = -1;
	double idle_since = start;
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			res->error = u_fmt("wait failed: %s", strerror(errno));
			break;
		}
		if (spec->cancel && __atomic_load_n(spec->cancel, __ATOMIC_RELAXED)) {
			res->error = u_xstrdup("cancelled");
			if (cg)
				run_cg_kill(cg, pid);
			run_kill_tree(pid);
			wait4(pid, &status, 0, &ru);
			break;
		}
		double now = u_now(), left = spec->timeout_s - (now - start);
		if (spec->idle_s > 0) {
			/* A tree that burns no CPU for idle_s is blocked for good, whatever the tool. */
			long t;
			pid_t tree[256];
			run_tree(pid, tree, NULL, 256, &t);
			if (t != ticks)
				idle_since = now;
			ticks = t;
			if (now - idle_since >= spec->idle_s && left > 0) {
				left = 0;
				res->idle = 1;
			}
		}
		if (cg && run_cg_capped(cg)) {
			/* Killed at once: hundreds of processes spinning on fork slow the whole machine. */
			res->pids_capped = 1;
			run_cg_kill(cg, pid);
			run_kill_tree(pid);
			wait4(pid, &status, 0, &ru);
			break;
		}
		if (left <= 0) {
			res->timed_out = 1;
			res->limit_s = res->idle ? spec->idle_s : spec->timeout_s;
			if (spec->watchdog)
				wd_explain(pid, &res->hang, &res->hang_raw, &res->hang_kind);
			if (cg)
				run_cg_kill(cg, pid);
			run_kill_tree(pid);
			wait4(pid, &status, 0, &ru);
			break;
		}
		run_wait_a_little(pidfd, left > 0.1 ? 100 : (int)(left * 1000) + 1);
	}
	if (pidfd >= 0)
		close(pidfd);
	run_track(pid, 0);
	kill(-pid, SIGKILL); /* what is left of its group */
	run_cg_drain(cg);
	run_sweep_orphans();

	res->wall_s = u_now() - start;
	res->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	res->vol_switches = ru.ru_nvcsw;
	if (WIFEXITED(status)) {
		res->exit_code = WEXITSTATUS(status);
	} else {
		res->exit_code = -1;
		res->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
	return res->error ? -1 : 0;
}

void run_result_free(struct run_result *res)
{
	free(res->hang);
	free(res->hang_raw);
	free(res->error);
	memset(res, 0, sizeof *res);
}
