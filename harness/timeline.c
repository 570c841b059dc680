/* timeline.c: one schedule told as a timeline, a column a thread and a row a step, in text or as a page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

/* A load that another thread's store overtook before the loader stored: the update that was lost. */
struct tl_lost {
	int read, other, write;   /* step indexes; read < 0: none */
};

/* Which steps are shown: the ones that matter, and the window around what went wrong. */
struct tl_plan {
	char *show;               /* per step */
	struct tl_lost lost;
};

static const char *const tl_sync[] = {
	"lock", "trylock-busy", "unlock", "blocks-on", "wait", "woken", "spurious", "timeout", "signal", "broadcast",
	"barrier", "sem-wait", "sem-post", "rdlock", "wrlock", "rwunlock", "once",
};

static int tl_is_sync(const char *ev)
{
	for (size_t i = 0; i < sizeof tl_sync / sizeof tl_sync[0]; i++)
		if (!strcmp(ev, tl_sync[i]))
			return 1;
	return 0;
}

static int tl_is_access(const char *ev)
{
	return !strcmp(ev, "read") || !strcmp(ev, "write") || !strncmp(ev, "atomic", 6);
}

static int tl_is_store(const char *ev)
{
	return !strcmp(ev, "write") || !strcmp(ev, "atomic-store");
}

static int tl_is_load(const char *ev)
{
	return !strcmp(ev, "read") || !strcmp(ev, "atomic-load");
}

/* The shared variables of a schedule, sorted: objects two threads access, one of them storing. */
struct tl_shared {
	const char **v;           /* the steps' own obj strings */
	int n;
};

/* Step indexes by their object (qsort_r: gates run in threads of their own, so no global for the trace). */
static int tl_by_obj(const void *a, const void *b, void *trace)
{
	const struct sch_trace *t = trace;
	return strcmp(t->steps[*(const int *)a].obj, t->steps[*(const int *)b].obj);
}

