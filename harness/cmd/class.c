/* class.c: racelab grade-class: every submission of a class graded apart, several at once, into a gradebook. */
#include <csv.h>
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "jsonout.h"
#include "run.h"

/* The private tmpfs each submission's grading works in: builds, every run's folder, what it writes. */
enum { CLASS_TMP_MB = 512, CLASS_MAX_JOBS = 32 };

struct class_sub {
	char *id;               /* the folder's name */
	char *src, *json, *log; /* the folder; its results file; the grader's stderr */
	double seconds;
	char *error;            /* why the grading itself failed, or NULL */
};

struct class_ctx {
	const struct lab *lab;
	char self[PATH_MAX];    /* this racelab, run once per submission */
	char *tmproot;
	double timeout;
	struct class_sub *subs;
	int n, next, finished, tty;
	pthread_mutex_t lock;
};

static int class_cmp(const void *a, const void *b)
{
	return strcmp(((const struct class_sub *)a)->id, ((const struct class_sub *)b)->id);
}

/* Every subfolder of dir is one submission, sorted by its name. */
static int class_list(const char *dir, const char *out, struct class_sub **subs)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	*subs = NULL;
	while (d && (e = readdir(d))) {
		char *src = u_fmt("%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || !u_is_dir(src)) {
			free(src);
			continue;
		}
		*subs = u_xrealloc(*subs, sizeof **subs * (size_t)(n + 1));
		(*subs)[n++] = (struct class_sub){ .id = u_xstrdup(e->d_name), .src = src,
			.json = u_fmt("%s/%s.json", out, e->d_name), .log = u_fmt("%s/%s.log", out, e->d_name) };
	}
	if (d)
		closedir(d);
	if (n)
		qsort(*subs, (size_t)n, sizeof **subs, class_cmp);
	return d ? n : -1;
}

/* One submission: a child racelab grade on one core, in its own namespaces, cgroup and tmpfs. */
static void class_grade_one(struct class_ctx *c, struct class_sub *s, int index)
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

/* When the grading itself failed: a results file that says so, every gate an error, score 0. */
static json_t *class_failed(const struct lab *lab, const struct class_sub *s)
{
	struct result r = { .lab = u_xstrdup(lab->id), .title = u_xstrdup(lab->title), .label = u_xstrdup(s->id) };
	for (int g = 0; g < GATE_COUNT; g++) {
		r.gates[g].id = g;
		if (!lab->enabled[g])
			continue;
		r.order[r.ngates++] = g;
		r.gates[g].status = RESULT_ERROR;
		r.gates[g].reason = u_xstrdup(s->error);
	}
	result_score(&r, lab->points);
	json_t *doc = jsonout_result(&r);
	json_object_set_new(doc, "error", json_string(s->error));
	json_object_set_new(doc, "submission", json_string(s->id));
	char *text = json_dumps(doc, JSON_INDENT(2));
	if (text)
		u_write_file(s->json, text, strlen(text));
	free(text);
	result_free(&r);
	return doc;
}

/* The submission's results, from its file (rewritten when the grading failed). */
static json_t *class_results(const struct lab *lab, struct class_sub *s)
{
	json_error_t err;
	char *text = s->error ? NULL : u_slurp(s->json, NULL); /* read by racelab: opened close-on-exec */
	json_t *doc = text ? json_loads(text, 0, &err) : NULL;
	if (!text && !s->error)
		snprintf(err.text, sizeof err.text, "cannot read %s", s->json);
	free(text);
	if (!doc && !s->error)
		s->error = u_fmt("the grader wrote no results (%s)", err.text);
	return doc ? doc : class_failed(lab, s);
}

/* Numbers, marks and gate names as they are; a folder name quoted when it needs to be. */
static void class_field(FILE *f, const char *v, int last)
{
	if (strpbrk(v, ",\"\r\n"))
		csv_fwrite(f, v, strlen(v));
	else
		fputs(v, f);
	fputc(last ? '\n' : ',', f);
}

