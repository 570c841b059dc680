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

/* Point x at Check's "test_counter.c:33" and give its line's source; the point, for the text. */
static char *ck_where(const char *fn, const struct src_ctx *src, struct finding *x)
{
	const char *colon = strrchr(fn, ':');
	if (!colon)
		return u_xstrdup(fn);
	char *file = u_fmt("%.*s", (int)(colon - fn), fn);
	char *p = src_point(src, file, atoi(colon + 1));
	x->file = u_xstrdup(u_basename(file));
	x->line = atoi(colon + 1);
	free(file);
	return p;
}

void ck_add_hang(const struct run_result *run, const struct wd_hang *hang, const char *before, struct findings *f)
{
	struct finding *x = finding_add(f, "watchdog", "hang");
	char *why = run_limit_text(run);
	const char *said = hang && hang->text ? hang->text : "";
	x->text = u_fmt("hung: %s%s.\n  %s\n", why, before ? before : "", said);
	x->evidence = u_xstrdup(said);
	x->hang_kind = hang ? hang->kind : NULL;
	for (int i = 0; hang && i < hang->objects.n; i++)
		u_list_add(&x->objects, u_xstrdup(hang->objects.v[i]));
	free(why);
	if (hang && hang->raw && *hang->raw)
		u_buf_addf(&f->raw, "threads when it hung:\n%s", hang->raw);
}

/* The run itself broke (a signal, an exit code): a record of kind crash or exit. */
static void ck_ended_badly(const struct run_result *run, const char *kind, const char *why, struct findings *f)
{
	struct finding *x = finding_add(f, "tests", kind);
	if (run->signal)
		x->text = u_fmt("the test program was killed by signal %d (%s)%s\n", run->signal, strsignal(run->signal),
				run->signal == SIGKILL || run->signal == SIGXCPU ? ", likely a resource limit" : "");
	else
		x->text = u_fmt("%s\n", why);
}

void ck_judge(const char *xmlpath, const struct run_result *run, const struct wd_hang *hang,
	      const struct src_ctx *src, struct findings *f)
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
		struct finding *x = finding_add(f, "tests", crash ? "crash" : "fail");
		char *where = ck_where(t->fn, src, x);
		x->test = u_xstrdup(t->id);
		x->evidence = u_xstrdup(t->message);
		x->text = u_fmt("test %s %s: %s\n      %s\n", t->id, crash ? "crashed" : "failed", t->message, where);
		u_buf_addf(&f->raw, "%s: %s: %s (%s)\n", t->id, t->result, t->message, t->fn);
		free(where);
	}
	if (run->timed_out) {
		char *before = u_fmt(", %d test%s passed before it", passed, passed == 1 ? "" : "s");
		ck_add_hang(run, hang, before, f);
		free(before);
	} else if (!f->n && (run->exit_code != 0 || !parsed || log.n == 0)) {
		/* Every test it logged passed, yet the run did not end well: the suite itself broke. */
		char *why = !parsed || log.n == 0
			? u_fmt("the test program ended (exit code %d) without reporting any test", run->exit_code)
			: u_fmt("the test program exited with code %d although its tests passed", run->exit_code);
		ck_ended_badly(run, "crash", why, f);
		free(why);
	}
	ck_free(&log);
}

void ck_judge_program(const struct run_result *run, const struct wd_hang *hang, struct findings *f)
{
	if (run->timed_out) {
		ck_add_hang(run, hang, NULL, f);
	} else if (run->signal) {
		ck_ended_badly(run, "crash", NULL, f);
	} else if (run->exit_code != 0) {
		char *why = u_fmt("the program exited with code %d", run->exit_code);
		ck_ended_badly(run, "exit", why, f);
		free(why);
	}
}
