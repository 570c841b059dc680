/* cache.c: racelab check's answers, kept per file content: a re-check of unchanged bytes answers at once. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "digest.h"
#include "jsonout.h"
#include "store.h"

/* Bumped whenever what is kept, or what the key covers, changes. */
enum { CACHE_FORMAT = 1 };

struct cache_slot {
	char *dir;      /* STORE/answer/LAB */
	char *key;
	char *snapdir;  /* holds the snapshot */
	char *snapshot;
	int enabled[GATE_COUNT];
};

static int cache_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir but skip, by name: its name and content. */
static void cache_folder(struct dg *d, const char *dir, const char *skip)
{
	struct u_list names = { 0 };
	DIR *dd = opendir(dir);
	struct dirent *e;
	while (dd && (e = readdir(dd)))
		if (e->d_name[0] != '.' && (!skip || strcmp(e->d_name, skip) != 0))
			u_list_add(&names, u_xstrdup(e->d_name));
	if (dd)
		closedir(dd);
	qsort(names.v, (size_t)names.n, sizeof *names.v, cache_name_cmp);
	dg_str(d, dir);
	for (int i = 0; i < names.n; i++) {
		char *path = u_fmt("%s/%s", dir, names.v[i]);
		if (!u_is_dir(path)) {
			dg_str(d, names.v[i]);
			dg_file(d, path);
		}
		free(path);
	}
	u_list_free(&names);
}

struct cache_slot *cache_open(const struct lab *lab, const char *file)
{
	char *answers = store_dir("answer");
	size_t len;
	char *bytes = answers ? u_slurp(file, &len) : NULL;
	if (!bytes) {
		free(answers);
		return NULL;
	}
	struct cache_slot *s = u_xcalloc(1, sizeof *s);
	s->dir = u_fmt("%s/%s", answers, lab->id);
	free(answers);
	memcpy(s->enabled, lab->enabled, sizeof s->enabled);
	s->snapdir = u_mkdtemp("snapshot");
	s->snapshot = u_fmt("%s/%s", s->snapdir ? s->snapdir : "/nonexistent", lab->edit);
	struct dg d;
	dg_init(&d);
	dg_str(&d, "racelab answer");
	dg_add(&d, &(int){ CACHE_FORMAT }, sizeof(int));
	dg_str(&d, lab->id);
	dg_add(&d, &len, sizeof len);
	dg_add(&d, bytes, len);
	dg_file(&d, "/proc/self/exe");
	cache_folder(&d, lab->dir, lab->edit);
	char *rt = u_fmt("%s/harness/runtime", lab_root());
	cache_folder(&d, rt, NULL);
	free(rt);
	dg_machine(&d);
	/* The CPUs the check may use: on one, the tests may not see a race that two show. */
	cpu_set_t cpus;
	int ncpu = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : -1;
	dg_add(&d, &ncpu, sizeof ncpu);
	s->key = dg_hex(&d);
	if (!s->snapdir || u_mkdirs(s->dir) != 0 || u_write_file(s->snapshot, bytes, len) != 0) {
		free(bytes);
		cache_close(s);
		return NULL;
	}
	free(bytes);
	return s;
}

const char *cache_file(const struct cache_slot *s)
{
	return s->snapshot;
}

static char *cache_path(const struct cache_slot *s)
{
	return u_fmt("%s/%s.json", s->dir, s->key);
}

/* A string member, "" when absent. */
static char *cache_str(json_t *o, const char *name)
{
	const char *v = json_string_value(json_object_get(o, name));
	return u_xstrdup(v ? v : "");
}

static void cache_list(json_t *a, struct u_list *out)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (json_is_string(v))
			u_list_add(out, u_xstrdup(json_string_value(v)));
}

