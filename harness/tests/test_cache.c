/* test_cache.c: Check unit tests of racelab's caches: fingerprints, the object cache, the cache of answers. */
#include <check.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../digest.h"
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
	unsetenv("RACELAB_CACHE");
	u_rmtree(dir);
	free(back);
	free(file);
	free(want);
	free(obj);
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
	tcase_add_checked_fixture(t, setup, NULL);
	suite_add_tcase(s, t);
	return s;
}
