/* valgrind.c: run a suite under a Valgrind tool and read the XML it writes (libxml2). */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "misuse.h"
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
	for (size_t i = 0; i < NELEM(m); i++)
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

/* The frames of a stack read: Valgrind prints 12 by default (--num-callers), far fewer than this. */
enum { VG_FRAMES = 64 };

/* A <stack>'s frames, for src_best; at most max. */
static int vg_frames(xmlNode *stack, const struct src_ctx *src, struct src_frame *out, int max)
{
	int n = 0;
	for (xmlNode *fr = stack->children; fr && n < max; fr = fr->next) {
		if (fr->type != XML_ELEMENT_NODE)
			continue;
		char *line = vg_text(vg_child(fr, "line"));
		struct src_frame *f = &out[n++];
		f->file = vg_text(vg_child(fr, "file"));
		f->fn = vg_text(vg_child(fr, "fn"));
		f->line = atoi(line);
		f->rank = src_rank(src, f->file);
		free(line);
	}
	return n;
}

static void vg_frames_free(struct src_frame *f, int n)
{
	for (int i = 0; i < n; i++) {
		free(f[i].file);
		free(f[i].fn);
	}
}

/* Whether a section's words say a racing write ("... during write of size 8", "conflicting store"). */
static int vg_racing_write(const char *section)
{
	return section && (strstr(section, "race") || strstr(section, "onflict")) &&
	       (strstr(section, "write") || strstr(section, "store"));
}

/*
 * Whether a section's words describe one access of a race, and which: Helgrind's "Possible data
 * race during write of size 4 at ..." and "This conflicts with a previous read of size 4 by ...",
 * DRD's "Conflicting store by thread 2 at 0x... size 4".
 */
static int vg_access_words(const char *section, int *write, int *size)
{
	const char *hg = section ? strstr(section, "during ") : NULL, *prev = section ? strstr(section, "previous ") : NULL;
	const char *drd = section ? strstr(section, "Conflicting ") : NULL;
	const char *w = hg ? hg + 7 : prev ? prev + 9 : drd ? drd + 12 : NULL;
	if (!w)
		return 0;
	*write = !strncmp(w, "write", 5) || !strncmp(w, "store", 5);
	const char *sz = strstr(w, "size ");
	*size = sz ? atoi(sz + 5) : 0;
	return *write || !strncmp(w, "read", 4) || !strncmp(w, "load", 4);
}

/* The access a stack shows, at its innermost frame (with the instruction's address), into x. */
static void vg_access(xmlNode *stack, const struct src_frame *top, int write, int size, struct finding *x)
{
	struct finding_access *a = finding_add_access(x);
	xmlNode *fr = stack->children;
	while (fr && fr->type != XML_ELEMENT_NODE)
		fr = fr->next;
	char *ip = vg_text(vg_child(fr, "ip"));
	a->ip = strtoul(ip, NULL, 16);
	free(ip);
	a->write = write;
	a->size = size;
	a->file = top->rank && *top->file ? u_xstrdup(u_basename(top->file)) : NULL;
	a->line = top->line;
	a->function = *top->fn ? u_xstrdup(top->fn) : NULL;
	a->in_lab = top->rank > 0;
}

/* The <ip> of a stack's frame k, 0 when it has none. */
static unsigned long vg_frame_ip(xmlNode *stack, int k)
{
	for (xmlNode *fr = stack->children; fr; fr = fr->next)
		if (fr->type == XML_ELEMENT_NODE && k-- == 0) {
			char *ip = vg_text(vg_child(fr, "ip"));
			unsigned long v = strtoul(ip, NULL, 16);
			free(ip);
			return v;
		}
	return 0;
}

/*
 * A stack's site: its innermost frame in the lab's code, and the frame it called when the tool names
 * it (a Valgrind without its own symbols shows "???" there: the binary then tells, access.h). Of a
 * lock order, the stacks of each edge's second acquisition are marked: Helgrind's first stack (the
 * acquisition that broke the order) and its "followed by a later acquisition".
 */
static void vg_site(xmlNode *stack, const struct src_frame *fr, int n, const char *section, struct finding *x)
{
	int k = 0;
	while (k < n && !fr[k].rank)
		k++;
	if (k == n)
		return;
	struct finding_site *s = finding_add_site(x);
	s->file = u_xstrdup(u_basename(fr[k].file));
	s->line = fr[k].line;
	s->ip = vg_frame_ip(stack, k);
	s->callee = k > 0 && *fr[k - 1].fn ? u_xstrdup(fr[k - 1].fn) : NULL;
	s->later_lock = !strcmp(x->kind, "LockOrder") && section &&
			(strstr(section, "lock order") || strstr(section, "later acquisition"));
}

/* What reading one <error> gathers. */
struct vg_err {
	const struct src_ctx *src;
	const char *kind;
	struct finding *x;
	int race, shown;
	char *what;            /* what a racing write in the learner's file writes */
	struct u_buf sections;
};

