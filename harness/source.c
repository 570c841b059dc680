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
