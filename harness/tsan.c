/* tsan.c: read ThreadSanitizer's reports from the files its log_path names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misuse.h"
#include "tsan.h"
#include "util.h"

char *tsan_options(const char *logprefix)
{
	/*
	 * atexit_sleep_ms=0: the default sleeps a second at exit, most of a check.
	 * handle_segv=0: else a crash also exits 66 and looks like a report.
	 * log_path: reports go to files we read, never to the program's output.
	 */
	return u_fmt("TSAN_OPTIONS=log_path=%s atexit_sleep_ms=0 handle_segv=0 "
		     "second_deadlock_stack=1 history_size=2", logprefix);
}

/* The report's headline, "data race" or "lock-order-inversion (potential deadlock)", as a kind. */
static char *tsan_kind(const char *headline)
{
	static const char *const known[][2] = {
		{ "data race", "data-race" },
		{ "lock-order-inversion", "lock-order-inversion" },
		{ "thread leak", "thread-leak" },
		{ "signal-unsafe call", "signal-unsafe-call" },
		{ "signal handler spoils errno", "errno-spoiled" },
		{ "heap-use-after-free", "heap-use-after-free" },
		{ "use of an invalid mutex", "invalid-mutex" },
		{ "unlock of an unlocked mutex", "unlock-unlocked" },
		{ "double lock of a mutex", "double-lock" },
		{ "destroy of a locked mutex", "destroy-locked" },
		{ "mutex held in the wrong context", "wrong-context" },
	};
	for (size_t i = 0; i < NELEM(known); i++)
		if (strncmp(headline, known[i][0], strlen(known[i][0])) == 0)
			return u_xstrdup(known[i][1]);
	char *k = u_xstrdup(headline);
	char *cut = strstr(k, " (");
	if (cut)
		*cut = '\0';
	for (char *p = k; *p; p++)
		if (*p == ' ')
			*p = '-';
	return k;
}

/* What a kind means, in a line a learner can act on. */
static const char *tsan_meaning(const char *kind)
{
	if (strcmp(kind, "thread-leak") == 0)
		return "A thread was created and never joined (or detached): its result and its resources are lost.";
	if (strcmp(kind, "heap-use-after-free") == 0)
		return "Memory was used after it was freed, here because another thread freed it first.";
	return "ThreadSanitizer found a synchronization error in this code.";
}

/*
 * A report is a headline, then sections ("Write of size 8 at ... by thread T2:")
 * each followed by stack frames ("    #0 counter_inc /tmp/.../counter.c:19:10 (...)").
 * A section without frames ("Location is global 'x' of size 8 at ...") is one line.
 */
enum { TS_FRAMES = 48, TS_SECTIONS = 64 };

struct ts_section {
	char *title;           /* without the address and the final colon */
	struct src_frame f[TS_FRAMES];
	int n;
};

struct ts_report {
	struct ts_section s[TS_SECTIONS];
	int n;
};

static void ts_frame_parse(const char *t, const struct src_ctx *src, struct ts_section *s)
{
	/* "#0 func /path/file.c:19:10 (bin+0x...)"; the location may lack ":line" or be "<null>" */
	char fn[256], loc[1024];
	if (s->n >= TS_FRAMES || sscanf(t, "#%*d %255s %1023s", fn, loc) != 2)
		return;
	char *colon = strchr(loc, ':');
	int ln = colon ? atoi(colon + 1) : 0;
	if (colon)
		*colon = '\0';
	struct src_frame *f = &s->f[s->n++];
	f->fn = u_xstrdup(fn);
	f->file = u_xstrdup(loc);
	f->line = ln;
	f->rank = loc[0] == '(' || loc[0] == '<' ? 0 : src_rank(src, loc);
}

static void ts_split(const char *rep, const struct src_ctx *src, struct ts_report *r)
{
	char *copy = u_xstrdup(rep);
	char *save = NULL; /* strtok_r: gates read their reports on several threads */
	struct ts_section *cur = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int frame = strstr(line, "    #") == line;
		char *t = u_trim(line);
		if (frame) {
			if (cur)
				ts_frame_parse(t, src, cur);
			continue;
		}
		if (!t[0] || strncmp(t, "SUMMARY", 7) == 0 || r->n >= TS_SECTIONS)
			continue;
		cur = &r->s[r->n++];
		/* Some reports (a signal-unsafe call, a thread leak) put their stack right under the headline. */
		if (strstr(t, "WARNING: ThreadSanitizer:") == t)
			cur->title = u_xstrdup("here");
		else
			cur->title = u_fmt("%.*s", (int)strlen(t) - (t[strlen(t) - 1] == ':'), t);
		src_drop_address(cur->title);
	}
	free(copy);
}

