/* util.h: small helpers every module uses: memory, strings, files, time. */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* The number of elements of an array (not a pointer). */
#define NELEM(a) (sizeof(a) / sizeof *(a))

/* A growable string. */
struct u_buf {
	char *s;
	size_t len, cap;
};

void *u_xmalloc(size_t n);
void *u_xcalloc(size_t n, size_t size);
void *u_xrealloc(void *p, size_t n);
char *u_xstrdup(const char *s);
char *u_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *u_vfmt(const char *fmt, va_list ap);

void u_buf_add(struct u_buf *b, const char *s);
void u_buf_addf(struct u_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *u_buf_take(struct u_buf *b);   /* the string (never NULL); b is empty after */

/* A list of strings. */
struct u_list {
	char **v;
	int n;
};
void u_list_add(struct u_list *l, char *s);          /* takes s */
int u_list_has(const struct u_list *l, const char *s);
void u_list_free(struct u_list *l);
char *u_list_join(const struct u_list *l, const char *sep);
/* Split "a, b,c" at sep, trimming blanks; empty parts are dropped. */
void u_list_split(struct u_list *l, const char *s, char sep);

/*
 * The files PREFIX.<pid>... that a tool writes, one per process, in the order the processes
 * started: by pid, not by name ("log.18" sorts before "log.3", and pids in a run's own PID
 * namespace are that small).
 */
void u_pid_files(const char *prefix, struct u_list *out);

char *u_slurp(const char *path, size_t *len);        /* NULL if unreadable */
int u_write_file(const char *path, const char *data, size_t len);
int u_copy_file(const char *from, const char *to);
int u_exists(const char *path);
int u_is_dir(const char *path);
int u_mkdirs(const char *path);                      /* mkdir -p: 0 when it is a directory */
char *u_mkdtemp(const char *tag);                     /* a fresh directory under $TMPDIR; NULL (errno) if none */
void u_rmtree(const char *path);
const char *u_basename(const char *path);
char *u_trim(char *s);
/* Line n (1-based) of a text file, trimmed; NULL when there is none. */
char *u_source_line(const char *path, int n);

double u_now(void);                                   /* monotonic seconds */
int u_tty(int fd);                                    /* a terminal, and NO_COLOR unset */

#endif
