/* report_to.c: racelab check --report-to: the check's result posted to the instructor's room (libcurl). */
#include <curl/curl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "progress.h"
#include "report_to.h"

enum { REPORT_TO_TIMEOUT_S = 5 };

static int report_to_ini(void *user, const char *section, const char *key, const char *value)
{
	struct report_to *rt = user;
	char **slot = strcmp(section, "room") ? NULL
		: !strcmp(key, "url") ? &rt->url : !strcmp(key, "name") ? &rt->name
		: !strcmp(key, "token") ? &rt->token : NULL;
	if (slot) {
		free(*slot);
		*slot = u_xstrdup(value);
	}
	return 1;
}

int report_to_settings(const struct cli_opts *o, struct report_to *rt)
{
	memset(rt, 0, sizeof *rt);
	const char *from = "--report-to, --name and --token";
	if (o->report_to || o->name || o->token) {
		rt->url = o->report_to ? u_xstrdup(o->report_to) : NULL;
		rt->name = o->name ? u_xstrdup(o->name) : NULL;
		rt->token = o->token ? u_xstrdup(o->token) : NULL;
	} else {
		char *path = u_fmt("%s/room.ini", prog_dir());
		char *text = u_slurp(path, NULL);
		if (text)
			ini_parse_string(text, report_to_ini, rt);
		free(text);
		from = "room.ini's url, name and token";
		free(path);
		if (!rt->url && !rt->name && !rt->token)
			return 0;
	}
	if (rt->url && rt->name && rt->token && *rt->url && *rt->name && *rt->token)
		return 1;
	fprintf(stderr, "racelab: reporting to a room takes all three of %s\n", from);
	report_to_free(rt);
	return -1;
}

void report_to_free(struct report_to *rt)
{
	free(rt->url);
	free(rt->name);
	free(rt->token);
	memset(rt, 0, sizeof *rt);
}

/* Delete every key of obj that keep does not list: what is kept is named, all else goes. */
static void report_to_keep(json_t *obj, const char *const *keep)
{
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(obj, tmp, key, v) {
		int listed = 0;
		for (const char *const *k = keep; *k && !listed; k++)
			listed = strcmp(*k, key) == 0;
		if (!listed)
			json_object_del(obj, key);
	}
}

json_t *report_to_body(const struct result *r, const char *name)
{
	static const char *const top[] = { "lab", "title", "score", "max_score", "counted_max_score", "seconds",
					   "gates", NULL };
	static const char *const gate[] = { "name", "status", "points", "max_points", "seconds", "kinds", NULL };
	json_t *doc = jsonout_result(r), *g;
	size_t i;
	report_to_keep(doc, top);
	json_array_foreach(json_object_get(doc, "gates"), i, g)
		report_to_keep(g, gate);
	json_object_set_new(doc, "name", json_string(name));
	return doc;
}

/* The room's answer, kept to say why it refused (its {"error": ...}), at most a few KiB. */
static size_t report_to_answer(char *data, size_t size, size_t n, void *user)
{
	struct u_buf *b = user;
	if (b->len < 4096)
		u_buf_addf(b, "%.*s", (int)(size * n), data);
	return size * n;
}

int report_to_post(const struct report_to *rt, json_t *body, char *why, size_t whylen)
{
	char *text = json_dumps(body, JSON_COMPACT);
	size_t ulen = strlen(rt->url);
	char *url = u_fmt("%.*s/api/results", (int)(ulen && rt->url[ulen - 1] == '/' ? ulen - 1 : ulen), rt->url);
	char *auth = u_fmt("Authorization: Bearer %s", rt->token);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	struct u_buf answer = { 0 };
	long code = 0;
	CURLcode rc = CURLE_FAILED_INIT;
	CURL *c = text ? curl_easy_init() : NULL;
	if (c) {
		curl_easy_setopt(c, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
		curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)REPORT_TO_TIMEOUT_S);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* no SIGALRM for name lookups: racelab has threads */
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, report_to_answer);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_cleanup(c);
	}
	int ok = rc == CURLE_OK && code >= 200 && code < 300;
	if (rc != CURLE_OK) {
		snprintf(why, whylen, "%s", curl_easy_strerror(rc));
	} else if (!ok) {
		json_t *doc = answer.s ? json_loads(answer.s, 0, NULL) : NULL;
		const char *err = json_string_value(json_object_get(doc, "error"));
		snprintf(why, whylen, "the room answered %ld%s%s", code, err ? ": " : "", err ? err : "");
		json_decref(doc);
	}
	free(answer.s);
	curl_slist_free_all(h);
	free(auth);
	free(url);
	free(text);
	return ok ? 0 : -1;
}

void report_to_check(const struct cli_opts *o, const struct result *r)
{
	struct report_to rt;
	if (report_to_settings(o, &rt) <= 0)
		return;
	char why[512];
	json_t *body = report_to_body(r, rt.name);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (report_to_post(&rt, body, why, sizeof why) == 0)
		printf("  Reported to the room at %s as %s.\n", rt.url, rt.name);
	else
		fprintf(stderr, "racelab: could not report to the room at %s: %s\n", rt.url, why);
	curl_global_cleanup();
	json_decref(body);
	report_to_free(&rt);
}
