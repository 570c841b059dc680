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
	const char *base = u_basename(file);
	char *path = u_fmt("%s/%s", src_rank(c, file) == 2 ? c->builddir : c->labdir, base);
	char *text = u_source_line(path, line);
	char *s = text ? u_fmt("%s:%d: %s", base, line, text) : u_fmt("%s:%d", base, line);
	free(path);
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

int findings_add(struct findings *f, const char *kind)
{
	f->count++;
	if (u_list_has(&f->kinds, kind))
		return 0;
	u_list_add(&f->kinds, u_xstrdup(kind));
	return 1;
}

void findings_free(struct findings *f)
{
	u_list_free(&f->kinds);
	free(u_buf_take(&f->detail));
	free(u_buf_take(&f->raw));
	free(f->fatal);
	f->fatal = NULL;
	f->count = 0;
}