static void ts_free(struct ts_report *r)
{
	for (int i = 0; i < r->n; i++) {
		for (int k = 0; k < r->s[i].n; k++) {
			free(r->s[i].f[k].fn);
			free(r->s[i].f[k].file);
		}
		free(r->s[i].title);
	}
}

static int ts_best(const struct ts_section *s)
{
	return src_best(s->f, s->n);
}

/* The lab frame that called the best one: often what names the culprit (a handler, a thread). */
static char *ts_caller(const struct src_ctx *src, const struct ts_section *s, int best)
{
	for (int k = best + 1; best >= 0 && k < s->n; k++)
		if (s->f[k].rank && s->f[k].line > 0)
			return src_frame_point(src, &s->f[k]);
	return NULL;
}

/* "Write of size 8 by thread T3 (mutexes: ...)" -> "thread T3"; "... by main thread" -> "the main thread". */
static char *ts_thread(const char *title)
{
	const char *by = strstr(title, " by ");
	if (!by)
		return u_xstrdup("a thread");
	by += 4;
	int n = (int)strcspn(by, "(:");
	while (n > 0 && by[n - 1] == ' ')
		n--;
	return strncmp(by, "main thread", 11) == 0 ? u_xstrdup("the main thread") : u_fmt("%.*s", n, by);
}

static int ts_is_access(const char *title)
{
	static const char *const a[] = { "Read of", "Write of", "Previous read", "Previous write", "Atomic read",
					 "Atomic write", "Previous atomic" };
	for (size_t i = 0; i < NELEM(a); i++)
		if (strncmp(title, a[i], strlen(a[i])) == 0)
			return 1;
	return 0;
}

/* What raced: "global 'shared'", "a 64-byte heap block allocated at jobs.c:23: ...", "a local variable of ...". */
static char *ts_location(const struct ts_report *r, const struct src_ctx *src)
{
	for (int i = 0; i < r->n; i++) {
		const struct ts_section *s = &r->s[i];
		char name[256];
		long size = 0;
		if (sscanf(s->title, "Location is global '%255[^']' of size %ld", name, &size) >= 1 &&
		    strcmp(name, "??") != 0)
			return u_fmt("global '%s'", name);
		if (sscanf(s->title, "Location is heap block of size %ld", &size) == 1) {
			int b = ts_best(s);
			char *at = b >= 0 ? src_frame_point(src, &s->f[b]) : NULL;
			char *w = u_fmt("a heap block of %ld bytes%s%s", size, at ? " allocated at " : "", at ? at : "");
			free(at);
			return w;
		}
		if (strncmp(s->title, "Location is stack of ", 21) == 0)
			return u_fmt("a local variable on the stack of %s%.*s", strncmp(s->title + 21, "main", 4) ? "" : "the ",
				     (int)strcspn(s->title + 21, "."), s->title + 21);
		if (strncmp(s->title, "Location is TLS of ", 19) == 0)
			return u_fmt("a thread-local variable of %s", s->title + 19);
	}
	return NULL;
}

/* "thread T3 was started at X" for each place the racing threads were created. */
static void ts_creators(const struct ts_report *r, const struct src_ctx *src, struct u_list *threads,
			struct u_buf *out)
{
	struct u_list where = { 0 }, who = { 0 };
	for (int i = 0; i < r->n; i++) {
		const struct ts_section *s = &r->s[i];
		char name[64];
		int b = ts_best(s);
		if (sscanf(s->title, "Thread %63s", name) != 1 || !strstr(s->title, "created by") || b < 0)
			continue;
		char *t = u_fmt("thread %s", name);
		int racing = u_list_has(threads, t);
		free(t);
		if (!racing)
			continue;
		char *p = src_frame_point(src, &s->f[b]);
		int k = 0;
		while (k < where.n && strcmp(where.v[k], p) != 0)
			k++;
		if (k == where.n) {
			u_list_add(&where, p);
			u_list_add(&who, u_fmt("thread %s", name));
		} else {
			char *both = strncmp(who.v[k], "threads ", 8) == 0 ? u_fmt("%s, %s", who.v[k], name)
					     : u_fmt("threads %s and %s", who.v[k] + 7, name);
			free(who.v[k]);
			who.v[k] = both;
			free(p);
		}
	}
	for (int k = 0; k < where.n; k++)
		u_buf_addf(out, "    %s %s started at %s\n", who.v[k], strstr(who.v[k], " and ") ? "were" : "was",
			   where.v[k]);
	u_list_free(&where);
	u_list_free(&who);
}

