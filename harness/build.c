/* build.c: compile a lab's variants (plain, stress, tsan) from the learner's file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "run.h"
#include "util.h"

#ifndef RL_CHECK_LIBS
#define RL_CHECK_LIBS "-lcheck"
#endif

static const char *const build_names[] = { "plain", "stress", "tsan", "syntax", "objects" };

char *build_binary(const char *dir, enum build_variant v)
{
	return u_fmt("%s/%s", dir, build_names[v]);
}

static void build_args(const struct lab *lab, const char *dir, enum build_variant v, struct u_list *a)
{
	char *rt = u_fmt("%s/harness/runtime", lab_root());
	u_list_add(a, u_xstrdup(v == BUILD_PLAIN || v == BUILD_STRESS ? "gcc" : "clang"));
	/*
	 * A kata is C11; a program of the user's own (diagnose) is built as gcc and clang build it by
	 * default, GNU C (a file-scope asm(), typeof). Warnings are shown, never fatal: no -Werror.
	 */
	u_list_add(a, u_xstrdup(lab->own_main ? "-std=gnu11" : "-std=c11"));
	const char *flags[] = { "-D_GNU_SOURCE", "-g", "-O1", "-Wall", "-Wextra", "-pthread" };
	for (size_t i = 0; i < NELEM(flags); i++)
		u_list_add(a, u_xstrdup(flags[i]));
	u_list_add(a, u_fmt("-I%s", lab->dir));
	u_list_add(a, u_fmt("-I%s", rt));
	if (v == BUILD_SYNTAX_CLANG) {
		u_list_add(a, u_xstrdup("-fsyntax-only"));
		u_list_add(a, u_fmt("%s/%s", dir, lab->edit));
		free(rt);
		return;
	}
	if (v == BUILD_TSAN || v == BUILD_TSAN_OBJECTS)
		u_list_add(a, u_xstrdup("-fsanitize=thread"));
	if (v == BUILD_TSAN_OBJECTS) { /* -O0: every access stays at its own line; the objects land in dir */
		u_list_add(a, u_xstrdup("-O0"));
		u_list_add(a, u_xstrdup("-c"));
	}
	/* The learner's copy first, so the compiler names it as the learner knows it. */
	u_list_add(a, u_fmt("%s/%s", dir, lab->edit));
	struct u_list fixed = { 0 };
	lab_fixed_sources(lab, &fixed);
	for (int i = 0; i < fixed.n; i++)
		u_list_add(a, u_xstrdup(fixed.v[i]));
	u_list_free(&fixed);
	if (v == BUILD_TSAN_OBJECTS) {
		free(rt);
		return;
	}
	if (!lab->own_main) {
		u_list_add(a, u_fmt("%s/check_main.c", rt));
		u_list_add(a, u_fmt("%s/rl_test.c", rt));
	}
	if (v == BUILD_STRESS) {
		u_list_add(a, u_fmt("%s/shim_cond.c", rt));
		u_list_add(a, u_xstrdup("-Wl,--wrap=pthread_cond_wait,--wrap=pthread_cond_timedwait"));
	}
	u_list_add(a, u_xstrdup("-o"));
	u_list_add(a, build_binary(dir, v));
	if (!lab->own_main)
		u_list_split(a, RL_CHECK_LIBS, ' ');
	free(rt);
}

/*
 * Sort the compiler's diagnostics: errors (learner's file first) into the record x, placed at
 * the first error in the learner's file, when x is not NULL; the learner's warnings to warnings.
 */
static void build_diagnostics(const char *log, const struct src_ctx *src, struct finding *x,
			      struct u_buf *warnings)
{
	char *copy = u_xstrdup(log);
	struct u_buf mine = { 0 }, other = { 0 };
	char *save = NULL; /* strtok_r: gates read their reports on several threads */
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char file[1024];
		int ln = 0;
		if (sscanf(line, "%1023[^:]:%d:", file, &ln) != 2)
			continue;
		const char *what = strstr(line, ": error: ") ? "error" : strstr(line, ": warning: ") ? "warning" : NULL;
		if (!what)
			continue;
		char *msg = strstr(line, what) + strlen(what) + 2;
		char *point = src_point(src, file, ln);
		if (*what == 'w') {
			if (warnings && src_rank(src, file) == 2)
				u_buf_addf(warnings, "warning: %s\n      %s\n", msg, point);
		} else if (x) {
			int mine_file = src_rank(src, file) == 2;
			u_buf_addf(mine_file ? &mine : &other, "error: %s\n      %s\n", msg, point);
			if (mine_file && !x->file) {
				x->file = u_xstrdup(u_basename(file));
				x->line = ln;
			}
		}
		free(point);
	}
	if (x) {
		u_buf_add(&mine, other.s ? other.s : "");
		x->text = u_buf_take(&mine);
	}
	free(u_buf_take(&other));
	free(copy);
}

int build_variant(const struct lab *lab, const char *dir, enum build_variant v, const struct src_ctx *src,
		  struct findings *f, struct u_buf *warnings, const int *cancel)
{
	struct u_list a = { 0 };
	build_args(lab, dir, v, &a);
	u_list_add(&a, NULL);
	char *log = u_fmt("%s/%s.log", dir, build_names[v]);
	struct run_spec spec = { .argv = a.v, .dir = dir, .timeout_s = 120, .out_path = log, .cancel = cancel };
	struct run_result res;
	int ok = run_child(&spec, &res) == 0 && !res.timed_out && res.exit_code == 0;
	char *text = u_slurp(log, NULL);
	if (res.error) {
		f->fatal = u_fmt("%s", res.error);
	} else if (!ok) {
		struct finding *x = finding_add(f, "build", "compile");
		build_diagnostics(text ? text : "", src, x, NULL);
		if (!*x->text) {
			free(x->text);
			x->text = u_fmt("%s\n", text && *text ? text : "the compiler failed without a message");
		}
		x->evidence = u_xstrdup(text ? text : "");
		u_buf_add(&f->raw, text ? text : "");
	} else {
		build_diagnostics(text ? text : "", src, NULL, warnings);
	}
	a.n--; /* the NULL terminator is not a string to free */
	u_list_free(&a);
	free(text);
	free(log);
	run_result_free(&res);
	return ok ? 0 : -1;
}
