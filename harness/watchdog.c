/* watchdog.c: explain a hung process group from gdb's view of every thread. */
#include <dirent.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctree.h"
#include "run.h"
#include "util.h"
#include "watchdog.h"

/* One thread as hangview.py saw it. */
struct wd_thread {
	long pid, lwp;
	int num;
	const char *kind;       /* mutex, barrier, cond, join, sem, child, sleep, running */
	char *obj;              /* the waited-for object's name, as the learner's code says it */
	const char *addr;
	long owner, count, target;
	char *cond_mutex;
	char *where;            /* "transfer (bank.c:31)" */
	int in_code;            /* gdb showed a frame of the program's own (else: code outside the lab) */
};

struct wd_view {
	struct wd_thread *t;
	int n;
};

static char *wd_waits_for(struct wd_view *v, const struct wd_thread *t);

/* What a finder found: its kind, and the objects it names. */
static void wd_found(struct wd_hang *h, const char *kind, const char *obj)
{
	h->kind = kind;
	if (obj && !u_list_has(&h->objects, obj))
		u_list_add(&h->objects, u_xstrdup(obj));
}

/* Threads of process pid, from /proc. */
static int wd_threads(pid_t pid)
{
	char *path = u_fmt("/proc/%d/status", (int)pid);
	char *st = u_slurp(path, NULL);
	char *t = st ? strstr(st, "\nThreads:") : NULL;
	int n = t ? atoi(t + 9) : 0;
	free(st);
	free(path);
	return n;
}

static int wd_is_valgrind(pid_t pid)
{
	char *link = u_fmt("/proc/%d/exe", (int)pid);
	char exe[512] = "";
	ssize_t n = readlink(link, exe, sizeof exe - 1);
	free(link);
	if (n > 0)
		exe[n] = '\0';
	return strstr(exe, "valgrind") != NULL;
}

/* gdb's one JSON line for process pid, appended to views. */
static void wd_attach(pid_t pid, const char *script, struct u_buf *views)
{
	char attach[32];
	snprintf(attach, sizeof attach, "attach %d", (int)pid);
	char *dir = u_mkdtemp("gdb");
	if (!dir)
		return;
	char *out = u_fmt("%s/gdb.out", dir);
	/*
	 * sysroot "/" before the attach: a run in its own user namespace (racelab as another user
	 * than root) hides its files from gdb's default "target:" sysroot, and gdb then finds no
	 * symbols. Runs share this process's files (their own mounts are /proc and a tmpfs we see).
	 */
	char *argv[] = { "gdb", "-batch", "-nx", "-q", "-ex", "set pagination off", "-ex", "set sysroot /",
			 "-ex", attach, "-x", (char *)script, NULL };
	struct run_spec spec = { .argv = argv, .dir = dir, .timeout_s = 10, .out_path = out };
	struct run_result res;
	run_child(&spec, &res);
	char *text = u_slurp(out, NULL);
	char *save = NULL; /* strtok_r: gates read their reports on several threads */
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "RACELAB-HANG ", 13) == 0)
			u_buf_addf(views, "%s\n", line);
	free(text);
	run_result_free(&res);
	u_rmtree(dir);
	free(dir);
	free(out);
}

void wd_explain(pid_t root, const char *script, struct wd_hang *h)
{
	memset(h, 0, sizeof *h);
	/* The processes gdb looks at: a run's tree is a runner, a test or two, perhaps a child of theirs. */
	enum { LOOK_MAX = 256 };
	pid_t tree[LOOK_MAX], parent[LOOK_MAX];
	int n = pt_tree(root, tree, parent, LOOK_MAX, NULL);
	struct u_buf views = { 0 };
	int valgrind = 0;
	for (int i = 0; i < n; i++) {
		/*
		 * Look where the waiting is: at the leaves of the tree (the test's
		 * process, a child it forked), and at any process with threads. A
		 * single-threaded parent (Check's runner) only waits for its child.
		 */
		int leaf = 1;
		for (int j = 0; j < n; j++)
			leaf &= parent[j] != tree[i];
		if (!leaf && wd_threads(tree[i]) <= 1)
			continue;
		if (wd_is_valgrind(tree[i])) {
			valgrind = 1;
			continue;
		}
		wd_attach(tree[i], script, &views);
	}
	char *v = u_buf_take(&views);
	if (!*v) {
		h->text = u_xstrdup(valgrind
			? "It hung under Valgrind, where the watchdog cannot look at the threads; the tests gate shows where they wait."
			: "It hung, and gdb could not look at the threads (it needs ptrace permission and the libc6-dbg package).");
		h->raw = u_xstrdup("");
	} else {
		wd_explain_views(v, h);
	}
	free(v);
}