static int cache_status(json_t *o)
{
	const char *name = json_string_value(json_object_get(o, "status"));
	for (int i = 0; name && i < 4; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

/* A member that may be null, as a string or NULL. */
static char *cache_str_or_null(json_t *o, const char *name)
{
	const char *v = json_string_value(json_object_get(o, name));
	return v ? u_xstrdup(v) : NULL;
}

/*
 * A hang's kind is one of the watchdog's own constant words, which results point at: an
 * answer read back keeps each word it meets once, for as long as racelab runs.
 */
static const char *cache_word(const char *s)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct u_list words;
	if (!s)
		return NULL;
	pthread_mutex_lock(&lock);
	int i = 0;
	while (i < words.n && strcmp(words.v[i], s) != 0)
		i++;
	if (i == words.n)
		u_list_add(&words, u_xstrdup(s));
	const char *w = words.v[i];
	pthread_mutex_unlock(&lock);
	return w;
}

/* One record of what a gate's tools found, back from JSON (json.c's fields and the evidence). */
static void cache_decode_finding(json_t *o, struct findings *f)
{
	char *tool = cache_str(o, "tool"), *kind = cache_str(o, "kind");
	struct finding *x = finding_add(f, tool, kind);
	free(tool);
	free(kind);
	x->hang_kind = cache_word(json_string_value(json_object_get(o, "hang_kind")));
	x->file = cache_str_or_null(o, "file");
	x->line = (int)json_integer_value(json_object_get(o, "line"));
	x->function = cache_str_or_null(o, "function");
	cache_list(json_object_get(o, "objects"), &x->objects);
	x->test = cache_str_or_null(o, "test");
	x->evidence = cache_str_or_null(o, "evidence");
	x->text = cache_str(o, "text");
	x->atomic_access = json_is_true(json_object_get(o, "atomic_access"));
	x->outside_lab = json_is_true(json_object_get(o, "outside_lab"));
}

/* One gate back from its JSON object; -1 when it does not fit. */
static int cache_decode_gate(json_t *o, struct result *r)
{
	int id = gate_from_name(json_string_value(json_object_get(o, "name")) ? json_string_value(json_object_get(o, "name")) : "");
	int st = cache_status(o);
	if (id < 0 || st < 0 || r->ngates >= GATE_COUNT || r->gates[id].reason)
		return -1;
	struct gate_result *g = &r->gates[id];
	r->order[r->ngates++] = id;
	g->status = (enum result_status)st;
	g->points = (int)json_integer_value(json_object_get(o, "points"));
	g->max_points = (int)json_integer_value(json_object_get(o, "max_points"));
	g->seconds = json_number_value(json_object_get(o, "seconds"));
	g->reason = cache_str(o, "reason");
	g->detail = cache_str(o, "detail");
	g->raw = cache_str(o, "raw");
	cache_list(json_object_get(o, "kinds"), &g->kinds);
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(o, "tests"), i, t) {
		char *name = cache_str(t, "name"), *msg = cache_str(t, "message");
		int ts = cache_status(t);
		result_add_case(g, name, ts < 0 ? RESULT_FAIL : (enum result_status)ts, msg);
		free(name);
		free(msg);
	}
	json_t *h;
	json_array_foreach(json_object_get(o, "heap"), i, h)
		if (g->nheap < (int)NELEM(g->heap))
			g->heap[g->nheap++] = (long)json_integer_value(h);
	json_t *x;
	json_array_foreach(json_object_get(o, "findings"), i, x)
		cache_decode_finding(x, &g->found);
	return 0;
}

int cache_decode(const char *text, struct result *r)
{
	memset(r, 0, sizeof *r);
	for (int g = 0; g < GATE_COUNT; g++)
		r->gates[g].id = g;
	json_t *doc = json_loads(text, 0, NULL);
	json_t *gates = json_object_get(doc, "gates");
	int ok = doc && json_integer_value(json_object_get(doc, "cache_format")) == CACHE_FORMAT && json_is_array(gates);
	if (ok) {
		r->lab = cache_str(doc, "lab");
		r->title = cache_str(doc, "title");
		r->label = cache_str(doc, "graded_as");
		r->score = json_number_value(json_object_get(doc, "score"));
		r->max_score = (int)json_integer_value(json_object_get(doc, "max_score"));
		r->counted_max = (int)json_integer_value(json_object_get(doc, "counted_max_score"));
		r->seconds = json_number_value(json_object_get(doc, "seconds"));
		cache_list(json_object_get(doc, "why"), &r->why);
		cache_list(json_object_get(doc, "graded_files"), &r->graded);
		cache_list(json_object_get(doc, "ignored_files"), &r->ignored);
		size_t i;
		json_t *g;
		json_array_foreach(gates, i, g)
			ok = ok && cache_decode_gate(g, r) == 0;
	}
	json_decref(doc);
	if (!ok)
		result_free(r);
	return ok ? 0 : -1;
}