static int tl_by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * One pass over the accesses sorted by object: a schedule has tens of thousands of steps and
 * may touch thousands of objects (kata 13's map), so judging each object by a walk of every
 * step took seconds.
 */
static struct tl_shared tl_shared_objects(const struct sch_trace *t)
{
	int *idx = u_xcalloc((size_t)t->n + 1, sizeof *idx), n = 0;
	for (int i = 0; i < t->n; i++)
		if (tl_is_access(t->steps[i].ev))
			idx[n++] = i;
	qsort_r(idx, (size_t)n, sizeof *idx, tl_by_obj, (void *)t);
	struct tl_shared sh = { .v = u_xcalloc((size_t)n + 1, sizeof *sh.v) };
	for (int g = 0, e; g < n; g = e) {
		const struct sch_step *first = &t->steps[idx[g]];
		int stored = 0, two = 0;
		for (e = g; e < n && !strcmp(t->steps[idx[e]].obj, first->obj); e++) {
			stored |= strcmp(t->steps[idx[e]].ev, "read") != 0;
			two |= t->steps[idx[e]].thread != first->thread;
		}
		if (stored && two)
			sh.v[sh.n++] = first->obj;
	}
	free(idx);
	return sh;
}

static int tl_is_shared(const struct tl_shared *sh, const char *obj)
{
	return sh->n && bsearch(&obj, sh->v, (size_t)sh->n, sizeof *sh->v, tl_by_name) != NULL;
}

/*
 * The first lost update: thread A loads X, another thread stores X, then A stores X with
 * what it loaded before. Per object, each thread's last load and the last store are kept.
 */
static struct tl_lost tl_find_lost(const struct sch_trace *t)
{
	enum { OBJS = 64, THREADS = 64 };
	const char *obj[OBJS];
	int nobj = 0, last_load[OBJS][THREADS], last_store[OBJS];
	for (int i = 0; i < t->n; i++) {
		const struct sch_step *s = &t->steps[i];
		if (!tl_is_access(s->ev) || s->thread >= THREADS)
			continue;
		int o = 0;
		while (o < nobj && strcmp(obj[o], s->obj))
			o++;
		if (o == nobj && nobj == OBJS)
			continue;
		if (o == nobj) {
			obj[nobj++] = s->obj;
			last_store[o] = -1;
			for (int k = 0; k < THREADS; k++)
				last_load[o][k] = -1;
		}
		int r = last_load[o][s->thread], w = last_store[o];
		if (tl_is_store(s->ev) && r >= 0 && w > r && t->steps[w].thread != s->thread)
			return (struct tl_lost){ r, w, i };
		if (tl_is_load(s->ev))
			last_load[o][s->thread] = i;
		if (!tl_is_load(s->ev))
			last_store[o] = i;
	}
	return (struct tl_lost){ -1, -1, -1 };
}

/* A step matters when it is the learner's: its synchronisation, its accesses to shared variables. */
static int tl_matters(const struct sch_step *s, const char *edit, const struct tl_shared *shared)
{
	if (!s->file || strcmp(s->file, edit))
		return 0;
	if (tl_is_sync(s->ev))
		return 1;
	return tl_is_access(s->ev) && tl_is_shared(shared, s->obj);
}

static struct tl_plan tl_plan(const struct sch_trace *t, const char *edit, int max_rows)
{
	struct tl_plan p = { .show = u_xcalloc((size_t)t->n + 1, 1), .lost = tl_find_lost(t) };
	struct tl_shared shared = tl_shared_objects(t);
	int from = 0, to = t->n - 1;
	if (p.lost.read >= 0) { /* the window of the lost update, on its variable and the synchronisation */
		from = p.lost.read;
		to = p.lost.write;
	}
	int rows = 0;
	for (int i = to; i >= from; i--) {
		const struct sch_step *s = &t->steps[i];
		int on_var = p.lost.read < 0 || !tl_is_access(s->ev) || !strcmp(s->obj, t->steps[p.lost.read].obj);
		if (tl_matters(s, edit, &shared) && on_var && (max_rows <= 0 || rows < max_rows)) {
			p.show[i] = 1;
			rows++;
		}
	}
	if (p.lost.read >= 0) {
		p.show[p.lost.read] = p.show[p.lost.other] = p.show[p.lost.write] = 1;
		/* The overtaking thread's own load, before its store: the whole interleaving, four steps. */
		const struct sch_step *o = &t->steps[p.lost.other];
		for (int i = p.lost.other - 1; i >= 0; i--)
			if (t->steps[i].thread == o->thread && !strcmp(t->steps[i].obj, o->obj) && tl_is_access(t->steps[i].ev)) {
				p.show[i] = tl_is_load(t->steps[i].ev);
				break;
			}
	}
	free(shared.v);
	return p;
}

/*
 * A value read or written, in words. A pointer's value is where the system placed a stack or a
 * heap block, which differs from run to run: printed, it would make two replays of one schedule
 * differ. A user-space address of x86-64 lies in [2^40, 2^47); no counter of a kata gets there.
 */
static void tl_value(char *buf, size_t n, const struct sch_step *s)
{
	if (s->size == 8 && s->value >= 1LL << 40 && s->value < 1LL << 47)
		snprintf(buf, n, "a pointer");
	else
		snprintf(buf, n, "%lld", s->value);
}

/* What a step does, in words: "reads c->value = 41". */
static char *tl_says(const struct sch_step *s)
{
	const char *n = s->name ? s->name : "it";
	const char *ev = s->ev;
	char v[32];
	tl_value(v, sizeof v, s);
	if (!strcmp(ev, "read")) return u_fmt("reads %s = %s", n, v);
	if (!strcmp(ev, "write")) return u_fmt("writes %s = %s", n, v);
	if (!strcmp(ev, "atomic-load")) return u_fmt("atomically reads %s = %s", n, v);
	if (!strcmp(ev, "atomic-store")) return u_fmt("atomically writes %s = %s", n, v);
	if (!strcmp(ev, "atomic-rmw")) return u_fmt("atomically updates %s to %s", n, v);
	if (!strcmp(ev, "atomic-cas")) return u_fmt("compare-and-swaps %s, now %s", n, v);
	if (!strcmp(ev, "lock")) return u_fmt("locks %s", n);
	if (!strcmp(ev, "trylock-busy")) return u_fmt("tries %s: held by T%lld", n, s->value);
	if (!strcmp(ev, "unlock")) return u_fmt("unlocks %s", n);
	if (!strcmp(ev, "blocks-on")) return u_fmt("waits for %s, held by T%lld", n, s->value);
	if (!strcmp(ev, "wait")) return u_fmt("waits on %s, lets its mutex go", n);
	if (!strcmp(ev, "woken")) return u_fmt("wakes on %s, has its mutex again", n);
	if (!strcmp(ev, "spurious")) return u_fmt("wakes on %s with nobody signalling", n);
	if (!strcmp(ev, "timeout")) return u_fmt("times out on %s", n);
	if (!strcmp(ev, "signal"))
		return s->value >= 0 ? u_fmt("signals %s: wakes T%lld", n, s->value) : u_fmt("signals %s: nobody waits", n);
	if (!strcmp(ev, "broadcast")) return u_fmt("broadcasts %s: wakes %lld", n, s->value);
	if (!strcmp(ev, "barrier")) return u_fmt("reaches %s (%lld of %d)", n, s->value, s->size);
	if (!strcmp(ev, "sem-wait")) return u_fmt("takes %s (now %lld)", n, s->value);
	if (!strcmp(ev, "sem-post")) return u_fmt("posts %s (now %lld)", n, s->value);
	if (!strcmp(ev, "rdlock")) return u_fmt("read-locks %s", n);
	if (!strcmp(ev, "wrlock")) return u_fmt("write-locks %s", n);
	if (!strcmp(ev, "rwunlock")) return u_fmt("unlocks %s", n);
	if (!strcmp(ev, "once")) return u_fmt("runs %s's initialiser", n);
	if (!strcmp(ev, "sleep")) return u_fmt("sleeps %lld ms", s->value);
	if (!strcmp(ev, "create")) return u_fmt("starts T%lld", s->value);
	if (!strcmp(ev, "join")) return u_fmt("joins T%lld", s->value);
	return u_xstrdup(ev);
}

static char *tl_where(const struct sch_step *s)
{
	if (!s->file)
		return u_xstrdup("");
	return s->text ? u_fmt("%s:%d  %s", s->file, s->line, s->text) : u_fmt("%s:%d", s->file, s->line);
}

/* "... 12 steps of T2" for the folded steps [from, to). */
static void tl_fold(struct u_buf *b, const struct sch_trace *t, int from, int to)
{
	if (to <= from)
		return;
	struct u_buf who = { 0 };
	for (int k = 0; k < t->nthreads; k++)
		for (int i = from; i < to; i++)
			if (t->steps[i].thread == k) {
				u_buf_addf(&who, "%sT%d", who.s ? ", " : "", k);
				break;
			}
	char *w = u_buf_take(&who);
	u_buf_addf(b, "        ... %d step%s of %s\n", to - from, to - from == 1 ? "" : "s", w);
	free(w);
}

static void tl_row(struct u_buf *b, const struct sch_trace *t, const struct sch_step *s)
{
	u_buf_addf(b, "%6d  ", s->n);
	for (int k = 0; k < t->nthreads; k++)
		u_buf_addf(b, k == s->thread ? "T%-3d" : " .  ", k);
	char *says = tl_says(s), *where = tl_where(s);
	u_buf_addf(b, " %-40s %s\n", says, where);
	free(says);
	free(where);
}

/* What the schedule comes to, in a sentence or two. */
static void tl_conclude(struct u_buf *b, const struct sch_trace *t, const struct tl_lost *l)
{
	if (l->read >= 0) {
		const struct sch_step *r = &t->steps[l->read], *o = &t->steps[l->other], *w = &t->steps[l->write];
		const char *n = w->name ? w->name : "the variable";
		int one = w->value == r->value + 1 && o->value == r->value + 1;
		char *lost = one ? u_xstrdup("one increment lost.") : u_fmt("T%d's update was lost.", o->thread);
		char rv[32], ov[32], wv[32];
		tl_value(rv, sizeof rv, r);
		tl_value(ov, sizeof ov, o);
		tl_value(wv, sizeof wv, w);
		u_buf_addf(b, "T%d read %s = %s (step %d), T%d wrote %s (step %d), then T%d wrote %s over it "
			   "(step %d): %s\n", r->thread, n, rv, r->n, o->thread, ov, o->n, w->thread, wv, w->n, lost);
		free(lost);
	}
	if (t->fail_kind) {
		u_buf_addf(b, "Outcome: %s: %s\n", !strcmp(t->fail_kind, "assertion") ? "the test failed" : t->fail_kind,
			   sch_short_why(t->fail_why));
	}
	else
		u_buf_add(b, "Outcome: the test passed under this schedule.\n");
}

/* The timeline in text; brief drops the blank lines that set it apart (a gate's few lines under its verdict). */
static char *tl_told(const struct sch_trace *t, const char *edit, int max_rows, int brief)
{
	struct tl_plan p = tl_plan(t, edit, max_rows);
	struct u_buf b = { 0 };
	u_buf_addf(&b, "Test %s, schedule %s (%s), %d steps:\n%s  step  ", t->test ? t->test : "?",
		   t->seed ? t->seed : "?", t->strategy ? t->strategy : "?", t->n, brief ? "" : "\n");
	for (int k = 0; k < t->nthreads; k++)
		u_buf_addf(&b, k + 1 < t->nthreads ? "T%-3d" : "T%d", k);
	u_buf_add(&b, "\n");
	int last = 0;
	for (int i = 0; i < t->n; i++) {
		if (!p.show[i])
			continue;
		tl_fold(&b, t, last, i);
		tl_row(&b, t, &t->steps[i]);
		last = i + 1;
	}
	tl_fold(&b, t, last, t->n);
	if (!brief)
		u_buf_add(&b, "\n");
	tl_conclude(&b, t, &p.lost);
	free(p.show);
	return u_buf_take(&b);
}

char *tl_text(const struct sch_trace *t, const char *edit, int max_rows)
{
	return tl_told(t, edit, max_rows, 0);
}

char *tl_brief(const struct sch_trace *t, const char *edit, int max_rows)
{
	return tl_told(t, edit, max_rows, 1);
}

/* ---- the page ---- */

static void tl_html_escape(struct u_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': u_buf_add(b, "&lt;"); break;
		case '>': u_buf_add(b, "&gt;"); break;
		case '&': u_buf_add(b, "&amp;"); break;
		case '"': u_buf_add(b, "&quot;"); break;
		default: {
			char c[2] = { *s, 0 };
			u_buf_add(b, c);
		}
		}
	}
}