void wd_growth(struct wd_hang *h, long before_kb, long after_kb, double seconds)
{
	if (after_kb <= before_kb || (h->kind && (!strcmp(h->kind, "deadlock") || !strcmp(h->kind, "self-deadlock"))))
		return;
	h->kind = "growing";
	char *t = u_fmt("Still running, not blocked: it mapped %.1f MiB more in %.1f s (%.0f MiB in all) when it was "
			"stopped: busy, its memory growing. %s", (after_kb - before_kb) / 1024.0, seconds,
			after_kb / 1024.0, h->text ? h->text : "");
	free(h->text);
	h->text = t;
}

void wd_hang_free(struct wd_hang *h)
{
	free(h->text);
	free(h->raw);
	u_list_free(&h->objects);
	memset(h, 0, sizeof *h);
}

/* The mutex argument as written in the source line, e.g. "&to->lock" -> "to->lock". */
static char *wd_arg_from_source(const char *line, const char *call)
{
	if (!line)
		return NULL;
	char *pat = u_fmt("%s[a-z]*[[:space:]]*\\([[:space:]]*&?[[:space:]]*([^,)]+)", call);
	regex_t re;
	regmatch_t m[2];
	char *found = NULL;
	if (regcomp(&re, pat, REG_EXTENDED) == 0) {
		if (regexec(&re, line, 2, m, 0) == 0) {
			char *arg = u_fmt("%.*s", (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
			found = u_xstrdup(u_trim(arg));
			free(arg);
		}
		regfree(&re);
	}
	free(pat);
	return found;
}

static const char *wd_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long wd_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static void wd_parse_thread(json_t *proc, json_t *th, struct wd_thread *t)
{
	json_t *w = json_object_get(th, "wait");
	json_t *top = json_array_get(json_object_get(th, "stack"), 0);
	t->pid = wd_int(proc, "pid");
	t->lwp = wd_int(th, "lwp");
	t->num = (int)wd_int(th, "num");
	t->kind = wd_str(w, "kind") ? wd_str(w, "kind") : "running";
	t->addr = wd_str(w, "addr");
	t->owner = wd_int(w, "owner");
	t->count = wd_int(w, "count");
	t->target = wd_int(w, "target");
	char *line = NULL;
	if (top) {
		const char *file = wd_str(top, "file");
		long ln = wd_int(top, "line");
		line = file ? u_source_line(file, (int)ln) : NULL;
		t->where = u_fmt("%s (%s:%ld)", wd_str(top, "func"), file ? u_basename(file) : "?", ln);
		t->in_code = 1;
	} else {
		t->where = u_xstrdup("code outside the lab");
	}
	const char *name = wd_str(w, "name");
	const char *call = strcmp(t->kind, "mutex") == 0 ? "pthread_mutex_"
			 : strcmp(t->kind, "barrier") == 0 ? "pthread_barrier_wait"
			 : strcmp(t->kind, "cond") == 0 ? "pthread_cond_"
			 : strcmp(t->kind, "sem") == 0 ? "sem_" : NULL;
	if (name)
		t->obj = u_xstrdup(name);
	else if (call && (t->obj = wd_arg_from_source(line, call)) == NULL && t->addr)
		t->obj = u_fmt("the object at %s", t->addr);
	if (strcmp(t->kind, "cond") == 0 && wd_str(w, "mutex"))
		t->cond_mutex = u_xstrdup(wd_str(w, "mutex"));
	free(line);
}

static struct wd_thread *wd_find(struct wd_view *v, long pid, long lwp)
{
	for (int i = 0; i < v->n; i++)
		if (v->t[i].pid == pid && v->t[i].lwp == lwp)
			return &v->t[i];
	return NULL;
}

/* "thread 2 in transfer (bank.c:31)" */
static char *wd_who(const struct wd_thread *t)
{
	return u_fmt("thread %d in %s", t->num, t->where);
}

/* A cycle of mutex waits starting at t: "thread 2 ... holds X ...; thread 3 ...". NULL if none. */
static char *wd_mutex_cycle(struct wd_view *v, struct wd_thread *t, struct wd_hang *h)
{
	/* A longer chain than this is reported as no cycle: no kata or real hang comes near it. */
	enum { CHAIN_MAX = 64 };
	struct wd_thread *path[CHAIN_MAX];
	int n = 0;
	for (struct wd_thread *cur = t; cur && strcmp(cur->kind, "mutex") == 0 && n < CHAIN_MAX;) {
		for (int i = 0; i < n; i++)
			if (path[i] == cur) {
				struct u_buf b = { 0 };
				if (n - i == 1) {
					char *who = wd_who(cur);
					u_buf_addf(&b, "Self-deadlock: %s waits for %s, which it already holds; "
						       "a default mutex cannot be locked twice by one thread.", who, cur->obj);
					wd_found(h, "self-deadlock", cur->obj);
					free(who);
					return u_buf_take(&b);
				}
				u_buf_addf(&b, "Deadlock, a cycle of %d threads: ", n - i);
				for (int k = i; k < n; k++) {
					struct wd_thread *next = path[k + 1 < n ? k + 1 : i];
					char *who = wd_who(path[k]);
					u_buf_addf(&b, "%s%s holds %s and waits for %s", k > i ? "; " : "", who,
						   next->obj, path[k]->obj);
					wd_found(h, "deadlock", path[k]->obj);
					free(who);
				}
				u_buf_add(&b, ". Each waits for a lock the next one holds, so none can go on.");
				return u_buf_take(&b);
			}
		path[n++] = cur;
		struct wd_thread *owner = wd_find(v, cur->pid, cur->owner);
		if (owner && strcmp(owner->kind, "mutex") != 0) {
			/* Hold and wait: the owner is blocked on something else while it keeps the lock. */
			char *who = wd_who(path[0]), *holder = wd_who(owner), *what = wd_waits_for(v, owner);
			char *s = what ? u_fmt("Hold and wait: %s waits for %s, held by %s, which %s while it "
					       "still holds %s: neither can go on.", who, cur->obj, holder, what,
					       cur->obj)
				       : NULL;
			if (s)
				wd_found(h, "hold-and-wait", cur->obj);
			free(who);
			free(holder);
			free(what);
			return s;
		}
		cur = owner;
	}
	return NULL;
}

static char *wd_orphan_mutex(struct wd_view *v, struct wd_thread *t, struct wd_hang *h)
{
	if (strcmp(t->kind, "mutex") != 0 || t->owner <= 0 || wd_find(v, t->pid, t->owner))
		return NULL;
	wd_found(h, "orphan-mutex", t->obj);
	char *who = wd_who(t);
	char *s = u_fmt("%s waits for %s, held by thread id %ld, which no longer exists in this process "
			"(it ended or was cancelled while holding it, or it was another thread of the "
			"parent when this process was forked): no one is left to unlock it.",
			who, t->obj, t->owner);
	free(who);
	return s;
}

/* The hang kind of a thread's own wait. */
static const char *wd_wait_kind(const struct wd_thread *t)
{
	static const char *const k[][2] = { { "cond", "cond-wait" }, { "sem", "sem-wait" }, { "barrier", "barrier-wait" },
					    { "mutex", "mutex-wait" },  { "join", "join" },     { "running", "spin" } };
	for (size_t i = 0; i < NELEM(k); i++)
		if (strcmp(t->kind, k[i][0]) == 0)
			return k[i][1];
	return NULL;
}

static char *wd_barrier(struct wd_view *v, struct wd_thread *t, struct wd_hang *h)
{
	if (strcmp(t->kind, "barrier") != 0)
		return NULL;
	wd_found(h, "barrier-wait", t->obj);
	int arrived = 0;
	for (int i = 0; i < v->n; i++)
		if (v->t[i].pid == t->pid && strcmp(v->t[i].kind, "barrier") == 0 && v->t[i].addr &&
		    t->addr && strcmp(v->t[i].addr, t->addr) == 0)
			arrived++;
	if (t->count > 0)
		return u_fmt("Barrier %s (%s) waits for %ld threads, but only %d of %ld arrived; "
			     "%ld never %s, so the %d that arrived wait forever.",
			     t->obj, t->where, t->count, arrived, t->count, t->count - arrived,
			     t->count - arrived == 1 ? "comes" : "come", arrived);
	return u_fmt("%d threads wait at barrier %s (%s) for threads that never arrive.",
		     arrived, t->obj, t->where);
}

/* Whether every thread but t (all of them when t is NULL) is blocked. */
static int wd_others_blocked(struct wd_view *v, struct wd_thread *t)
{
	for (int i = 0; i < v->n; i++)
		if (&v->t[i] != t && strcmp(v->t[i].kind, "running") == 0)
			return 0;
	return 1;
}

/* How many threads of t's process wait on the same object as t. */
static int wd_same_waiters(struct wd_view *v, const struct wd_thread *t)
{
	int n = 0;
	for (int i = 0; i < v->n; i++)
		n += v->t[i].pid == t->pid && !strcmp(v->t[i].kind, t->kind) && v->t[i].addr && t->addr &&
		     !strcmp(v->t[i].addr, t->addr);
	return n;
}

/* What a blocked thread waits for, as the end of a sentence: "waits on condition variable X". */
static char *wd_waits_for(struct wd_view *v, const struct wd_thread *t)
{
	int n = wd_same_waiters(v, t);
	char *also = n > 1 ? u_fmt(" (with %d other threads)", n - 1) : u_xstrdup("");
	char *s = NULL;
	if (!strcmp(t->kind, "cond"))
		s = u_fmt("waits on condition variable %s%s%s%s%s", t->obj, t->cond_mutex ? " (mutex " : "",
			  t->cond_mutex ? t->cond_mutex : "", t->cond_mutex ? ")" : "", also);
	else if (!strcmp(t->kind, "sem"))
		s = u_fmt("waits on semaphore %s, whose count is 0%s", t->obj, also);
	else if (!strcmp(t->kind, "mutex"))
		s = u_fmt("waits for mutex %s%s", t->obj, also);
	else if (!strcmp(t->kind, "child"))
		s = u_xstrdup("waits for a child process to end");
	else if (!strcmp(t->kind, "sleep"))
		s = u_xstrdup("sleeps");
	free(also);
	return s;
}

/* "thread 1 in pool_shutdown (pool.c:71) waits to join thread 2, which waits on ..." */
static char *wd_join(struct wd_view *v, struct wd_thread *t, struct wd_hang *h)
{
	if (strcmp(t->kind, "join") != 0)
		return NULL;
	struct wd_thread *target = wd_find(v, t->pid, t->target);
	/* A join's hang is what its target waits for: a cond-wait nobody signals, say. */
	wd_found(h, target ? wd_wait_kind(target) : "join", target ? target->obj : NULL);
	char *who = wd_who(t), *s;
	char *what = target ? wd_waits_for(v, target) : NULL;
	if (what)
		s = u_fmt("%s waits to join thread %d, which %s in %s; %s", who, target->num, what, target->where,
			  wd_others_blocked(v, NULL) ? "nobody is left running to signal or wake it, so the join never returns."
						    : "no running thread woke it before the timeout.");
	else
		s = u_fmt("%s waits to join thread id %ld, which never ends.", who, t->target);
	free(what);
	free(who);
	return s;
}

static char *wd_simple(struct wd_view *v, struct wd_thread *t, struct wd_hang *h)
{
	char *who = wd_who(t), *s = NULL;
	char *what = wd_waits_for(v, t);
	if (what && strcmp(t->kind, "sleep") != 0 && strcmp(t->kind, "child") != 0)
		s = u_fmt("%s %s. %s", who, what, wd_others_blocked(v, t)
			  ? (!strcmp(t->kind, "cond") ? "Every other thread is blocked too (or has ended): nobody is left to signal it, so it waits forever."
			     : "Every other thread is blocked too (or has ended): nobody is left to wake it, so it waits forever.")
			  : "No running thread woke it before the timeout.");
	else if (!strcmp(t->kind, "running") && t->in_code)
		s = u_fmt("%s is still running: a loop that never ends (spinning on a flag or retrying "
			  "forever) keeps the run from finishing.", who);
	if (s)
		wd_found(h, wd_wait_kind(t), t->obj);
	free(what);
	free(who);
	return s;
}

static char *wd_line(const struct wd_thread *t)
{
	struct u_buf b = { 0 };
	u_buf_addf(&b, "process %ld thread %d (id %ld) %s: %s", t->pid, t->num, t->lwp, t->where, t->kind);
	if (t->obj)
		u_buf_addf(&b, " %s", t->obj);
	if (t->owner > 0)
		u_buf_addf(&b, ", held by thread id %ld", t->owner);
	if (t->count > 0)
		u_buf_addf(&b, ", count %ld", t->count);
	return u_buf_take(&b);
}

void wd_explain_views(const char *views, struct wd_hang *h)
{
	memset(h, 0, sizeof *h);
	struct wd_view v = { 0 };
	json_t *procs = json_array();
	char *copy = u_xstrdup(views);
	char *save = NULL; /* strtok_r: gates read their reports on several threads */
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *p = json_loads(line + strlen("RACELAB-HANG "), 0, NULL);
		if (!p)
			continue;
		json_array_append_new(procs, p);
		json_t *ths = json_object_get(p, "threads");
		v.t = u_xrealloc(v.t, sizeof *v.t * (v.n + json_array_size(ths)));
		for (size_t i = 0; i < json_array_size(ths); i++) {
			memset(&v.t[v.n], 0, sizeof v.t[v.n]);
			wd_parse_thread(p, json_array_get(ths, i), &v.t[v.n++]);
		}
	}
	free(copy);

	/* The most telling finding first: a cycle, a lost owner, a barrier, a join, then single waits. */
	char *(*finders[])(struct wd_view *, struct wd_thread *, struct wd_hang *) = {
		wd_mutex_cycle, wd_orphan_mutex, wd_barrier, wd_join, wd_simple };
	struct u_buf ex = { 0 }, rw = { 0 };
	for (size_t f = 0; f < NELEM(finders) && !ex.len; f++)
		for (int i = 0; i < v.n && !ex.len; i++) {
			char *s = finders[f](&v, &v.t[i], h);
			if (s)
				u_buf_add(&ex, s);
			free(s);
		}
	if (!ex.len)
		u_buf_add(&ex, "It never finished: every thread is waiting or sleeping, and nothing will wake them.");
	for (int i = 0; i < v.n; i++) {
		char *l = wd_line(&v.t[i]);
		u_buf_addf(&rw, "%s\n", l);
		free(l);
		free(v.t[i].obj);
		free(v.t[i].cond_mutex);
		free(v.t[i].where);
	}
	free(v.t);
	json_decref(procs);
	h->text = u_buf_take(&ex);
	h->raw = u_buf_take(&rw);
}
