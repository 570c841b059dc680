/* tsan.c: read ThreadSanitizer's reports from the files its log_path names. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
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
	if (strcmp(kind, "data-race") == 0)
		return "Two threads touched the same memory, at least one writing, with nothing ordering "
		       "them (no common mutex, no release/acquire pair): the result depends on timing.";
	if (strcmp(kind, "lock-order-inversion") == 0)
		return "Two locks were taken in opposite orders by different code paths: run them at the "
		       "same time and each thread holds the lock the other waits for (a deadlock).";
	if (strcmp(kind, "thread-leak") == 0)
		return "A thread was created and never joined (or detached): its result and its resources are lost.";
	if (strcmp(kind, "signal-unsafe-call") == 0)
		return "A signal handler called a function that is not async-signal-safe (malloc, printf, "
		       "a mutex): if the signal lands inside that same function, the program breaks.";
	if (strcmp(kind, "heap-use-after-free") == 0)
		return "Memory was used after it was freed, here because another thread freed it first.";
	return "ThreadSanitizer found a synchronization error in this code.";
}

/*
 * A report is a headline, then sections ("Write of size 8 at ... by thread T2:")
 * each followed by stack frames ("    #0 counter_inc /tmp/.../counter.c:19:10 (...)").
 * For each section keep its first frame in the lab's code, the learner's file first.
 */
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
	if (!findings_add(f, kind))
		goto out;

	u_buf_addf(&f->detail, "ThreadSanitizer: %s\n", headline);
	char *copy = u_xstrdup(rep);
	char *section = NULL, *best = NULL, *caller = NULL;
	int best_rank = 0, shown = 0;
	char *save = NULL; /* strtok_r: gates read their reports on several threads */
	for (char *line = strtok_r(copy, "\n", &save); ; line = strtok_r(NULL, "\n", &save)) {
		int frame = line && strstr(line, "    #") == line;
		if (!line || (!frame && section)) {
			/* a section ended: show it if a frame of it is in the lab's code */
			if (section && best && shown < 3) {
				u_buf_addf(&f->detail, "  %s\n      %s\n", section, best);
				if (caller)
					u_buf_addf(&f->detail, "      called from %s\n", caller);
				shown++;
			}
			free(section);
			free(best);
			free(caller);
			section = best = caller = NULL;
			best_rank = 0;
		}
		if (!line)
			break;
		char *t = u_trim(line);
		if (!frame && strstr(t, "WARNING: ThreadSanitizer:") == t) {
			/* Some reports (a signal-unsafe call, a thread leak) put their stack right under the headline. */
			section = u_xstrdup("here");
		} else if (!frame && t[0] && t[strlen(t) - 1] == ':' && strncmp(t, "SUMMARY", 7) != 0) {
			section = u_fmt("%.*s", (int)strlen(t) - 1, t);
			char *loc = strstr(section, " at 0x");
			char *by = loc ? strstr(loc, " by ") : NULL;
			if (loc && by) /* drop the address: it means nothing to the learner */
				memmove(loc, by, strlen(by) + 1);
		} else if (frame && section) {
			/* "#0 func /path/file.c:19:10 (bin+0x...)" */
			char fn[256], loc[1024];
			if (sscanf(t, "#%*d %255s %1023s", fn, loc) == 2) {
				char *colon = strchr(loc, ':');
				int ln = colon ? atoi(colon + 1) : 0;
				if (colon)
					*colon = '\0';
				int r = src_rank(src, loc);
				char *p = r && ln > 0 ? src_point(src, loc, ln) : NULL;
				if (p && r > best_rank) {
					free(best);
					free(caller);
					best = u_fmt("%s  (in %s)", p, fn);
					caller = NULL;
					best_rank = r;
				} else if (p && best && !caller) {
					/* The lab frame that called it: often what names the culprit (a handler, a thread). */
					caller = u_fmt("%s  (in %s)", p, fn);
				}
				free(p);
			}
		}
	}
	free(copy);
	u_buf_addf(&f->detail, "  %s\n", tsan_meaning(kind));
out:
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
	if (!f->count && fatal && !f->fatal)
		f->fatal = u_fmt("%.*s", (int)strcspn(fatal, "\n"), fatal);
}

void tsan_read(const char *logprefix, const struct src_ctx *src, struct findings *f)
{
	char *pat = u_fmt("%s.*", logprefix);
	glob_t g;
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char *text = u_slurp(g.gl_pathv[i], NULL);
			if (text)
				tsan_parse(text, src, f);
			free(text);
		}
		globfree(&g);
	}
	free(pat);
}
