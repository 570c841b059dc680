/* valgrind.c: run a suite under a Valgrind tool and read the XML it writes (libxml2). */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "valgrind.h"

void vg_args(const char *tool, const char *xmlprefix, struct u_list *args)
{
	u_list_add(args, u_xstrdup("valgrind"));
	u_list_add(args, u_fmt("--tool=%s", tool));
	u_list_add(args, u_xstrdup("-q"));
	u_list_add(args, u_xstrdup("--xml=yes"));
	/* %p: Check runs each test in a forked child, and each child writes its own file. */
	u_list_add(args, u_fmt("--xml-file=%s.%%p.xml", xmlprefix));
	u_list_add(args, u_xstrdup("--error-exitcode=99"));
	/*
	 * No gdb server: its pipes in /tmp are named by pid, which repeats in every run's own PID
	 * namespace, and a killed run leaves them behind; a clash stops Valgrind before it starts.
	 */
	u_list_add(args, u_xstrdup("--vgdb=no"));
	if (strcmp(tool, "drd") == 0)
		u_list_add(args, u_xstrdup("--check-stack-var=yes"));
	if (strcmp(tool, "memcheck") == 0) {
		u_list_add(args, u_xstrdup("--leak-check=full"));
		u_list_add(args, u_xstrdup("--show-leak-kinds=definite"));
		u_list_add(args, u_xstrdup("--errors-for-leak-kinds=definite"));
	}
}

static const char *vg_meaning(const char *kind)
{
	static const char *const m[][2] = {
		{ "Race", "Two threads accessed this memory, at least one writing, with no lock or "
			  "other synchronization ordering them." },
		{ "ConflictingAccess", "Two threads accessed this memory, at least one writing, with no "
				       "lock or other synchronization ordering them." },
		{ "LockOrder", "These locks are taken in one order here and the opposite order elsewhere: "
			       "two threads doing both at once deadlock." },
		{ "UnlockUnlocked", "A mutex was unlocked that was not locked." },
		{ "UnlockForeign", "A thread unlocked a mutex that another thread holds." },
		{ "Leak_DefinitelyLost", "Memory was allocated and every pointer to it was lost." },
		{ "InvalidRead", "The code read memory it does not own (freed, or out of bounds)." },
		{ "InvalidWrite", "The code wrote memory it does not own (freed, or out of bounds)." },
		{ "InvalidFree", "Memory was freed twice, or was never allocated." },
		{ "CondRaceErr", "A condition variable was signalled without holding its mutex: a waiter "
				 "can miss the wakeup." },
		{ "Misc", "A pthreads call was used in a way that breaks its rules." },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (strcmp(kind, m[i][0]) == 0)
			return m[i][1];
	return "Valgrind found an error here.";
}

static xmlNode *vg_child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static char *vg_text(xmlNode *n)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	char *s = u_xstrdup(t ? (const char *)t : "");
	xmlFree(t);
	return s;
}

/* The first frame of a <stack> in the lab's code, the learner's file first. */
static char *vg_best_frame(xmlNode *stack, const struct src_ctx *src)
{
	char *best = NULL;
	int best_rank = 0;
	for (xmlNode *fr = stack->children; fr; fr = fr->next) {
		if (fr->type != XML_ELEMENT_NODE)
			continue;
		char *file = vg_text(vg_child(fr, "file"));
		char *line = vg_text(vg_child(fr, "line"));
		char *fn = vg_text(vg_child(fr, "fn"));
		int r = src_rank(src, file);
		if (r > best_rank && atoi(line) > 0) {
			free(best);
			char *p = src_point(src, file, atoi(line));
			best = u_fmt("%s  (in %s)", p, fn);
			free(p);
			best_rank = r;
		}
		free(file);
		free(line);
		free(fn);
	}
	return best;
}

/* Drop " at 0x1234" from a sentence: an address means nothing to the learner. */
static void vg_drop_address(char *s)
{
	char *at = strstr(s, " at 0x");
	if (!at)
		return;
	char *end = at + 6;
	while ((*end >= '0' && *end <= '9') || (*end >= 'a' && *end <= 'f') || (*end >= 'A' && *end <= 'F'))
		end++;
	memmove(at, end, strlen(end) + 1);
}