static const char tl_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
	"h1{font-size:1.2em}.grid{display:grid;position:relative;gap:2px 8px}"
	".head{font-weight:bold;text-align:center;border-bottom:2px solid #888}"
	".step{color:#888;text-align:right;font:12px monospace}"
	".cell{background:#eef4ff;border-left:3px solid #4a7bd0;padding:2px 6px;border-radius:3px}"
	".cell .where{font:12px monospace;color:#555;display:block}"
	".cell.sync{background:#fff4e0;border-color:#d08a1a}.cell.lost{background:#ffe0e0;border-color:#c02020}"
	".fold{grid-column:1/-1;color:#888;font-style:italic;padding-left:4em}"
	".outcome{margin-top:1em;padding:.6em;background:#f6f6f6;border-left:4px solid #c02020;white-space:pre-wrap}"
	"svg.arrows{position:absolute;left:0;top:0;pointer-events:none;overflow:visible}";

/* The arrows: from an unlock to the next lock of the same object by another thread, from a signal to the wakeup. */
static const char tl_script[] =
	"window.addEventListener('load',function(){var g=document.querySelector('.grid');"
	"var s=document.querySelector('svg.arrows');s.setAttribute('width',g.scrollWidth);"
	"s.setAttribute('height',g.scrollHeight);var o=g.getBoundingClientRect();"
	"document.querySelectorAll('[data-from]').forEach(function(e){var f=document.getElementById(e.dataset.from);"
	"if(!f)return;var a=f.getBoundingClientRect(),b=e.getBoundingClientRect();"
	"var l=document.createElementNS('http://www.w3.org/2000/svg','line');"
	"l.setAttribute('x1',a.left+a.width/2-o.left);l.setAttribute('y1',a.bottom-o.top);"
	"l.setAttribute('x2',b.left+b.width/2-o.left);l.setAttribute('y2',b.top-o.top);"
	"l.setAttribute('stroke','#d08a1a');l.setAttribute('stroke-width','2');l.setAttribute('marker-end','url(#head)');"
	"l.setAttribute('class','arrow');s.appendChild(l);});});";

