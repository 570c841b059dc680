/* class.c: racelab grade-class: every submission of a class graded apart, several at once, into a gradebook. */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gradebook.h"
#include "run.h"
#include "slurm.h"

/* The private tmpfs each submission's grading works in: builds, every run's folder, what it writes. */
enum { CLASS_TMP_MB = 512, CLASS_MAX_JOBS = 32 };

struct class_ctx {
	const struct lab *lab;
	char self[PATH_MAX];    /* this racelab, run once per submission */
	char *tmproot;
	double timeout;
	struct gradebook_sub *subs;
	int n, next, finished, tty;
	pthread_mutex_t lock;
};

/* One submission: a child racelab grade on one core, in its own namespaces, cgroup and tmpfs. */
static void class_grade_one(struct class_ctx *c, struct gradebook_sub *s, int index)
{
	char *tmp = u_fmt("%s/%d", c->tmproot, index);
	mkdir(tmp, 0700);
	char *argv[] = { c->self, "grade", "--lab", c->lab->id, "--src", s->src, "--jobs", "1",
			 "--format", "json", "--out", "-", NULL };
	char *env[] = { u_fmt("TMPDIR=%s", tmp), u_fmt("RACELAB_ROOT=%s", lab_root()), NULL };
	struct run_spec spec = { .argv = argv, .env = env, .dir = tmp, .timeout_s = c->timeout,
				 .untrusted = 1, .isolate = 1, .tmp_dir = tmp, .tmp_mb = CLASS_TMP_MB,
				 .out_path = s->json, .err_path = s->log };
	struct run_result res;
	run_child(&spec, &res);
	s->seconds = res.wall_s;
	if (res.error)
		s->error = u_xstrdup(res.error);
	else if (res.timed_out)
		s->error = u_fmt("grading took over %.0f s and was stopped", c->timeout);
	else if (res.pids_capped)
		s->error = u_xstrdup("grading made too many processes and was stopped");
	else if (res.signal)
		s->error = u_fmt("the grading process was killed by signal %d", res.signal);
	else if (res.exit_code > 2)
		s->error = u_fmt("the grading process failed (exit %d)", res.exit_code);
	run_result_free(&res);
	u_rmtree(tmp);
	free(tmp);
	free(env[0]);
	free(env[1]);
}

static void class_progress(struct class_ctx *c)
{
	enum { WIDTH = 30 };
	int fill = c->n ? c->finished * WIDTH / c->n : WIDTH;
	fprintf(stderr, "\rgrading %s [%.*s%*s] %d/%d", c->lab->id, fill, "##############################",
		WIDTH - fill, "", c->finished, c->n);
	if (c->finished == c->n)
		fputc('\n', stderr);
	fflush(stderr);
}

static void *class_worker(void *p)
{
	struct class_ctx *c = p;
	for (;;) {
		pthread_mutex_lock(&c->lock);
		int i = c->next++;
		pthread_mutex_unlock(&c->lock);
		if (i >= c->n)
			return NULL;
		class_grade_one(c, &c->subs[i], i);
		pthread_mutex_lock(&c->lock);
		c->finished++;
		if (c->tty)
			class_progress(c);
		pthread_mutex_unlock(&c->lock);
	}
}

/* Long enough for every gate's every run to reach its own timeout: only a stuck grader passes it. */
static double class_timeout(const struct lab *lab)
{
	return 120 + lab->timeout_s * (lab->stress_runs + 30);
}

int class_cmd(const struct cli_opts *o)
{
	if (!o->lab || !o->arg || (!o->csv == !o->slurm)) {
		fputs("racelab: grade-class needs --lab LAB, SUBMISSIONS_DIR and --csv FILE (or --slurm OUTDIR)\n", stderr);
		return 1;
	}
	struct lab lab;
	if (cli_load(o->lab, &lab) != 0)
		return 1;
	char *out = o->slurm ? u_fmt("%s/results", o->slurm) : o->out ? u_xstrdup(o->out) : u_fmt("racelab-results/%s", lab.id);
	char subs[PATH_MAX], outabs[PATH_MAX];
	struct class_ctx c = { .lab = &lab, .timeout = class_timeout(&lab), .tty = u_tty(2) };
	int rc = 1;
	ssize_t len = readlink("/proc/self/exe", c.self, sizeof c.self - 1);
	/* Absolute: each grading runs in a folder of its own. */
	if (len <= 0 || !realpath(o->arg, subs) || u_mkdirs(out) != 0 || !realpath(out, outabs) ||
	    (c.n = gradebook_list(subs, outabs, &c.subs)) < 0) {
		fprintf(stderr, "racelab: cannot read %s or write %s\n", o->arg, out);
		goto done;
	}
	if (o->slurm) { /* the tasks grade, each a class of one: here only their job array is written */
		rc = slurm_write(&lab, c.subs, c.n, o->slurm, c.timeout, c.self) == 0 ? 0 : 1;
		goto done;
	}
	if (!(c.tmproot = u_mkdtemp("class"))) {
		perror("racelab: a temporary folder for the class");
		goto done;
	}
	pthread_mutex_init(&c.lock, NULL);
	int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	jobs = jobs < 1 ? 1 : jobs > CLASS_MAX_JOBS ? CLASS_MAX_JOBS : jobs;
	pthread_t th[CLASS_MAX_JOBS];
	int started = 0;
	while (started < jobs && pthread_create(&th[started], NULL, class_worker, &c) == 0)
		started++;
	if (!started) /* no thread to be had: this one grades them all */
		class_worker(&c);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	rc = gradebook_write(&lab, c.subs, c.n, o->csv) == 0 ? 0 : 3;
	if (c.tty)
		fprintf(stderr, "%d submissions: gradebook %s, results in %s/\n", c.n, o->csv, out);
	pthread_mutex_destroy(&c.lock);
	u_rmtree(c.tmproot);
	free(c.tmproot);
done:
	gradebook_free(c.subs, c.n);
	free(out);
	lab_free(&lab);
	return rc;
}
