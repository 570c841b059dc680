/* line.c: one updating status line on a terminal (spinner, task, step, seconds); nothing in a pipe. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "line.h"
#include "util.h"

static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t line_wake = PTHREAD_COND_INITIALIZER;
static pthread_t line_thread;
static FILE *line_out;         /* NULL: no line (not started, or not a terminal) */
static int line_running, line_shown;
static char *line_task, *line_sub;
static double line_t0;

/* A terminal that understands "erase to the end of the line". Not colour: NO_COLOR does not apply. */
static int line_terminal(FILE *out)
{
	const char *term = getenv("TERM");
	return isatty(fileno(out)) && !(term && strcmp(term, "dumb") == 0);
}

static int line_width(void)
{
	struct winsize ws;
	if (ioctl(fileno(line_out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col - 1;
	return 79;
}

/* Caller holds line_lock. */
static void line_erase(void)
{
	if (line_out && line_shown) {
		fputs("\r\033[K", line_out);
		fflush(line_out);
	}
	line_shown = 0;
}

/* Caller holds line_lock. */
static void line_draw(void)
{
	if (!line_out)
		return;
	if (!line_task || !*line_task) {
		line_erase();
		return;
	}
	static const char spin[] = "|/-\\";
	static unsigned turn;
	int sub = line_sub && *line_sub;
	char *s = u_fmt("%c %s%s%s (%.0fs)", spin[turn++ % 4], line_task, sub ? ": " : "", sub ? line_sub : "",
			u_now() - line_t0);
	fprintf(line_out, "\r\033[K%.*s", line_width(), s);
	fflush(line_out);
	line_shown = 1;
	free(s);
}

static void *line_main(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&line_lock);
	while (line_running) {
		line_draw();
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&line_wake, &line_lock, &ts);
	}
	line_erase();
	pthread_mutex_unlock(&line_lock);
	return NULL;
}

void line_start(FILE *out)
{
	pthread_mutex_lock(&line_lock);
	int start = !line_running && line_terminal(out);
	if (start) {
		line_out = out;
		line_running = 1;
		line_t0 = u_now();
	}
	pthread_mutex_unlock(&line_lock);
	if (start)
		pthread_create(&line_thread, NULL, line_main, NULL);
}

void line_stop(void)
{
	pthread_mutex_lock(&line_lock);
	int was = line_running;
	line_running = 0;
	pthread_cond_signal(&line_wake);
	pthread_mutex_unlock(&line_lock);
	if (was)
		pthread_join(line_thread, NULL);
	pthread_mutex_lock(&line_lock);
	line_out = NULL;
	pthread_mutex_unlock(&line_lock);
}

void line_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = u_vfmt(fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&line_lock);
	free(line_task);
	free(line_sub);
	line_task = s;
	line_sub = NULL;
	line_t0 = u_now();
	line_draw();
	pthread_mutex_unlock(&line_lock);
}

void line_step(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = u_vfmt(fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&line_lock);
	free(line_sub);
	line_sub = s;
	line_draw();
	pthread_mutex_unlock(&line_lock);
}

void line_hold(void)
{
	pthread_mutex_lock(&line_lock);
	line_erase();
}

void line_release(void)
{
	line_draw();
	pthread_mutex_unlock(&line_lock);
}