/* One <stack> after its section's words: a race's access, the record's place, a line of the text. */
static void vg_stack(xmlNode *c, char *section, struct vg_err *e)
{
	struct src_frame fr[VG_FRAMES] = { 0 };
	int n = vg_frames(c, e->src, fr, VG_FRAMES), b = src_best(fr, n), write, size;
	struct finding *x = e->x;
	if (e->race && n > 0 && vg_access_words(section, &write, &size))
		vg_access(c, &fr[0], write, size, x);
	vg_site(c, fr, n, section, x);
	x->outside_lab |= b < 0 && vg_racing_write(section);
	if (b >= 0 && !x->file)
		src_place(x, &fr[b]);
	/* A race's write in the learner's file names what raced, above the sections. */
	if (b >= 0 && !e->what && fr[b].rank == 2 && fr[b].line > 0 && vg_racing_write(section)) {
		char *stmt = src_text(e->src, &fr[b]);
		e->what = stmt ? src_lvalue(stmt) : NULL;
		free(stmt);
	}
	if (b >= 0 && e->shown < 3) {
		char *best = src_frame_point(e->src, &fr[b]);
		if (section)
			src_drop_address(section);
		u_buf_addf(&e->sections, "  %s\n      %s\n", section ? section : e->kind, best);
		e->shown++;
		free(best);
	}
	vg_frames_free(fr, n);
}

/*
 * One <error>: a record of its kind, placed at the first stack frame in the lab's code, naming
 * what a racing write in the learner's file writes; its text shows up to three sections (DRD's
 * "first observed at" of a mutex among them), or the tool's sentence when none is in the lab.
 */
static void vg_error(xmlNode *err, const struct src_ctx *src, const char *tool, struct findings *f)
{
	char *kind = vg_text(vg_child(err, "kind"));
	struct finding *x = finding_add(f, tool, kind);
	struct vg_err e = { .src = src, .kind = kind, .x = x };
	struct u_buf out = { 0 };
	char *section = NULL;
	e.race = !strcmp(kind, "Race") || !strcmp(kind, "ConflictingAccess");
	x->evidence = vg_text(vg_child(err, "what"));
	if (!*x->evidence) {
		free(x->evidence);
		x->evidence = vg_text(vg_child(vg_child(err, "xwhat"), "text"));
	}
	x->misuse = misuse_of(tool, kind, x->evidence);
	for (xmlNode *c = err->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)c->name;
		if (!strcmp(name, "what") || !strcmp(name, "auxwhat")) {
			free(section);
			section = vg_text(c);
		} else if (!strcmp(name, "xwhat") || !strcmp(name, "xauxwhat")) {
			free(section);
			section = vg_text(vg_child(c, "text"));
		} else if (!strcmp(name, "stack") || (!strcmp(name, "first_observed_at") && vg_child(c, "stack"))) {
			if (strcmp(name, "stack")) { /* DRD: where the object (a mutex) was first used */
				char *obj = vg_text(vg_child(c, "what"));
				free(section);
				section = u_fmt("the %s was first used here", *obj ? obj : "object");
				free(obj);
			}
			vg_stack(strcmp(name, "stack") ? vg_child(c, "stack") : c, section, &e);
			free(section);
			section = NULL;
		}
	}
	free(section);
	u_buf_addf(&out, "Valgrind: %s\n", kind);
	if (e.what) {
		char *line = src_race_line(e.what, NULL);
		u_buf_add(&out, line);
		u_list_add(&x->objects, e.what);
		free(line);
	}
	char *s = u_buf_take(&e.sections);
	if (!e.shown && *x->evidence) { /* nothing in the lab's code to point at: the tool's own sentence */
		free(s);
		s = u_fmt("  %s\n", x->evidence);
		src_drop_address(s);
	}
	u_buf_add(&out, s);
	free(s);
	if (x->misuse)
		u_buf_addf(&out, "  %s\n", misuse_meaning(x->misuse));
	else if (!e.what) /* the "Data race on" line already said what it means */
		u_buf_addf(&out, "  %s\n", vg_meaning(kind));
	x->text = u_buf_take(&out);
	free(kind);
}

void vg_parse(const char *xml, size_t len, const struct src_ctx *src, const char *tool, struct findings *f)
{
	/* RECOVER: a run the watchdog killed leaves its XML unfinished; read what is there. */
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "valgrind.xml", NULL,
				    XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return;
	for (xmlNode *n = xmlDocGetRootElement(doc) ? xmlDocGetRootElement(doc)->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "error") == 0)
			vg_error(n, src, tool, f);
	xmlFreeDoc(doc);
}

void vg_read(const char *xmlprefix, const struct src_ctx *src, const char *tool, struct findings *f)
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
		vg_parse(text, len, src, tool, f);
		free(text);
	}
	u_list_free(&xmls);
	if (!files)
		f->fatal = u_xstrdup("Valgrind wrote no report (is it installed? try: valgrind --version)");
	else if (unfinished && !f->n)
		/* Valgrind ends every report it finishes: an open one was killed, or Valgrind gave up. */
		f->fatal = u_fmt("%d of Valgrind's %d reports ended before the process did: it was killed, or "
				 "Valgrind stopped early", unfinished, files);
}