static char *ts_call_arg(const char *text);

/* One racing access as a record: its innermost frame, and what the section's title says of it. */
static void ts_access(const struct ts_section *s, int write, struct finding *x)
{
	struct finding_access *a = finding_add_access(x);
	const char *size = strstr(s->title, "of size ");
	a->write = write;
	a->atomic = strstr(s->title, "tomic") != NULL;
	a->size = size ? atoi(size + 8) : 0;
	if (s->n > 0) {
		a->file = s->f[0].rank ? u_xstrdup(u_basename(s->f[0].file)) : NULL;
		a->line = s->f[0].line;
		a->function = u_xstrdup(s->f[0].fn);
		a->in_lab = s->f[0].rank > 0;
	}
}

/*
 * The racing accesses, each pointed at the lab's code; the record is placed at the first
 * access in the lab and names what was written there ("c->value") and where it lives.
 */
static void ts_data_race(const struct ts_report *r, const struct src_ctx *src, struct finding *x, struct u_buf *out)
{
	struct u_buf lines = { 0 };
	struct u_list threads = { 0 };
	char *field = NULL;
	for (int i = 0; i < r->n; i++) {
		const struct ts_section *s = &r->s[i];
		int b = ts_best(s);
		if (!ts_is_access(s->title))
			continue;
		char *who = ts_thread(s->title);
		int prev = strncmp(s->title, "Previous", 8) == 0;
		int write = strstr(s->title, "rite of") != NULL;
		x->atomic_access |= strstr(s->title, "tomic") != NULL;
		x->outside_lab |= b < 0;
		ts_access(s, write, x);
		if (b >= 0 && !x->file)
			src_place(x, &s->f[b]);
		char *at = b >= 0 ? src_frame_point(src, &s->f[b]) : u_xstrdup("code outside the lab");
		/* Under a line of the learner's file, the caller (the test) mostly adds noise. */
		char *caller = b >= 0 && s->f[b].rank == 2 ? NULL : ts_caller(src, s, b);
		u_buf_addf(&lines, "    %s %s it%s at %s\n", who, write ? (prev ? "wrote" : "writes") : (prev ? "read" : "reads"),
			   prev ? " just before" : "", at);
		if (caller)
			u_buf_addf(&lines, "        called from %s\n", caller);
		if (write && !field && b >= 0 && s->f[b].rank == 2) {
			char *text = src_text(src, &s->f[b]);
			char *freed = text && strncmp(text, "free(", 5) == 0 ? ts_call_arg(text) : NULL;
			if (freed)
				u_list_add(&x->objects, u_xstrdup(freed));
			field = freed ? u_fmt("the memory %s points to, freed by one thread while another reads it", freed)
			      : text ? src_lvalue(text) : NULL;
			if (field && !freed)
				u_list_add(&x->objects, u_xstrdup(field));
			free(freed);
			free(text);
		}
		if (strncmp(who, "thread ", 7) == 0 && !u_list_has(&threads, who))
			u_list_add(&threads, u_xstrdup(who));
		free(who);
		free(at);
		free(caller);
	}
	char *loc = ts_location(r, src);
	if (loc)
		u_list_add(&x->objects, u_xstrdup(loc));
	char *head = src_race_line(field, loc);
	u_buf_add(out, head);
	u_buf_add(out, lines.s ? lines.s : "");
	ts_creators(r, src, &threads, out);
	free(head);
	free(u_buf_take(&lines));
	u_list_free(&threads);
	free(loc);
	free(field);
}

/* The first argument of the line's first call: "pthread_mutex_lock(right);" -> "right". */
static char *ts_call_arg(const char *text)
{
	const char *open = text ? strchr(text, '(') : NULL;
	if (!open)
		return NULL;
	open++;
	while (*open == ' ' || *open == '&')
		open++;
	int n = (int)strcspn(open, ",)");
	return n > 0 ? u_fmt("%.*s", n, open) : NULL;
}