/* pass, fail or error: a gate that was not run (the build failed) counts as failed. */
static const char *class_mark(json_t *gates, const char *name)
{
	size_t i;
	json_t *g;
	json_array_foreach(gates, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "name")) ?: "", name)) {
			const char *st = json_string_value(json_object_get(g, "status")) ?: "error";
			return !strcmp(st, "skip") ? "fail" : st;
		}
	return "error";
}

/* id, score, max_score, one mark per gate, seconds: time is the only column that varies between runs. */
static int class_gradebook(const struct class_ctx *c, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	if (!f) {
		perror(path);
		return -1;
	}
	class_field(f, "id", 0);
	class_field(f, "score", 0);
	class_field(f, "max_score", 0);
	for (int g = 0; g < GATE_COUNT; g++)
		if (c->lab->enabled[g])
			class_field(f, gate_names[g], 0);
	class_field(f, "seconds", 1);
	for (int i = 0; i < c->n; i++) {
		struct class_sub *s = &c->subs[i];
		json_t *doc = class_results(c->lab, s);
		char num[32];
		class_field(f, s->id, 0);
		/* A score is fractional when a gate could not run (docs/grading.md): 4 digits keep it exact enough. */
		snprintf(num, sizeof num, "%.4g", json_number_value(json_object_get(doc, "score")));
		class_field(f, num, 0);
		snprintf(num, sizeof num, "%.4g", json_number_value(json_object_get(doc, "max_score")));
		class_field(f, num, 0);
		for (int g = 0; g < GATE_COUNT; g++)
			if (c->lab->enabled[g])
				class_field(f, class_mark(json_object_get(doc, "gates"), gate_names[g]), 0);
		snprintf(num, sizeof num, "%.1f", s->seconds);
		class_field(f, num, 1);
		json_decref(doc);
	}
	return f == stdout ? fflush(f) : fclose(f);
}

/* Long enough for every gate's every run to reach its own timeout: only a stuck grader passes it. */
static double class_timeout(const struct lab *lab)
{
	return 120 + lab->timeout_s * (lab->stress_runs + 30);
}

static void class_free(struct class_ctx *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->subs[i].id);
		free(c->subs[i].src);
		free(c->subs[i].json);
		free(c->subs[i].log);
		free(c->subs[i].error);
	}
	free(c->subs);
}

int class_cmd(const struct cli_opts *o)
{
	if (!o->lab || !o->arg || !o->csv) {
		fputs("racelab: grade-class needs --lab LAB, SUBMISSIONS_DIR and --csv FILE\n", stderr);
		return 1;
	}
	struct lab lab;
	if (cli_load(o->lab, &lab) != 0)
		return 1;
	char *out = o->out ? u_xstrdup(o->out) : u_fmt("racelab-results/%s", lab.id);
	char subs[PATH_MAX], outabs[PATH_MAX];
	struct class_ctx c = { .lab = &lab, .timeout = class_timeout(&lab), .tty = u_tty(2) };
	int rc = 1;
	ssize_t len = readlink("/proc/self/exe", c.self, sizeof c.self - 1);
	/* Absolute: each grading runs in a folder of its own. */
	if (len <= 0 || !realpath(o->arg, subs) || u_mkdirs(out) != 0 || !realpath(out, outabs) ||
	    (c.n = class_list(subs, outabs, &c.subs)) < 0) {
		fprintf(stderr, "racelab: cannot read %s or write %s\n", o->arg, out);
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
	rc = class_gradebook(&c, o->csv) == 0 ? 0 : 3;
	if (c.tty)
		fprintf(stderr, "%d submissions: gradebook %s, results in %s/\n", c.n, o->csv, out);
	pthread_mutex_destroy(&c.lock);
	u_rmtree(c.tmproot);
	free(c.tmproot);
done:
	class_free(&c);
	free(out);
	lab_free(&lab);
	return rc;
}