/* The step an arrow into step i starts from: the last unlock of its lock by another thread, or the signal that woke it. */
static int tl_arrow_from(const struct sch_trace *t, const struct tl_plan *p, int i)
{
	const struct sch_step *s = &t->steps[i];
	int lock = !strcmp(s->ev, "lock"), woke = !strcmp(s->ev, "woken");
	for (int k = i - 1; k >= 0 && (lock || woke); k--) {
		const struct sch_step *q = &t->steps[k];
		if (!p->show[k] || strcmp(q->obj, s->obj))
			continue;
		if (lock && !strcmp(q->ev, "unlock"))
			return q->thread != s->thread ? k : -1;
		if (woke && (!strcmp(q->ev, "signal") || !strcmp(q->ev, "broadcast")) && q->thread != s->thread)
			return k;
	}
	return -1;
}

static void tl_html_cell(struct u_buf *b, const struct sch_trace *t, const struct tl_plan *p, int i, int row)
{
	const struct sch_step *s = &t->steps[i];
	int lost = i == p->lost.read || i == p->lost.other || i == p->lost.write, from = tl_arrow_from(t, p, i);
	char *says = tl_says(s), *where = tl_where(s);
	u_buf_addf(b, "<div class=\"step\" style=\"grid-row:%d;grid-column:1\">%d</div>", row, s->n);
	u_buf_addf(b, "<div id=\"s%d\" class=\"cell%s%s\" data-thread=\"T%d\" style=\"grid-row:%d;grid-column:%d\"",
		   i, tl_is_sync(s->ev) ? " sync" : "", lost ? " lost" : "", s->thread, row, s->thread + 2);
	if (from >= 0)
		u_buf_addf(b, " data-from=\"s%d\"", from);
	u_buf_add(b, ">");
	tl_html_escape(b, says);
	u_buf_add(b, "<span class=\"where\">");
	tl_html_escape(b, where);
	u_buf_add(b, "</span></div>\n");
	free(says);
	free(where);
}

