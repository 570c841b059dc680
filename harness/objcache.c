/* objcache.c: compile a file racelab does not take from the learner once, and reuse its object while nothing it read changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "objcache.h"
#include "run.h"
#include "store.h"

/* A file changed this close to the compile (in seconds) may have changed while it ran. */
enum { OC_NEW_S = 2 };
static const char oc_manifest_head[] = "racelab deps 1\n";

/* What decides the compile apart from file contents: the compiler's installed file, each flag, the source's path. */
static char *oc_key(const struct u_list *cc, const char *source)
{
	struct dg d;
	dg_init(&d);
	dg_str(&d, "racelab object 1");
	free(dg_program(&d, cc->v[0]));
	for (int i = 0; i < cc->n; i++)
		dg_str(&d, cc->v[i]);
	dg_str(&d, source);
	return dg_hex(&d);
}

/* key and the path and content of every file the compile read; NULL when one cannot be read. */
static char *oc_content_key(const char *key, const struct u_list *deps)
{
	struct dg d;
	dg_init(&d);
	dg_str(&d, key);
	for (int i = 0; i < deps->n; i++) {
		dg_str(&d, deps->v[i]);
		if (dg_file(&d, deps->v[i]) != 0)
			return NULL;
	}
	return dg_hex(&d);
}

void oc_parse_deps(const char *rule, struct u_list *out)
{
	const char *p = rule;
	while (*p && !(p[0] == ':' && (p[1] == ' ' || p[1] == '\t' || p[1] == '\n' || p[1] == '\\' || !p[1])))
		p++;
	if (!*p)
		return;
	p++;
	struct u_buf word = { 0 };
	for (;; p++) {
		if (p[0] == '\\' && (p[1] == ' ' || p[1] == '#')) {
			char c[2] = { *++p, '\0' };
			u_buf_add(&word, c);
		} else if (p[0] == '$' && p[1] == '$') {
			u_buf_add(&word, "$");
			p++;
		} else if (*p && !(p[0] == '\\' && p[1] == '\n') && *p != ' ' && *p != '\t' && *p != '\n') {
			char c[2] = { *p, '\0' };
			u_buf_add(&word, c);
		} else {
			if (word.len)
				u_list_add(out, u_buf_take(&word));
			if (p[0] == '\\')
				p++;
			if (!*p)
				break;
		}
	}
	free(word.s);
}

/* A cached object for key whose files are all unchanged, copied to dest: 0; else -1. */
static int oc_lookup(const char *cache, const char *key, const char *dest)
{
	char *manifest = u_fmt("%s/%s.deps", cache, key), *text = u_slurp(manifest, NULL);
	int rc = -1;
	if (text && strncmp(text, oc_manifest_head, sizeof oc_manifest_head - 1) == 0) {
		struct u_list deps = { 0 };
		u_list_split(&deps, text + sizeof oc_manifest_head - 1, '\n');
		char *key2 = deps.n ? oc_content_key(key, &deps) : NULL;
		char *obj = key2 ? u_fmt("%s/%s.o", cache, key2) : NULL;
		rc = obj && u_copy_file(obj, dest) == 0 ? 0 : -1;
		free(obj);
		free(key2);
		u_list_free(&deps);
	}
	free(text);
	free(manifest);
	return rc;
}

/*
 * Store a fresh object under the content of the files its compile read (depfile), and
 * the list of those files under key. Not when one of them is relative (it would name
 * another file in another work folder) or changed since just before the compile.
 */
static void oc_store(const char *cache, const char *key, const char *depfile, const char *obj, time_t start)
{
	char *rule = u_slurp(depfile, NULL);
	struct u_list deps = { 0 };
	if (rule)
		oc_parse_deps(rule, &deps);
	int ok = deps.n > 0;
	for (int i = 0; ok && i < deps.n; i++) {
		struct stat st;
		ok = deps.v[i][0] == '/' && !strchr(deps.v[i], '\n') && stat(deps.v[i], &st) == 0 &&
		     st.st_mtime < start - OC_NEW_S;
	}
	char *key2 = ok ? oc_content_key(key, &deps) : NULL;
	size_t len;
	char *bytes = key2 ? u_slurp(obj, &len) : NULL;
	if (bytes) {
		/* The object first: a list of files always leads to an object, or to a miss. */
		char *path = u_fmt("%s/%s.o", cache, key2), *manifest = u_fmt("%s/%s.deps", cache, key);
		char *list = u_list_join(&deps, "\n"), *text = u_fmt("%s%s\n", oc_manifest_head, list);
		if (store_put(path, bytes, len) == 0)
			store_put(manifest, text, strlen(text));
		free(path);
		free(manifest);
		free(list);
		free(text);
	}
	free(bytes);
	free(key2);
	free(rule);
	u_list_free(&deps);
}

/* Run the compiler into r->obj, with the list of files it read beside it. */
static int oc_compile(const struct u_list *cc, const char *source, const char *workdir, const char *key,
		      const int *cancel, const char *cache, struct oc_result *r)
{
	char *depfile = u_fmt("%s/oc-%.16s.d", workdir, key), *log = u_fmt("%s/oc-%.16s.log", workdir, key);
	struct u_list a = { 0 };
	for (int i = 0; i < cc->n; i++)
		u_list_add(&a, u_xstrdup(cc->v[i]));
	const char *tail[] = { "-MD", "-MF", depfile, "-c", source, "-o", r->obj };
	for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
		u_list_add(&a, u_xstrdup(tail[i]));
	u_list_add(&a, NULL);
	time_t start = time(NULL);
	struct run_spec spec = { .argv = a.v, .dir = workdir, .timeout_s = 120, .out_path = log, .cancel = cancel };
	struct run_result res;
	int ran = run_child(&spec, &res) == 0;
	int rc = 0;
	if (!ran || res.timed_out) {
		r->error = u_xstrdup(res.error ? res.error : "the compiler did not finish in 120 s");
		rc = -1;
	} else if (res.exit_code != 0) {
		char *text = u_slurp(log, NULL);
		r->log = text && *text ? text : u_xstrdup("the compiler failed without a message");
		if (r->log != text)
			free(text);
		rc = -1;
	} else if (cache) {
		oc_store(cache, key, depfile, r->obj, start);
	}
	run_result_free(&res);
	a.n--; /* the NULL terminator is not a string to free */
	u_list_free(&a);
	free(depfile);
	free(log);
	return rc;
}

int oc_object(const struct u_list *cc, const char *source, const char *workdir, int use_cache, const int *cancel,
	      struct oc_result *r)
{
	memset(r, 0, sizeof *r);
	char *key = oc_key(cc, source);
	char *cache = use_cache ? store_dir("obj") : NULL;
	r->obj = u_fmt("%s/oc-%.16s.o", workdir, key);
	int rc = 0;
	if (u_exists(r->obj) || (cache && oc_lookup(cache, key, r->obj) == 0)) /* made by this check already, or before */
		r->hit = 1;
	else
		rc = oc_compile(cc, source, workdir, key, cancel, cache, r);
	free(cache);
	free(key);
	return rc;
}

void oc_result_free(struct oc_result *r)
{
	free(r->obj);
	free(r->log);
	free(r->error);
	memset(r, 0, sizeof *r);
}