/*
 * "Mutex M1 acquired here while holding mutex M0 in thread T1:" is one edge M0 -> M1 of the
 * cycle, often followed by "Mutex M0 previously acquired by the same thread here:". Every edge
 * is shown, in cycle order.
 */
static void ts_lock_order(const struct ts_report *r, const struct src_ctx *src, struct finding *x, struct u_buf *out)
{
	struct edge { char to[32], from[32], who[64]; char *take, *held; } e[TS_SECTIONS];
	int n = 0;
	for (int i = 0; i < r->n && n < TS_SECTIONS; i++) {
		const struct ts_section *s = &r->s[i];
		struct edge *ed = &e[n];
		if (sscanf(s->title, "Mutex %31s acquired here while holding mutex %31s in %63[^\n]", ed->to, ed->from,
			   ed->who) != 3)
			continue;
		int b = ts_best(s);
		e[n].take = b >= 0 ? src_frame_point(src, &s->f[b]) : u_xstrdup("code outside the lab");
		if (b >= 0 && !x->file)
			src_place(x, &s->f[b]);
		ed->held = NULL;
		if (i + 1 < r->n && strstr(r->s[i + 1].title, "previously acquired")) {
			int h = ts_best(&r->s[i + 1]);
			const struct src_frame *hf = h >= 0 ? &r->s[i + 1].f[h] : NULL;
			ed->held = hf ? u_fmt("%s:%d", u_basename(hf->file), hf->line) : NULL;
		}
		n++;
	}
	/* Walk the cycle from the first edge: each next edge starts where the last one ended. */
	int order[TS_SECTIONS], used[TS_SECTIONS] = { 0 }, m = 0;
	for (int cur = 0; n && m < n;) {
		order[m++] = cur;
		used[cur] = 1;
		int next = -1;
		for (int k = 0; k < n && next < 0; k++)
			if (!used[k] && strcmp(e[k].from, e[cur].to) == 0)
				next = k;
		for (int k = 0; k < n && next < 0; k++)
			if (!used[k])
				next = k;
		if (next < 0)
			break;
		cur = next;
	}
	u_buf_addf(out, "  Lock-order cycle of %d mutexes: ", n);
	for (int k = 0; k < m; k++)
		u_buf_addf(out, "%s -> ", e[order[k]].from);
	u_buf_addf(out, "%s: run these at once and each thread waits for the next one's mutex.\n",
		   m ? e[order[0]].from : "?");
	for (int k = 0; k < m; k++) {
		struct edge *ed = &e[order[k]];
		char *name = ts_call_arg(strstr(ed->take, ": ") ? strstr(ed->take, ": ") + 2 : NULL);
		u_buf_addf(out, "    %s holds %s%s%s%s and locks %s%s%s%s at %s\n", ed->who, ed->from, ed->held ? " (since " : "",
			   ed->held ? ed->held : "", ed->held ? ")" : "", ed->to, name ? " (" : "", name ? name : "",
			   name ? ")" : "", ed->take);
		if (name && !u_list_has(&x->objects, name))
			u_list_add(&x->objects, u_xstrdup(name));
		free(name);
	}
	for (int k = 0; k < n; k++) {
		free(e[k].take);
		free(e[k].held);
	}
}

/* A handler's unsafe call: the call is the innermost frame, the handler the lab's frame under it. */
static void ts_signal_unsafe(const struct ts_report *r, const struct src_ctx *src, struct finding *x, struct u_buf *out)
{
	const struct ts_section *s = r->n ? &r->s[0] : NULL;
	int b = s ? ts_best(s) : -1;
	if (b < 0) {
		u_buf_add(out, "  A signal handler called a function that is not async-signal-safe.\n");
		return;
	}
	src_place(x, &s->f[b]);
	const char *call = b > 0 ? s->f[0].fn : s->f[b].fn;
	u_list_add(&x->objects, u_xstrdup(call));
	/* the handler: the outermost lab frame before the signal machinery */
	int h = b;
	for (int k = b + 1; k < s->n && s->f[k].rank; k++)
		h = k;
	char *at = src_frame_point(src, &s->f[b]);
	u_buf_addf(out, "  The signal handler %s calls %s, which is not async-signal-safe:\n    %s\n", s->f[h].fn, call, at);
	if (h != b) {
		char *hp = src_frame_point(src, &s->f[h]);
		u_buf_addf(out, "        called from %s\n", hp);
		free(hp);
	}
	free(at);
}

