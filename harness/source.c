/* source.c: what a detector found, pointed at the learner's file and line. */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

int src_rank(const struct src_ctx *c, const char *file)
{
	if (!file || !*file)
		return 0;
	const char *base = u_basename(file);
	if (strcmp(base, c->edit) == 0)
		return 2;
	char *own = u_fmt("%s/%s", c->labdir, base);
	int lab = u_exists(own);
	free(own);
	return lab;
}

char *src_point(const struct src_ctx *c, const char *file, int line)
{
	struct src_frame f = { .file = (char *)file, .line = line };
	char *text = src_text(c, &f);
	char *s = text ? u_fmt("%s:%d: %s", u_basename(file), line, text) : u_fmt("%s:%d", u_basename(file), line);
	free(text);
	return s;
}

/*
 * What a statement writes: "c->value" of "c->value++;", "j->state" of "j->state = CLAIMED;",
 * "in->count" of "in->key[in->count++] = key;" (an increment is the likelier race).
 */
char *src_lvalue(const char *stmt)
{
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_->.[]*";
	const char *chain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_->.";
	char *s = u_xstrdup(stmt), *lv = NULL;
	char *inc = strstr(s, "++") ? strstr(s, "++") : strstr(s, "--");
	if (inc && inc > s && strchr(chain, inc[-1]) && inc[-1] != '-' && inc[-1] != '>') {
		char *b = inc;
		while (b > s && strchr(chain, b[-1]))
			b--;
		char *r = u_fmt("%.*s", (int)(inc - b), b);
		free(s);
		return r;
	}
	char *eq = s;
	while ((eq = strchr(eq, '=')) != NULL) {
		int cmp = eq[1] == '=' || (eq > s && strchr("=!<>", eq[-1]) && !(eq > s + 1 && eq[-1] == eq[-2]));
		if (!cmp)
			break;
		eq += eq[1] == '=' ? 2 : 1;
	}
	if (eq) {
		*eq = '\0';
		while (eq > s && strchr("+-*/%&|^<>", eq[-1]))
			*--eq = '\0';
		lv = u_trim(s);
	} else if (inc) {
		*inc = '\0';
		lv = u_trim(inc == s ? inc + 2 : s);
		if (inc == s)
			lv[strcspn(lv, ";)")] = '\0';
	}
	char *r = lv && *lv && strspn(lv, ok) == strlen(lv) ? u_xstrdup(lv) : NULL;
	free(s);
	return r;
}

int src_best(const struct src_frame *f, int n)
{
	int best = -1, score = 0;
	for (int k = 0; k < n; k++) {
		int sc = f[k].rank * 2 + (f[k].line > 0);
		if (f[k].rank && sc > score) {
			best = k;
			score = sc;
		}
	}
	return best;
}

char *src_frame_point(const struct src_ctx *c, const struct src_frame *f)
{
	char *p = f->line > 0 ? src_point(c, f->file, f->line) : u_fmt("%s (no line number)", u_basename(f->file));
	char *s = u_fmt("%s  (in %s)", p, f->fn);
	free(p);
	return s;
}

char *src_text(const struct src_ctx *c, const struct src_frame *f)
{
	if (f->line <= 0)
		return NULL;
	const char *base = u_basename(f->file);
	char *path = u_fmt("%s/%s", src_rank(c, f->file) == 2 ? c->builddir : c->labdir, base);
	char *t = u_source_line(path, f->line);
	free(path);
	return t;
}

void src_place(struct finding *x, const struct src_frame *f)
{
	free(x->file);
	free(x->function);
	x->file = u_xstrdup(u_basename(f->file));
	x->line = f->line;
	x->function = u_xstrdup(f->fn);
}

void src_drop_address(char *s)
{
	char *at = strstr(s, " at 0x");
	if (!at)
		return;
	char *end = at + 6;
	while ((*end >= '0' && *end <= '9') || (*end >= 'a' && *end <= 'f') || (*end >= 'A' && *end <= 'F'))
		end++;
	memmove(at, end, strlen(end) + 1);
}

char *src_race_line(const char *what, const char *where)
{
	return u_fmt("  Data race on %s%s%s%s: two threads use it at once, at least one writing, and nothing orders them.\n",
		     what ? what : where ? where : "the same memory", what && where ? " (in " : "",
		     what && where ? where : "", what && where ? ")" : "");
}
