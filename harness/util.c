/* util.c: small helpers every module uses: memory, strings, files, time. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static void u_oom(void)
{
	fputs("racelab: out of memory\n", stderr);
	exit(2);
}

void *u_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		u_oom();
	return p;
}

void *u_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		u_oom();
	return p;
}

void *u_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		u_oom();
	return p;
}

char *u_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		u_oom();
	return d;
}

char *u_vfmt(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0)
		u_oom();
	return s;
}

char *u_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = u_vfmt(fmt, ap);
	va_end(ap);
	return s;
}

void u_buf_add(struct u_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = u_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void u_buf_addf(struct u_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = u_vfmt(fmt, ap);
	va_end(ap);
	u_buf_add(b, s);
	free(s);
}

char *u_buf_take(struct u_buf *b)
{
	char *s = b->s ? b->s : u_xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void u_list_add(struct u_list *l, char *s)
{
	l->v = u_xrealloc(l->v, sizeof *l->v * (size_t)(l->n + 1));
	l->v[l->n++] = s;
}

int u_list_has(const struct u_list *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void u_list_free(struct u_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

char *u_list_join(const struct u_list *l, const char *sep)
{
	struct u_buf b = { 0 };
	for (int i = 0; i < l->n; i++) {
		if (i)
			u_buf_add(&b, sep);
		u_buf_add(&b, l->v[i]);
	}
	return u_buf_take(&b);
}

void u_list_split(struct u_list *l, const char *s, char sep)
{
	char *copy = u_xstrdup(s), *p = copy;
	for (;;) {
		char *end = strchr(p, sep);
		if (end)
			*end = '\0';
		char *part = u_trim(p);
		if (*part)
			u_list_add(l, u_xstrdup(part));
		if (!end)
			break;
		p = end + 1;
	}
	free(copy);
}

char *u_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	if (!f)
		return NULL;
	struct u_buf b = { 0 };
	char chunk[8192];
	size_t n, total = 0;
	b.s = u_xmalloc(1);
	b.s[0] = '\0';
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		b.s = u_xrealloc(b.s, total + n + 1);
		memcpy(b.s + total, chunk, n);
		total += n;
		b.s[total] = '\0';
	}
	fclose(f);
	if (len)
		*len = total;
	return b.s;
}

int u_write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wbe");
	if (!f)
		return -1;
	size_t n = fwrite(data, 1, len, f);
	return (fclose(f) == 0 && n == len) ? 0 : -1;
}

int u_copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = u_slurp(from, &len);
	if (!data)
		return -1;
	int rc = u_write_file(to, data, len);
	free(data);
	return rc;
}

int u_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int u_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int u_mkdirs(const char *path)
{
	char *p = u_xstrdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
	return u_is_dir(path) ? 0 : -1;
}

char *u_mkdtemp(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	char *path = u_fmt("%s/racelab-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if (mkdtemp(path))
		return path;
	free(path);
	return NULL;
}

static int u_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void u_rmtree(const char *path)
{
	if (path && *path)
		nftw(path, u_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *u_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

char *u_trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

char *u_source_line(const char *path, int n)
{
	FILE *f = fopen(path, "re");
	if (!f || n < 1) {
		if (f)
			fclose(f);
		return NULL;
	}
	char line[1024];
	char *found = NULL;
	for (int i = 1; fgets(line, sizeof line, f); i++)
		if (i == n) {
			found = u_xstrdup(u_trim(line));
			break;
		}
	fclose(f);
	return found;
}

double u_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int u_tty(int fd)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(fd) && !(nc && *nc);
}

static int u_pid_cmp(const void *a, const void *b, void *skip)
{
	long pa = atol(*(char *const *)a + *(size_t *)skip), pb = atol(*(char *const *)b + *(size_t *)skip);
	return (pa > pb) - (pa < pb);
}

void u_pid_files(const char *prefix, struct u_list *out)
{
	char *pat = u_fmt("%s.*", prefix);
	glob_t g;
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			u_list_add(out, u_xstrdup(g.gl_pathv[i]));
		globfree(&g);
	}
	free(pat);
	size_t skip = strlen(prefix) + 1;
	if (out->n > 1)
		qsort_r(out->v, (size_t)out->n, sizeof *out->v, u_pid_cmp, &skip);
}