/* "Data race on c->value:" when the learner's line of a racing write says what it writes. */
static int vg_race_on(const char *point, const struct src_ctx *src, struct u_buf *out)
{
	size_t edit = strlen(src->edit);
	if (strncmp(point, src->edit, edit) != 0 || point[edit] != ':')
		return 0;
	const char *text = strchr(point + edit + 1, ':');
	if (!text)
		return 0;
	char *stmt = u_fmt("%.*s", (int)(strstr(text, "  (in ") ? strstr(text, "  (in ") - text - 1 : (long)strlen(text) - 1), text + 1);
	char *lv = src_lvalue(stmt);
	if (lv)
		u_buf_addf(out, "  Data race on %s: two threads use it at once, at least one writing, and nothing orders them.\n", lv);
	int found = lv != NULL;
	free(lv);
	free(stmt);
	return found;
}

static void vg_error(xmlNode *err, const struct src_ctx *src, struct findings *f)
{
	char *kind = vg_text(vg_child(err, "kind"));
	if (findings_add(f, kind)) {
		u_buf_addf(&f->detail, "Valgrind: %s\n", kind);
		struct u_buf sections = { 0 };
		char *section = NULL;
		int shown = 0, raced = 0;
		for (xmlNode *c = err->children; c && shown < 3; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			const char *name = (const char *)c->name;
			if (!strcmp(name, "what") || !strcmp(name, "auxwhat")) {
				free(section);
				section = vg_text(c);
			} else if (!strcmp(name, "xwhat") || !strcmp(name, "xauxwhat")) {
				free(section);
				section = vg_text(vg_child(c, "text"));
			} else if (!strcmp(name, "stack")) {
				char *best = vg_best_frame(c, src);
				/* A race's write in the learner's file names what raced, above the sections. */
				if (best && !raced && section && (strstr(section, "race") || strstr(section, "onflict")) &&
				    (strstr(section, "write") || strstr(section, "store")))
					raced = vg_race_on(best, src, &f->detail);
				if (best) {
					if (section)
						vg_drop_address(section);
					u_buf_addf(&sections, "  %s\n      %s\n", section ? section : kind, best);
					shown++;
				}
				free(best);
				free(section);
				section = NULL;
			}
		}
		free(section);
		char *s = u_buf_take(&sections);
		u_buf_add(&f->detail, s);
		free(s);
		if (!raced) /* the "Data race on" line already said what it means */
			u_buf_addf(&f->detail, "  %s\n", vg_meaning(kind));
	}
	free(kind);
}

void vg_parse(const char *xml, size_t len, const struct src_ctx *src, struct findings *f)
{
	/* RECOVER: a run the watchdog killed leaves its XML unfinished; read what is there. */
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "valgrind.xml", NULL,
				    XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return;
	for (xmlNode *n = xmlDocGetRootElement(doc) ? xmlDocGetRootElement(doc)->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "error") == 0)
			vg_error(n, src, f);
	xmlFreeDoc(doc);
}

void vg_read(const char *xmlprefix, const struct src_ctx *src, struct findings *f)
{
	struct u_list xmls = { 0 };
	int files = 0, unfinished = 0;
	u_pid_files(xmlprefix, &xmls);
	for (int i = 0; i < xmls.n; i++) {
		size_t len;
		char *text = u_slurp(xmls.v[i], &len);
		if (!text)
			continue;
		files++;
		unfinished += strstr(text, "</valgrindoutput>") == NULL;
		if (strstr(text, "<error>"))
			u_buf_add(&f->raw, text);
		vg_parse(text, len, src, f);
		free(text);
	}
	u_list_free(&xmls);
	if (!files)
		f->fatal = u_xstrdup("Valgrind wrote no report (is it installed? try: valgrind --version)");
	else if (unfinished && !f->count)
		/* Valgrind ends every report it finishes: an open one was killed, or Valgrind gave up. */
		f->fatal = u_fmt("%d of Valgrind's %d reports ended before the process did: it was killed, or "
				 "Valgrind stopped early", unfinished, files);
}
