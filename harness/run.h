/* run.h: run one child safely: own process group and folder, limits, a deadline with a hook before the kill. */
#ifndef RUN_H
#define RUN_H

#include <sys/types.h>

struct run_spec {
	char **argv;            /* argv[0]: a path, or a name looked up in PATH */
	char **env;             /* NAME=value entries added to a small clean environment; NULL-terminated */
	const char *dir;        /* working directory, owned by the caller */
	double timeout_s;       /* wall clock; past it the watchdog fires */
	double idle_s;          /* and sooner if the whole tree used no CPU for this long (0: never) */
	/* and sooner still if every thread waited with no timeout (blocked.h) and no CPU was used for this long (0: never) */
	double blocked_s;
	long as_cap_mb;         /* address-space cap in MiB; 0 for none (never for TSan or Valgrind) */
	int untrusted;          /* learner's code: resource limits and no network */
	/*
	 * Called when the timeout (or idle time) runs out, before anything is killed: the
	 * watchdog attaches gdb here, while every thread still waits where it hung.
	 */
	void (*on_timeout)(pid_t root, void *arg);
	void *on_timeout_arg;
	const char *out_path;   /* the child's stdout and stderr go here (never parsed); NULL: /dev/null */
	const int *cancel;      /* if not NULL: once *cancel is nonzero the run is killed, error "cancelled" */
	const char *err_path;   /* stderr apart from stdout, when set */
	/*
	 * Own PID and mount namespaces, where this process may make them (root):
	 * a kill(-1) or a fork bomb reaches only this run, and whatever is left
	 * dies with it. With tmp_dir, a tmpfs of tmp_mb MiB is mounted there for
	 * the run only (point TMPDIR at it to cap the disk a run can fill).
	 */
	int isolate;
	const char *tmp_dir;
	long tmp_mb;
};

struct run_result {
	int exit_code;          /* -1 when killed by a signal */
	int signal;             /* the signal that ended it, 0 if none */
	int timed_out;          /* the watchdog fired */
	int pids_capped;        /* killed at its cap on processes and threads: a fork bomb */
	double wall_s, cpu_s;   /* cpu_s: user + system, with the children it reaped */
	long vol_switches;      /* voluntary context switches (blocking waits, sleeps) */
	double limit_s;         /* when timed_out: the timeout, or the idle time, that ran out */
	int idle;               /* when timed_out: 1 if no process used CPU for limit_s */
	int blocked;            /* when idle: every thread waited with no timeout all that time (blocked_s) */
	char *error;            /* set when the child could not be started */
};

/* Why a timed-out run was stopped: "the lab's 3 s timeout passed", "no thread used the CPU for 5 s", "every thread ... blocked". */
char *run_limit_text(const struct run_result *res);

/* Call once at start: become the subreaper that collects a run's orphans. */
void run_init(void);

/* Run spec's program to the end or the timeout. 0 when it ran (whatever its verdict). */
int run_child(const struct run_spec *spec, struct run_result *res);
void run_result_free(struct run_result *res);

/* Whether this process may make a network namespace for its children. */
int run_can_isolate_network(void);

#endif
