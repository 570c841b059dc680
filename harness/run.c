/* run.c: run one child safely: own process group and folder, limits, a deadline with a hook before the kill. */
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

#include "blocked.h"
#include "run.h"
#include "proctree.h"
#include "util.h"

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

/* Other limits of an untrusted run: the largest file it may write, its open files, a tmpfs's default size. */
#define RUN_FILE_MAX ((rlim_t)64 << 20)
enum { RUN_FILES_MAX = 256, RUN_TMP_MB = 256 };

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

/*
 * Everything the child needs between fork and exec, made in the parent: the child of a
 * threaded process may only make async-signal-safe calls (no malloc, no stdio), since another
 * thread may have held malloc's lock at the fork. Every descriptor is O_CLOEXEC, so none
 * leaks into the learner's program.
 */
struct run_prep {
	char **envp;
	int in, out, err;       /* the child's stdin, stdout and stderr */
	int errpipe[2];         /* exec's errno, up a close-on-exec pipe */
	char *cg;               /* the run's pids cgroup, or NULL */
	char *cg_procs;         /* its cgroup.procs, to move the child in */
	char *uid_map, *gid_map;/* for a user namespace of our own */
	char *tmp_opts;         /* the tmpfs's mount options */
	rlim_t cpu_s;
	pid_t parent;
};

/* Write s to path with open and write only (async-signal-safe); 0 on success. */
static int run_put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = strlen(s);
	int ok = write(fd, s, n) == (ssize_t)n;
	close(fd);
	return ok ? 0 : -1;
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
static int run_unshare(const struct run_prep *p)
{
	if (unshare(CLONE_NEWPID | CLONE_NEWNS) == 0)
		return 0;
	if (geteuid() == 0)
		return -1;
	/* setgroups must be denied before an unprivileged process may write gid_map. */
	int ok = unshare(CLONE_NEWUSER) == 0 && run_put("/proc/self/setgroups", "deny") == 0 &&
		 run_put("/proc/self/uid_map", p->uid_map) == 0 && run_put("/proc/self/gid_map", p->gid_map) == 0;
	return ok ? unshare(CLONE_NEWPID | CLONE_NEWNS) : -1;
}

/*
 * Move into new PID and mount namespaces. This process stays outside the new
 * PID namespace and only mirrors its first child, the namespace's init, which
 * mounts a /proc of its own (so pt_tree and gdb see the namespace's pids),
 * forks the one that goes on to exec, and ends as soon as that one does: the
 * kernel then kills whatever else is left inside. Returns in the process that
 * execs; returns at once, changing nothing, where namespaces cannot be made.
 */