char *tl_html(const struct sch_trace *t, const char *edit, const char *title)
{
	struct tl_plan p = tl_plan(t, edit, 0);
	struct u_buf b = { 0 };
	u_buf_add(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
	tl_html_escape(&b, title);
	u_buf_addf(&b, "</title><style>%s</style></head><body>\n<h1>", tl_style);
	tl_html_escape(&b, title);
	u_buf_addf(&b, "</h1>\n<p>Test <b>%s</b>, schedule %s (%s), %d steps; one lane a thread.</p>\n",
		   t->test ? t->test : "?", t->seed ? t->seed : "?", t->strategy ? t->strategy : "?", t->n);
	u_buf_addf(&b, "<div class=\"grid\" style=\"grid-template-columns:4em repeat(%d,minmax(12em,1fr))\">\n",
		   t->nthreads);
	u_buf_add(&b, "<svg class=\"arrows\"><defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"8\" refX=\"6\" "
		      "refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#d08a1a\"/></marker></defs></svg>\n");
	for (int k = 0; k < t->nthreads; k++)
		u_buf_addf(&b, "<div class=\"head lane\" style=\"grid-row:1;grid-column:%d\">T%d</div>\n", k + 2, k);
	int row = 2, last = 0;
	for (int i = 0; i < t->n; i++) {
		if (!p.show[i])
			continue;
		if (i > last)
			u_buf_addf(&b, "<div class=\"fold\" style=\"grid-row:%d\">&hellip; %d steps folded</div>\n", row++,
				   i - last);
		tl_html_cell(&b, t, &p, i, row++);
		last = i + 1;
	}
	u_buf_add(&b, "</div>\n<div class=\"outcome\">");
	struct u_buf end = { 0 };
	tl_conclude(&end, t, &p.lost);
	char *e = u_buf_take(&end);
	tl_html_escape(&b, e);
	free(e);
	u_buf_addf(&b, "</div>\n<script>%s</script>\n</body></html>\n", tl_script);
	free(p.show);
	return u_buf_take(&b);
}