char *cache_encode(const struct result *r)
{
	/* json.c's document, and what it leaves out: each gate's raw report and heap, each record's evidence. */
	json_t *doc = jsonout_result(r), *gates = json_object_get(doc, "gates");
	int ok = doc && json_array_size(gates) == (size_t)r->ngates &&
		 json_object_set_new(doc, "cache_format", json_integer(CACHE_FORMAT)) == 0;
	for (int i = 0; ok && i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		json_t *heap = json_array();
		for (int k = 0; k < g->nheap; k++)
			json_array_append_new(heap, json_integer(g->heap[k]));
		json_t *o = json_array_get(gates, (size_t)i), *found = json_object_get(o, "findings");
		/* The heap first: a _set_new takes its value even when it fails, and the && stops at one.
		 * json_string refuses bytes that are not UTF-8: such an answer is not kept. */
		ok = json_object_set_new(o, "heap", heap) == 0 &&
		     json_object_set_new(o, "raw", json_string(g->raw ? g->raw : "")) == 0 &&
		     json_array_size(found) == (size_t)g->found.n;
		for (int k = 0; ok && k < g->found.n; k++) {
			const char *ev = g->found.v[k].evidence;
			ok = json_object_set_new(json_array_get(found, (size_t)k), "evidence",
						 ev ? json_string(ev) : json_null()) == 0;
		}
	}
	char *text = ok ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return text;
}

int cache_load(const struct cache_slot *s, struct result *r)
{
	memset(r, 0, sizeof *r);
	char *path = cache_path(s), *text = u_slurp(path, NULL);
	int rc = text ? cache_decode(text, r) : -1;
	/* The lab's gates, no more and no fewer. */
	for (int g = 0; rc == 0 && g < GATE_COUNT; g++)
		if (!s->enabled[g] != !r->gates[g].reason) {
			result_free(r);
			rc = -1;
		}
	if (rc == 0)
		utimensat(AT_FDCWD, path, NULL, 0); /* used now: the last to go when the folder is pruned */
	free(text);
	free(path);
	return rc;
}

/* The answer files of the lab's folder, oldest first, to remove past CACHE_KEEP. */
struct cache_age {
	char *path;
	struct timespec t;
};

static int cache_age_cmp(const void *a, const void *b)
{
	const struct cache_age *x = a, *y = b;
	if (x->t.tv_sec != y->t.tv_sec)
		return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
	return x->t.tv_nsec < y->t.tv_nsec ? -1 : x->t.tv_nsec > y->t.tv_nsec;
}

static void cache_prune(const char *dir, const char *newest)
{
	DIR *dd = opendir(dir);
	struct dirent *e;
	struct cache_age *all = NULL;
	int n = 0;
	while (dd && (e = readdir(dd))) {
		size_t len = strlen(e->d_name);
		struct stat st;
		char *path = u_fmt("%s/%s", dir, e->d_name);
		/* The answer just kept is the newest, even where the clock's steps are coarse. */
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 && strcmp(path, newest) != 0 &&
		    stat(path, &st) == 0) {
			all = u_xrealloc(all, sizeof *all * (size_t)(n + 1));
			all[n++] = (struct cache_age){ path, st.st_mtim };
		} else {
			free(path);
		}
	}
	if (dd)
		closedir(dd);
	if (n >= CACHE_KEEP)
		qsort(all, (size_t)n, sizeof *all, cache_age_cmp);
	for (int i = 0; i < n; i++) {
		if (i < n - (CACHE_KEEP - 1))
			unlink(all[i].path);
		free(all[i].path);
	}
	free(all);
}

void cache_store(const struct cache_slot *s, const struct result *r)
{
	if (!s)
		return;
	for (int i = 0; i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		if (g->status == RESULT_ERROR || (g->status == RESULT_SKIP && g->reason && strstr(g->reason, "cancelled")))
			return;
	}
	char *text = cache_encode(r);
	if (!text)
		return;
	char *path = cache_path(s);
	store_put(path, text, strlen(text));
	cache_prune(s->dir, path);
	free(path);
	free(text);
}

void cache_close(struct cache_slot *s)
{
	if (!s)
		return;
	if (s->snapdir)
		u_rmtree(s->snapdir);
	free(s->snapdir);
	free(s->snapshot);
	free(s->dir);
	free(s->key);
	free(s);
}