static void run_isolate(const struct run_spec *spec, const struct run_prep *p)
{
	if (run_unshare(p) != 0)
		return;
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (spec->tmp_dir) {
		mount("tmpfs", spec->tmp_dir, "tmpfs", MS_NOSUID | MS_NODEV, p->tmp_opts);
		/* The working folder was entered before the mount: enter it again, on the tmpfs if it is one. */
		if (spec->dir && chdir(spec->dir) != 0)
			_exit(127);
	}
	int st[2];
	if (pipe2(st, O_CLOEXEC) != 0)
		_exit(127);
	pid_t init = fork();
	if (init < 0)
		_exit(127);
	if (init > 0) {
		int status = 0, child = 0;
		close(p->errpipe[1]);
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
	close(p->errpipe[1]);
	int status;
	pid_t w;
	while ((w = wait(&status)) != pid)
		if (w < 0 && errno != EINTR)
			_exit(127);
	if (write(st[1], &status, sizeof status) < 0)
		_exit(127);
	_exit(0);
}

/*
 * In the child, between fork and exec: async-signal-safe calls only, on what
 * run_prepare made. If exec fails, errno goes up the close-on-exec pipe, so
 * "could not start" is never confused with a program that exits 127 on its own.
 */
static void run_in_child(const struct run_spec *spec, const struct run_prep *p)
{
	/* If racelab dies (Ctrl-C), its runs die with it rather than live on as orphans. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != p->parent)
		_exit(127);
	setpgid(0, 0);
	if (spec->dir && chdir(spec->dir) != 0)
		_exit(127);
	if (dup2(p->in, 0) < 0 || dup2(p->out, 1) < 0 || dup2(p->err, 2) < 0)
		_exit(127);
	/* The originals are close-on-exec already; closing them here keeps an init that never execs clean too. */
	close(p->in);
	close(p->out);
	if (p->err != p->out)
		close(p->err);
	if (spec->untrusted) {
		/* CPU time well past the wall timeout: the watchdog, not SIGXCPU, should end a hang. */
		run_limit(RLIMIT_CPU, p->cpu_s);
		run_limit(RLIMIT_FSIZE, RUN_FILE_MAX);
		run_limit(RLIMIT_NOFILE, RUN_FILES_MAX);
		run_limit(RLIMIT_CORE, 0);
		if (p->cg_procs)
			run_put(p->cg_procs, "0");
		if (run_can_isolate_network())
			unshare(CLONE_NEWNET);
	}
	if (spec->isolate)
		run_isolate(spec, p);
	if (spec->as_cap_mb > 0)
		run_limit(RLIMIT_AS, (rlim_t)spec->as_cap_mb << 20);
	execvpe(spec->argv[0], spec->argv, p->envp);
	int e = errno;
	if (write(p->errpipe[1], &e, sizeof e) < 0)
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

static int run_open_out(const char *path)
{
	return open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

static void run_unprepare(struct run_prep *p)
{
	for (int i = 0; p->envp && p->envp[i]; i++)
		free(p->envp[i]);
	free(p->envp);
	int fds[] = { p->in, p->out, p->err == p->out ? -1 : p->err, p->errpipe[0], p->errpipe[1] };
	for (size_t i = 0; i < NELEM(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	run_cg_drain(p->cg);
	free(p->cg_procs);
	free(p->uid_map);
	free(p->gid_map);
	free(p->tmp_opts);
	memset(p, 0, sizeof *p);
}

/* Make everything the child will need; 0 on success, else res->error says why. */
static int run_prepare(const struct run_spec *spec, struct run_prep *p, struct run_result *res)
{
	memset(p, 0, sizeof *p);
	p->in = p->out = p->err = p->errpipe[0] = p->errpipe[1] = -1;
	p->envp = run_env(spec);
	p->in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	p->out = run_open_out(spec->out_path);
	p->err = spec->err_path ? run_open_out(spec->err_path) : p->out;
	if (p->in < 0 || p->out < 0 || p->err < 0) {
		res->error = u_fmt("could not set up the run's files: %s", strerror(errno));
		run_unprepare(p);
		return -1;
	}
	p->cg = spec->untrusted ? run_cg_make() : NULL;
	p->cg_procs = p->cg ? u_fmt("%s/cgroup.procs", p->cg) : NULL;
	p->uid_map = u_fmt("%d %d 1", (int)geteuid(), (int)geteuid());
	p->gid_map = u_fmt("%d %d 1", (int)getegid(), (int)getegid());
	p->tmp_opts = u_fmt("size=%ldm", spec->tmp_mb > 0 ? spec->tmp_mb : RUN_TMP_MB);
	p->cpu_s = (rlim_t)(spec->timeout_s * 4 + 30);
	p->parent = getpid();
	return 0;
}

/*
 * The runs under way, so that a sweep for orphans leaves them alone. It grows
 * with the runs (there is no cap to fall past): a run missing from it could be
 * killed by another thread's sweep as an orphan.
 */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t *run_active;
static int run_nactive, run_capacity;

/* Called with run_lock held. */
static void run_track_locked(pid_t pid)
{
	if (run_nactive == run_capacity) {
		run_capacity = run_capacity ? run_capacity * 2 : 16;
		run_active = u_xrealloc(run_active, sizeof *run_active * (size_t)run_capacity);
	}
	run_active[run_nactive++] = pid;
}

static void run_untrack(pid_t pid)
{
	pthread_mutex_lock(&run_lock);
	for (int i = 0; i < run_nactive; i++)
		if (run_active[i] == pid) {
			run_active[i] = run_active[--run_nactive];
			break;
		}
	pthread_mutex_unlock(&run_lock);
}

static int run_is_active(pid_t pid)
{
	int yes = 0;
	pthread_mutex_lock(&run_lock);
	for (int i = 0; i < run_nactive; i++)
		yes |= run_active[i] == pid;
	pthread_mutex_unlock(&run_lock);
	return yes;
}

/*
 * A learner's process whose parent died was handed to us, the subreaper: kill
 * it and reap it. Only our direct children that are no run under way qualify.
 */
static void run_sweep_orphans(void)
{
	pid_t *kids = u_xmalloc(sizeof *kids * PT_SCAN_MAX);
	int *zombie = u_xmalloc(sizeof *zombie * PT_SCAN_MAX);
	int n = pt_children(getpid(), kids, zombie, PT_SCAN_MAX);
	for (int i = 0; i < n; i++)
		if (!run_is_active(kids[i])) {
			if (!zombie[i]) /* a dead one (a fork bomb leaves hundreds) only needs reaping */
				pt_kill_tree(kids[i]);
			waitpid(kids[i], NULL, WNOHANG);
		}
	free(kids);
	free(zombie);
}

char *run_limit_text(const struct run_result *res)
{
	if (res->blocked)
		return u_fmt("every thread waited with no timeout and none used the CPU for %.1f s (blocked for good)",
			     res->limit_s);
	if (res->idle)
		return u_fmt("no thread used the CPU for %.0f s (blocked for good)", res->limit_s);
	return u_fmt("still running when the %.0f s timeout passed", res->limit_s);
}

/* One run under way. */
struct run_ctl {
	pid_t pid;
	int pidfd;
	int status;
	struct rusage ru;
	double start;
};

/* Why a run ended, or why we end it. */
enum run_end { RUN_EXITED, RUN_CANCELLED, RUN_CAPPED, RUN_TIMED_OUT, RUN_LOST };

/* Fork the child and see it exec; 0 when it started. */
static int run_spawn(const struct run_spec *spec, struct run_prep *p, struct run_ctl *c, struct run_result *res)
{
	c->start = u_now();
	/*
	 * Tracked before another thread's sweep can see it as an orphan. The exec pipe's write end
	 * exists only under the lock, in this parent: a child forked for another run at the same time
	 * (an isolated run's mirror and init never exec, so close-on-exec never closes their copies)
	 * must not hold it, or this read waits for that run to end, and two such runs wait for each
	 * other for ever.
	 */
	pthread_mutex_lock(&run_lock);
	if (pipe2(p->errpipe, O_CLOEXEC) != 0) {
		pthread_mutex_unlock(&run_lock);
		res->error = u_fmt("could not make the run's pipe: %s", strerror(errno));
		return -1;
	}
	c->pid = fork();
	if (c->pid == 0)
		run_in_child(spec, p);
	if (c->pid > 0)
		run_track_locked(c->pid);
	close(p->errpipe[1]);
	p->errpipe[1] = -1;
	pthread_mutex_unlock(&run_lock);
	if (c->pid < 0) {
		res->error = u_fmt("fork failed: %s", strerror(errno));
		return -1;
	}
	setpgid(c->pid, c->pid); /* also here, so the group exists before we ever signal it */
	int exec_errno = 0;
	if (read(p->errpipe[0], &exec_errno, sizeof exec_errno) == (ssize_t)sizeof exec_errno)
		res->error = u_fmt("could not start %s: %s", spec->argv[0], strerror(exec_errno));
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	return 0;
}

/* Wait up to ms for the run to end: its pidfd wakes us the moment it does. */
static void run_wait_a_little(const struct run_ctl *c, int ms)
{
	if (c->pidfd >= 0) {
		struct pollfd p = { c->pidfd, POLLIN, 0 };
		poll(&p, 1, ms);
	} else {
		usleep((useconds_t)(ms < 5 ? ms : 5) * 1000);
	}
}

/*
 * Whether the whole tree used no CPU for spec->idle_s: blocked for good, whatever the tool.
 * Asked ten times a second, of the run's cgroup (its cgroup.procs, procs) where it has one:
 * a scan of every process on the machine each time was most of racelab's own CPU.
 */
static int run_idle(const struct run_spec *spec, const struct run_ctl *c, const char *procs, long *ticks,
		    double *since, double now)
{
	/* Only the CPU total matters; the tree's size does not limit what is counted. */
	enum { IDLE_TREE_MAX = 256 };
	pid_t tree[IDLE_TREE_MAX];
	long t = procs ? pt_group_ticks(procs) : -1;
	if (t < 0)
		pt_tree(c->pid, tree, NULL, IDLE_TREE_MAX, &t);
	if (t != *ticks)
		*since = now;
	*ticks = t;
	return now - *since >= spec->idle_s;
}

/*
 * Whether every thread of the tree has waited with no timeout (blocked.h), and no CPU moved,
 * for spec->blocked_s: nothing inside can wake it, so it is hung, however long its timeout.
 */
static int run_blocked(const struct run_spec *spec, const struct run_ctl *c, long *ticks, double *since, double now)
{
	struct blk_state s;
	blk_tree(c->pid, &s);
	long t = blk_stuck(&s) ? s.ticks : -1;
	if (t < 0 || t != *ticks)
		*since = now;
	*ticks = t;
	return t >= 0 && now - *since >= spec->blocked_s;
}

/* Until the run ends, is cancelled, hits its cap on processes, or runs out of time. */
static enum run_end run_wait(const struct run_spec *spec, const char *cg, struct run_ctl *c, struct run_result *res)
{
	long ticks = -1, bticks = -1;
	double idle_since = c->start, blocked_since = c->start;
	char procs[4096];
	if (cg)
		snprintf(procs, sizeof procs, "%s/cgroup.procs", cg);
	for (;;) {
		pid_t w = wait4(c->pid, &c->status, WNOHANG, &c->ru);
		if (w == c->pid)
			return RUN_EXITED;
		if (w < 0 && errno != EINTR) {
			res->error = u_fmt("wait failed: %s", strerror(errno));
			return RUN_LOST;
		}
		if (spec->cancel && __atomic_load_n(spec->cancel, __ATOMIC_RELAXED))
			return RUN_CANCELLED;
		if (cg && run_cg_capped(cg))
			return RUN_CAPPED;
		double now = u_now(), left = spec->timeout_s - (now - c->start);
		if (spec->idle_s > 0 && left > 0 && run_idle(spec, c, cg ? procs : NULL, &ticks, &idle_since, now)) {
			res->idle = 1;
			left = 0;
		}
		if (spec->blocked_s > 0 && left > 0 && run_blocked(spec, c, &bticks, &blocked_since, now)) {
			res->idle = res->blocked = 1;
			left = 0;
		}
		if (left <= 0)
			return RUN_TIMED_OUT;
		run_wait_a_little(c, left > 0.1 ? 100 : (int)(left * 1000) + 1);
	}
}

/* End a run for reason: the hook first on a timeout (gdb looks at the live threads), then kill and reap it all. */
static void run_stop(const struct run_spec *spec, const char *cg, struct run_ctl *c, enum run_end why,
		     struct run_result *res)
{
	if (why == RUN_EXITED || why == RUN_LOST)
		return;
	if (why == RUN_CANCELLED)
		res->error = u_xstrdup("cancelled");
	if (why == RUN_CAPPED) /* at once: hundreds of processes spinning on fork slow the whole machine */
		res->pids_capped = 1;
	if (why == RUN_TIMED_OUT) {
		res->timed_out = 1;
		res->limit_s = res->blocked ? spec->blocked_s : res->idle ? spec->idle_s : spec->timeout_s;
		if (spec->on_timeout)
			spec->on_timeout(c->pid, spec->on_timeout_arg);
	}
	if (cg)
		run_cg_kill(cg, c->pid);
	pt_kill_tree(c->pid);
	wait4(c->pid, &c->status, 0, &c->ru);
}

/* Whatever is left of the run goes; its times and how it ended go to res. */
static void run_finish(struct run_ctl *c, struct run_result *res)
{
	if (c->pidfd >= 0)
		close(c->pidfd);
	run_untrack(c->pid);
	kill(-c->pid, SIGKILL); /* what is left of its group */
	run_sweep_orphans();
	res->wall_s = u_now() - c->start;
	res->cpu_s = (double)c->ru.ru_utime.tv_sec + c->ru.ru_utime.tv_usec / 1e6 +
		     (double)c->ru.ru_stime.tv_sec + c->ru.ru_stime.tv_usec / 1e6;
	res->vol_switches = c->ru.ru_nvcsw;
	if (WIFEXITED(c->status)) {
		res->exit_code = WEXITSTATUS(c->status);
	} else {
		res->exit_code = -1;
		res->signal = WIFSIGNALED(c->status) ? WTERMSIG(c->status) : 0;
	}
}

int run_child(const struct run_spec *spec, struct run_result *res)
{
	memset(res, 0, sizeof *res);
	struct run_prep p;
	struct run_ctl c = { .pidfd = -1 };
	if (run_prepare(spec, &p, res) != 0)
		return -1;
	if (run_spawn(spec, &p, &c, res) == 0) {
		enum run_end why = run_wait(spec, p.cg, &c, res);
		run_stop(spec, p.cg, &c, why, res);
		run_finish(&c, res);
	}
	run_unprepare(&p); /* the cgroup goes here, after its last process */
	return res->error ? -1 : 0;
}

void run_result_free(struct run_result *res)
{
	free(res->error);
	memset(res, 0, sizeof *res);
}