/* Any other report: each section that has a frame in the lab's code, as the tool names it. */
static void ts_generic(const struct ts_report *r, const struct src_ctx *src, struct finding *x, struct u_buf *out)
{
	int shown = 0;
	for (int i = 0; i < r->n && shown < 4; i++) {
		const struct ts_section *s = &r->s[i];
		int b = ts_best(s);
		if (b < 0)
			continue;
		char *at = src_frame_point(src, &s->f[b]), *caller = ts_caller(src, s, b);
		if (!x->file)
			src_place(x, &s->f[b]);
		u_buf_addf(out, "  %s\n      %s\n", s->title, at);
		if (caller)
			u_buf_addf(out, "      called from %s\n", caller);
		free(at);
		free(caller);
		shown++;
	}
}

/* One report: a record of its kind, placed in the lab's code, with its explanation. */
static void tsan_report(const char *rep, const struct src_ctx *src, struct findings *f)
{
	const char *h = strstr(rep, "ThreadSanitizer: ");
	if (!h)
		return;
	h += strlen("ThreadSanitizer: ");
	char *headline = u_fmt("%.*s", (int)strcspn(h, "\n"), h);
	char *cut = strstr(headline, " (pid=");
	if (cut)
		*cut = '\0';
	char *kind = tsan_kind(headline);
	struct finding *x = finding_add(f, "tsan", kind);
	x->evidence = u_xstrdup(rep);
	x->misuse = misuse_of("tsan", kind, headline);
	struct ts_report r = { 0 };
	struct u_buf out = { 0 };
	ts_split(rep, src, &r);
	if (strcmp(kind, "data-race") == 0) {
		ts_data_race(&r, src, x, &out);
	} else if (strcmp(kind, "lock-order-inversion") == 0) {
		ts_lock_order(&r, src, x, &out);
	} else if (strcmp(kind, "signal-unsafe-call") == 0) {
		ts_signal_unsafe(&r, src, x, &out);
	} else {
		u_buf_addf(&out, "ThreadSanitizer: %s\n", headline);
		ts_generic(&r, src, x, &out);
		u_buf_addf(&out, "  %s\n", x->misuse ? misuse_meaning(x->misuse) : tsan_meaning(kind));
	}
	x->text = u_buf_take(&out);
	ts_free(&r);
	free(kind);
	free(headline);
}

void tsan_parse(const char *text, const struct src_ctx *src, struct findings *f)
{
	u_buf_add(&f->raw, text);
	const char *sep = "==================";
	const char *p = text;
	while ((p = strstr(p, "WARNING: ThreadSanitizer: ")) != NULL) {
		const char *end = strstr(p, sep);
		char *rep = end ? u_fmt("%.*s", (int)(end - p), p) : u_xstrdup(p);
		tsan_report(rep, src, f);
		free(rep);
		p = end ? end : p + strlen(p);
	}
	/* The tool could not run at all (shadow memory, ASLR entropy, a failed CHECK). */
	const char *fatal = strstr(text, "FATAL: ThreadSanitizer");
	if (!fatal)
		fatal = strstr(text, "ThreadSanitizer: CHECK failed");
	if (!f->n && fatal && !f->fatal)
		f->fatal = u_fmt("%.*s", (int)strcspn(fatal, "\n"), fatal);
}

void tsan_read(const char *logprefix, const struct src_ctx *src, struct findings *f)
{
	struct u_list logs = { 0 };
	u_pid_files(logprefix, &logs); /* the first test's report first: it leads the explanation */
	for (int i = 0; i < logs.n; i++) {
		char *text = u_slurp(logs.v[i], NULL);
		if (text)
			tsan_parse(text, src, f);
		free(text);
	}
	u_list_free(&logs);
}

char *tsan_check_failed(const char *logprefix)
{
	struct u_list logs = { 0 };
	char *where = NULL;
	u_pid_files(logprefix, &logs);
	for (int i = 0; i < logs.n && !where; i++) {
		char *text = u_slurp(logs.v[i], NULL);
		const char *check = text ? strstr(text, "CHECK failed: ") : NULL;
		if (check) {
			check += strlen("CHECK failed: ");
			where = u_fmt("%.*s", (int)strcspn(check, ": \n"), check);
		}
		free(text);
	}
	u_list_free(&logs);
	return where;
}
