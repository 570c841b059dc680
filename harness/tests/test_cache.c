/* test_cache.c: Check unit tests of racelab's caches: fingerprints, the object cache, the cache of answers. */
#include <check.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cache.h"
#include "../digest.h"
#include "../lab.h"
#include "../objcache.h"
#include "../run.h"
#include "../store.h"
#include "../util.h"

/* Write text to dir/name, dated an hour ago: old enough for the object cache to trust it. */
static char *old_file(const char *dir, const char *name, const char *text)
{
	char *path = u_fmt("%s/%s", dir, name);
	ck_assert_int_eq(u_write_file(path, text, strlen(text)), 0);
	struct timeval tv[2];
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= 3600;
	tv[1] = tv[0];
	ck_assert_int_eq(utimes(path, tv), 0);
	return path;
}

/* Whether the file holds the bytes of s (a string the compile put in the object). */
static int file_has(const char *path, const char *s)
{
	size_t len;
	char *data = u_slurp(path, &len);
	int yes = data && memmem(data, len, s, strlen(s)) != NULL;
	free(data);
	return yes;
}

/* gcc with the flags of a build; a fresh work folder for each "check". */
static void gcc_cc(struct u_list *cc, const char *incdir)
{
	u_list_add(cc, u_xstrdup("gcc"));
	u_list_add(cc, u_xstrdup("-O1"));
	u_list_add(cc, u_fmt("-I%s", incdir));
}

