/* ckxml.c: read a Check suite's XML log (libxml2), and judge one run of a suite. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ckxml.h"
#include "util.h"

static char *ck_text(xmlNode *parent, const char *name)
{
	for (xmlNode *c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
			xmlChar *t = xmlNodeGetContent(c);
			char *s = u_xstrdup((const char *)t);
			xmlFree(t);
			return s;
		}
	return u_xstrdup("");
}

static void ck_walk(xmlNode *n, struct ck_log *log)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "test") == 0) {
			log->t = u_xrealloc(log->t, sizeof *log->t * (size_t)(log->n + 1));
			struct ck_test *t = &log->t[log->n++];
			xmlChar *r = xmlGetProp(n, (const xmlChar *)"result");
			t->result = u_xstrdup(r ? (const char *)r : "error");
			xmlFree(r);
			t->id = ck_text(n, "id");
			t->fn = ck_text(n, "fn");
			t->message = ck_text(n, "message");
		} else {
			ck_walk(n->children, log);
		}
	}
}

int ck_parse(const char *xml, size_t len, struct ck_log *log)
{
	memset(log, 0, sizeof *log);
	/* RECOVER: a run the watchdog killed leaves the log unfinished; keep the tests it has. */
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "check.xml", NULL,
				    XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	int ok = root && strcmp((const char *)root->name, "testsuites") == 0;
	if (ok)
		ck_walk(root->children, log);
	xmlFreeDoc(doc);
	return ok ? 0 : -1;
}

void ck_free(struct ck_log *log)
{
	for (int i = 0; i < log->n; i++) {
		free(log->t[i].id);
		free(log->t[i].result);
		free(log->t[i].fn);
		free(log->t[i].message);
	}
	free(log->t);
	memset(log, 0, sizeof *log);
}

int ck_read(const char *path, struct ck_log *log)
{
	size_t len = 0;
	char *xml = u_slurp(path, &len);
	int rc = xml ? ck_parse(xml, len, log) : -1;
	if (!xml)
		memset(log, 0, sizeof *log);
	free(xml);
	return rc;
}

/* "test_counter.c:33" -> the line's source, when it is in the lab. */
static char *ck_where(const char *fn, const struct src_ctx *src)
{
	const char *colon = strrchr(fn, ':');
	if (!colon)
		return u_xstrdup(fn);
	char *file = u_fmt("%.*s", (int)(colon - fn), fn);
	char *p = src_point(src, file, atoi(colon + 1));
	free(file);
	return p;
}

/* The watchdog fired: its explanation of the hang, and every thread for --verbose. */
static void ck_hang(const struct run_result *run, const char *before, struct findings *f)
{
	findings_add(f, "hang");
	char *why = run_limit_text(run);
	u_buf_addf(&f->detail, "hung: %s%s.\n  %s\n", why, before, run->hang ? run->hang : "");
	free(why);
	f->topic = run->hang_kind;
	if (run->hang_raw && *run->hang_raw)
		u_buf_addf(&f->raw, "threads when it hung:\n%s", run->hang_raw);
}

static void ck_signal(const struct run_result *run, struct findings *f)
{
	u_buf_addf(&f->detail, "the test program was killed by signal %d (%s)%s\n", run->signal,
		   strsignal(run->signal), run->signal == SIGKILL || run->signal == SIGXCPU
			? ", likely a resource limit" : "");
}

void ck_judge(const char *xmlpath, const struct run_result *run, const struct src_ctx *src,
	      struct findings *f)
{
	struct ck_log log;
	int parsed = ck_read(xmlpath, &log) == 0;
	int passed = 0;
	for (int i = 0; i < log.n; i++) {
		struct ck_test *t = &log.t[i];
		if (strcmp(t->result, "success") == 0) {
			passed++;
			continue;
		}
		/* Check says "error" for a test that died (signal, early exit), "failure" for an assertion. */
		int crash = strcmp(t->result, "failure") != 0;
		findings_add(f, crash ? "crash" : "fail");
		char *where = ck_where(t->fn, src);
		u_buf_addf(&f->detail, "test %s %s: %s\n      %s\n", t->id,
			   crash ? "crashed" : "failed", t->message, where);
		u_buf_addf(&f->raw, "%s: %s: %s (%s)\n", t->id, t->result, t->message, t->fn);
		free(where);
	}
	if (run->timed_out) {
		char *before = u_fmt(", %d test%s passed before it", passed, passed == 1 ? "" : "s");
		ck_hang(run, before, f);
		free(before);
	} else if (!f->count && (run->exit_code != 0 || !parsed || log.n == 0)) {
		/* Every test it logged passed, yet the run did not end well: the suite itself broke. */
		findings_add(f, "crash");
		if (run->signal)
			ck_signal(run, f);
		else if (!parsed || log.n == 0)
			u_buf_addf(&f->detail, "the test program ended (exit code %d) without reporting any test\n",
				   run->exit_code);
		else
			u_buf_addf(&f->detail, "the test program exited with code %d although its tests passed\n",
				   run->exit_code);
	}
	ck_free(&log);
}

void ck_judge_program(const struct run_result *run, struct findings *f)
{
	if (run->timed_out) {
		ck_hang(run, "", f);
	} else if (run->signal) {
		findings_add(f, "crash");
		ck_signal(run, f);
	} else if (run->exit_code != 0) {
		findings_add(f, "exit");
		u_buf_addf(&f->detail, "the program exited with code %d\n", run->exit_code);
	}
}