/* How many files in dir match the glob pattern. */
static int count_files(const char *dir, const char *pattern)
{
	char *pat = u_fmt("%s/%s", dir, pattern);
	glob_t g;
	int n = glob(pat, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
	if (n)
		globfree(&g);
	free(pat);
	return n;
}

START_TEST(deps_rules_parse)
{
	struct u_list d = { 0 };
	oc_parse_deps("/w/oc-1.o: /lab/test_x.c /lab/x.h \\\n /usr/include/check.h /lab/with\\ blank.h\n", &d);
	ck_assert_int_eq(d.n, 4);
	ck_assert_str_eq(d.v[0], "/lab/test_x.c");
	ck_assert_str_eq(d.v[1], "/lab/x.h");
	ck_assert_str_eq(d.v[2], "/usr/include/check.h");
	ck_assert_str_eq(d.v[3], "/lab/with blank.h");
	u_list_free(&d);
	oc_parse_deps("no rule here", &d);
	ck_assert_int_eq(d.n, 0);
}
END_TEST

START_TEST(digest_tells_contents_apart)
{
	char *dir = u_mkdtemp("dg");
	char *a = old_file(dir, "a", "alpha"), *b = old_file(dir, "b", "alphb");
	char *ha = dg_file_hex(a), *hb = dg_file_hex(b);
	ck_assert_int_eq(strlen(ha), 64);
	ck_assert_str_ne(ha, hb);
	char *missing = u_fmt("%s/none", dir);
	ck_assert_ptr_null(dg_file_hex(missing));
	/* "ab"+"c" and "a"+"bc" are different keys. */
	struct dg d1, d2;
	dg_init(&d1);
	dg_str(&d1, "ab");
	dg_str(&d1, "c");
	dg_init(&d2);
	dg_str(&d2, "a");
	dg_str(&d2, "bc");
	char *h1 = dg_hex(&d1), *h2 = dg_hex(&d2);
	ck_assert_str_ne(h1, h2);
	u_rmtree(dir);
	free(h1);
	free(h2);
	free(missing);
	free(ha);
	free(hb);
	free(a);
	free(b);
	free(dir);
}
END_TEST

/*
 * An object is reused while its source and every header it included keep their content,
 * and made anew as soon as one changes, even with its date and size unchanged.
 */
START_TEST(objects_reused_until_a_file_they_read_changes)
{
	char *dir = u_mkdtemp("oc"), *cache = u_fmt("%s/cache", dir);
	setenv("RACELAB_CACHE", cache, 1);
	char *hdr = old_file(dir, "word.h", "#define WORD \"alpha\"\n");
	char *src = old_file(dir, "use.c", "#include \"word.h\"\nconst char *word = WORD;\n");
	struct u_list cc = { 0 };
	gcc_cc(&cc, dir);
	struct oc_result r;
	const char *expect[] = { "alpha", "alpha", "gamma", "gamma", "delta" };
	for (int step = 0; step < 5; step++) {
		if (step == 2) /* the header: same size, same date, new content */
			free(old_file(dir, "word.h", "#define WORD \"gamma\"\n"));
		if (step == 4) /* the source itself */
			free(old_file(dir, "use.c", "#include \"word.h\"\nconst char *word = \"delta\";\n"));
		char *work = u_fmt("%s/work%d", dir, step);
		ck_assert_int_eq(mkdir(work, 0755), 0);
		ck_assert_int_eq(oc_object(&cc, src, work, 1, NULL, &r), 0);
		ck_assert_msg(r.hit == (step == 1 || step == 3), "step %d: hit %d", step, r.hit);
		ck_assert_msg(file_has(r.obj, expect[step]), "step %d: the object does not hold %s", step, expect[step]);
		ck_assert(strncmp(r.obj, work, strlen(work)) == 0);
		oc_result_free(&r);
		free(work);
	}
	/* Another flag is another object. */
	u_list_add(&cc, u_xstrdup("-DOTHER"));
	char *work = u_fmt("%s/work-flag", dir);
	mkdir(work, 0755);
	ck_assert_int_eq(oc_object(&cc, src, work, 1, NULL, &r), 0);
	ck_assert_int_eq(r.hit, 0);
	oc_result_free(&r);
	/* A compile error: the compiler's words, nothing stored. */
	char *bad = old_file(dir, "bad.c", "int x = ;\n");
	ck_assert_int_eq(oc_object(&cc, bad, work, 1, NULL, &r), -1);
	ck_assert_ptr_nonnull(r.log);
	ck_assert(strstr(r.log, "bad.c:1"));
	oc_result_free(&r);
	unsetenv("RACELAB_CACHE");
	u_rmtree(dir);
	u_list_free(&cc);
	free(bad);
	free(work);
	free(hdr);
	free(src);
	free(cache);
	free(dir);
}
END_TEST

/* A header written a moment ago may have changed during the compile: its object is used, never stored. */
START_TEST(objects_of_fresh_files_are_not_stored)
{
	char *dir = u_mkdtemp("ocnew"), *cache = u_fmt("%s/cache", dir), *work = u_fmt("%s/w", dir);
	setenv("RACELAB_CACHE", cache, 1);
	char *src = u_fmt("%s/new.c", dir);
	u_write_file(src, "int n = 1;\n", 11);
	mkdir(work, 0755);
	struct u_list cc = { 0 };
	gcc_cc(&cc, dir);
	struct oc_result r;
	ck_assert_int_eq(oc_object(&cc, src, work, 1, NULL, &r), 0);
	ck_assert(u_exists(r.obj));
	oc_result_free(&r);
	char *objdir = u_fmt("%s/obj", cache);
	ck_assert_int_eq(count_files(objdir, "*.o"), 0);
	unsetenv("RACELAB_CACHE");
	u_rmtree(dir);
	u_list_free(&cc);
	free(objdir);
	free(src);
	free(work);
	free(cache);
	free(dir);
}
END_TEST

/* Racelabs compiling the same file at once each get a whole object, and the cache one copy. */
START_TEST(objects_stored_whole_when_racelabs_race)
{
	char *dir = u_mkdtemp("ocrace"), *cache = u_fmt("%s/cache", dir);
	setenv("RACELAB_CACHE", cache, 1);
	char *src = old_file(dir, "race.c", "const char *tag = \"racing\";\nint f(int x) { return x * 3; }\n");
	struct u_list cc = { 0 };
	gcc_cc(&cc, dir);
	enum { N = 4 };
	pid_t kids[N];
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		ck_assert_int_ge(kids[i], 0);
		if (kids[i] == 0) {
			char *work = u_fmt("%s/w%d", dir, i);
			mkdir(work, 0755);
			struct oc_result r;
			int ok = oc_object(&cc, src, work, 1, NULL, &r) == 0 && file_has(r.obj, "racing");
			_exit(ok ? 0 : 1);
		}
	}
	for (int i = 0; i < N; i++) {
		int st;
		ck_assert_int_eq(waitpid(kids[i], &st, 0), kids[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "racer %d got no good object", i);
	}
	char *objdir = u_fmt("%s/obj", cache);
	ck_assert_int_eq(count_files(objdir, "*.o"), 1);
	ck_assert_int_eq(count_files(objdir, "*.deps"), 1);
	ck_assert_int_eq(count_files(objdir, "*.tmp.*"), 0);
	/* And the next one takes it from the cache. */
	char *work = u_fmt("%s/after", dir);
	mkdir(work, 0755);
	struct oc_result r;
	ck_assert_int_eq(oc_object(&cc, src, work, 1, NULL, &r), 0);
	ck_assert_int_eq(r.hit, 1);
	ck_assert(file_has(r.obj, "racing"));
	oc_result_free(&r);
	unsetenv("RACELAB_CACHE");
	u_rmtree(dir);
	u_list_free(&cc);
	free(work);
	free(objdir);
	free(src);
	free(cache);
	free(dir);
}
END_TEST

START_TEST(cache_folder_can_be_switched_off)
{
	setenv("RACELAB_CACHE", "off", 1);
	ck_assert_ptr_null(store_dir("obj"));
	char *dir = u_mkdtemp("store");
	setenv("RACELAB_CACHE", dir, 1);
	char *obj = store_dir("obj"), *want = u_fmt("%s/obj", dir);
	ck_assert_str_eq(obj, want);
	ck_assert(u_is_dir(obj));
	char *file = u_fmt("%s/f", obj);
	ck_assert_int_eq(store_put(file, "abc", 3), 0);
	char *back = u_slurp(file, NULL);
	ck_assert_str_eq(back, "abc");
	/* A folder others may write is no cache. */
	chmod(obj, 0777);
	ck_assert_ptr_null(store_dir("obj"));
	chmod(obj, 0755);
	chmod(dir, 0775);
	ck_assert_ptr_null(store_dir("obj"));
	chmod(dir, 0755);
	unsetenv("RACELAB_CACHE");
	u_rmtree(dir);
	free(back);
	free(file);
	free(want);
	free(obj);
	free(dir);
}
END_TEST


/* A result with some of everything a check prints. */
static void sample_result(struct result *r)
{
	memset(r, 0, sizeof *r);
	r->lab = u_xstrdup("11-lost-update");
	r->title = u_xstrdup("Lost update");
	r->label = u_xstrdup("your code");
	const int gates[] = { GATE_BUILD, GATE_TESTS, GATE_TSAN, GATE_MEMORY };
	const enum result_status st[] = { RESULT_PASS, RESULT_FAIL, RESULT_FAIL, RESULT_PASS };
	int points[GATE_COUNT] = { [GATE_BUILD] = 5, [GATE_TESTS] = 25, [GATE_TSAN] = 30, [GATE_MEMORY] = 40 };
	for (int g = 0; g < GATE_COUNT; g++)
		r->gates[g].id = g;
	for (int i = 0; i < 4; i++) {
		struct gate_result *g = &r->gates[gates[i]];
		r->order[r->ngates++] = gates[i];
		g->status = st[i];
		g->seconds = 0.25 * (i + 1);
		g->reason = u_fmt("reason %d", i);
		g->detail = u_fmt("detail %d\n  counter.c:18: c->value++;\n", i);
		g->raw = u_fmt("raw report %d", i);
		u_list_add(&g->kinds, u_xstrdup(i == 2 ? "data-race" : "fail"));
	}
	result_add_case(&r->gates[GATE_TESTS], "one_thread_counts", RESULT_PASS, "");
	result_add_case(&r->gates[GATE_TESTS], "no_update_is_lost", RESULT_FAIL, "expected 4000000 (test_counter.c:37)");
	r->gates[GATE_MEMORY].nheap = 3;
	r->gates[GATE_MEMORY].heap[0] = 10, r->gates[GATE_MEMORY].heap[1] = 2000, r->gates[GATE_MEMORY].heap[2] = 30;
	struct finding *x = finding_add(&r->gates[GATE_TSAN].found, "tsan", "data-race");
	x->file = u_xstrdup("counter.c");
	x->line = 18;
	x->function = u_xstrdup("counter_inc");
	u_list_add(&x->objects, u_xstrdup("c->value"));
	x->evidence = u_xstrdup("WARNING: ThreadSanitizer: data race");
	x->text = u_xstrdup("Data race on c->value");
	x->atomic_access = 1;
	x = finding_add(&r->gates[GATE_TESTS].found, "watchdog", "hang");
	x->hang_kind = "deadlock";
	x->test = u_xstrdup("no_update_is_lost");
	x->text = u_xstrdup("hung");
	u_list_add(&r->why, u_xstrdup("Why it matters: a data race."));
	u_list_add(&r->graded, u_xstrdup("counter.c"));
	result_score(r, points);
	r->seconds = 3.5;
}

START_TEST(answers_come_back_whole)
{
	struct result a, b;
	sample_result(&a);
	char *text = cache_encode(&a);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(cache_decode(text, &b), 0);
	ck_assert_str_eq(b.lab, a.lab);
	ck_assert_str_eq(b.title, a.title);
	ck_assert_str_eq(b.label, a.label);
	ck_assert_int_eq(b.ngates, a.ngates);
	ck_assert(b.score == a.score && b.max_score == a.max_score && b.counted_max == a.counted_max);
	ck_assert(b.seconds == a.seconds);
	ck_assert(u_list_has(&b.graded, "counter.c"));
	for (int i = 0; i < a.ngates; i++) {
		const struct gate_result *x = &a.gates[a.order[i]], *y = &b.gates[b.order[i]];
		ck_assert_int_eq(a.order[i], b.order[i]);
		ck_assert_int_eq(x->status, y->status);
		ck_assert_int_eq(x->points, y->points);
		ck_assert_int_eq(x->max_points, y->max_points);
		ck_assert(x->seconds == y->seconds);
		ck_assert_str_eq(x->reason, y->reason);
		ck_assert_str_eq(x->detail, y->detail);
		ck_assert_str_eq(x->raw, y->raw);
		ck_assert_int_eq(x->kinds.n, y->kinds.n);
		ck_assert_str_eq(x->kinds.v[0], y->kinds.v[0]);
		ck_assert_int_eq(x->ncases, y->ncases);
		for (int c = 0; c < x->ncases; c++) {
			ck_assert_str_eq(x->cases[c].name, y->cases[c].name);
			ck_assert_int_eq(x->cases[c].status, y->cases[c].status);
			ck_assert_str_eq(x->cases[c].message, y->cases[c].message);
		}
		ck_assert_int_eq(x->nheap, y->nheap);
		for (int h = 0; h < x->nheap; h++)
			ck_assert_int_eq(x->heap[h], y->heap[h]);
		ck_assert_int_eq(x->found.n, y->found.n);
		for (int k = 0; k < x->found.n; k++) {
			const struct finding *p = &x->found.v[k], *q = &y->found.v[k];
			ck_assert_str_eq(p->tool, q->tool);
			ck_assert_str_eq(p->kind, q->kind);
			ck_assert_pstr_eq(p->hang_kind, q->hang_kind);
			ck_assert_pstr_eq(p->file, q->file);
			ck_assert_int_eq(p->line, q->line);
			ck_assert_pstr_eq(p->function, q->function);
			ck_assert_int_eq(p->objects.n, q->objects.n);
			ck_assert_pstr_eq(p->test, q->test);
			ck_assert_pstr_eq(p->evidence, q->evidence);
			ck_assert_pstr_eq(p->text, q->text);
			ck_assert_int_eq(p->atomic_access, q->atomic_access);
			ck_assert_int_eq(p->outside_lab, q->outside_lab);
		}
	}
	ck_assert_int_eq(b.why.n, 1);
	ck_assert_str_eq(b.why.v[0], a.why.v[0]);
	ck_assert_ptr_null(b.gates[GATE_STRESS].reason); /* a gate the lab has not */
	result_free(&b);
	free(text);

	/* Bytes that are not UTF-8 (a learner's Latin-1 comment in a report): not kept, never half kept. */
	free(a.gates[GATE_TSAN].raw);
	a.gates[GATE_TSAN].raw = u_xstrdup("caf\xe9");
	ck_assert_ptr_null(cache_encode(&a));
	ck_assert_int_eq(cache_decode("{\"gates\": []}", &b), -1); /* no format number */
	ck_assert_int_eq(cache_decode("not json", &b), -1);
	result_free(&a);
}
END_TEST

/* An answer is kept for the same bytes only, never for a run that could not judge them. */
START_TEST(answers_kept_per_bytes)
{
	char *dir = u_mkdtemp("answers"), *cache = u_fmt("%s/cache", dir);
	setenv("RACELAB_CACHE", cache, 1);
	struct lab lab;
	char err[256];
	ck_assert_int_eq(lab_load("11", &lab, err, sizeof err), 0);
	for (int g = 0; g < GATE_COUNT; g++) /* the sample's gates */
		lab.enabled[g] = g == GATE_BUILD || g == GATE_TESTS || g == GATE_TSAN || g == GATE_MEMORY;
	char *file = u_fmt("%s/counter.c", dir);
	u_write_file(file, "one", 3);
	struct result a, b;
	sample_result(&a);
	struct cache_slot *s = cache_open(&lab, file);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(cache_load(s, &b), -1);
	u_write_file(file, "two", 3); /* saved over while it is graded: the snapshot is what counts */
	char *snap = u_slurp(cache_file(s), NULL);
	ck_assert_str_eq(snap, "one");
	cache_store(s, &a);
	cache_close(s);

	s = cache_open(&lab, file); /* "two" */
	ck_assert_int_eq(cache_load(s, &b), -1);
	cache_close(s);
	u_write_file(file, "one", 3);
	s = cache_open(&lab, file);
	ck_assert_int_eq(cache_load(s, &b), 0);
	ck_assert_str_eq(b.gates[GATE_TSAN].kinds.v[0], "data-race");
	result_free(&b);
	cache_close(s);

	/* A lab with other gates than the answer has: no answer. */
	lab.enabled[GATE_HELGRIND] = 1;
	s = cache_open(&lab, file);
	ck_assert_int_eq(cache_load(s, &b), -1);
	cache_close(s);
	lab.enabled[GATE_HELGRIND] = 0;

	/* A gate that could not run: the answer is not kept. */
	u_write_file(file, "three", 5);
	a.gates[GATE_TSAN].status = RESULT_ERROR;
	s = cache_open(&lab, file);
	cache_store(s, &a);
	cache_close(s);
	s = cache_open(&lab, file);
	ck_assert_int_eq(cache_load(s, &b), -1);
	cache_close(s);

	/* No cache folder, or no file: no slot, and storing into none is harmless. */
	char *missing = u_fmt("%s/none.c", dir);
	ck_assert_ptr_null(cache_open(&lab, missing));
	setenv("RACELAB_CACHE", "off", 1);
	ck_assert_ptr_null(cache_open(&lab, file));
	cache_store(NULL, &a);
	cache_close(NULL);
	unsetenv("RACELAB_CACHE");
	result_free(&a);
	lab_free(&lab);
	u_rmtree(dir);
	free(missing);
	free(snap);
	free(file);
	free(cache);
	free(dir);
}
END_TEST

/* The folder of a lab keeps its newest answers only. */
START_TEST(answers_pruned_to_the_newest)
{
	char *dir = u_mkdtemp("prune"), *cache = u_fmt("%s/cache", dir);
	setenv("RACELAB_CACHE", cache, 1);
	struct lab lab;
	char err[256];
	ck_assert_int_eq(lab_load("11", &lab, err, sizeof err), 0);
	for (int g = 0; g < GATE_COUNT; g++)
		lab.enabled[g] = g == GATE_BUILD || g == GATE_TESTS || g == GATE_TSAN || g == GATE_MEMORY;
	char *file = u_fmt("%s/counter.c", dir);
	struct result a;
	sample_result(&a);
	for (int i = 0; i < CACHE_KEEP + 5; i++) {
		char *text = u_fmt("version %d", i);
		u_write_file(file, text, strlen(text));
		struct cache_slot *s = cache_open(&lab, file);
		cache_store(s, &a);
		cache_close(s);
		free(text);
	}
	char *answers = u_fmt("%s/answer/%s", cache, lab.id);
	ck_assert_int_eq(count_files(answers, "*.json"), CACHE_KEEP);
	/* The newest is among them. */
	struct result b;
	struct cache_slot *s = cache_open(&lab, file);
	ck_assert_int_eq(cache_load(s, &b), 0);
	result_free(&b);
	cache_close(s);
	unsetenv("RACELAB_CACHE");
	result_free(&a);
	lab_free(&lab);
	u_rmtree(dir);
	free(answers);
	free(file);
	free(cache);
	free(dir);
}
END_TEST

static void setup(void)
{
	run_init();
}

Suite *cache_suite(void)
{
	Suite *s = suite_create("cache");
	TCase *t = tcase_create("cache");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, deps_rules_parse);
	tcase_add_test(t, digest_tells_contents_apart);
	tcase_add_test(t, objects_reused_until_a_file_they_read_changes);
	tcase_add_test(t, objects_of_fresh_files_are_not_stored);
	tcase_add_test(t, objects_stored_whole_when_racelabs_race);
	tcase_add_test(t, cache_folder_can_be_switched_off);
	tcase_add_test(t, answers_come_back_whole);
	tcase_add_test(t, answers_kept_per_bytes);
	tcase_add_test(t, answers_pruned_to_the_newest);
	tcase_add_checked_fixture(t, setup, NULL);
	suite_add_tcase(s, t);
	return s;
}
