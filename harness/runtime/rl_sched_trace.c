/* rl_sched_trace.c: the steps of one schedule, written for `racelab replay` to explain (no addresses, no times). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rl_sched.h"

/*
 * One line a step: "STEP THREAD EVENT OBJECT PC VALUE SIZE". PC is the offset of the
 * caller's instruction in the executable (addr2line turns it into file:line); OBJECT a
 * token: {s:OFFSET} a variable of the executable (nm names it), {h:N} the N-th heap
 * object the schedule touched, {k:N} a local of thread N, - none. Nothing in it depends
 * on where the process was loaded, so a replay of the same seed writes the same bytes.
 */
extern char __executable_start[], _end[];

struct trace_step {
	enum sched_ev ev;
	int tid, size;
	const void *obj, *pc;
	long long value;
};

static struct {
	int on;
	char *path;
	struct trace_step *v;
	int n, cap;
	const void *heap[1024];          /* heap objects in the order the schedule met them */
	int nheap;
	char note[4096];
} trace;

static const char *const trace_names[EV_COUNT] = {
	"read", "write", "atomic-load", "atomic-store", "atomic-rmw", "atomic-cas",
	"create", "start", "exit", "join",
	"lock", "trylock-busy", "unlock", "blocks-on",
	"wait", "woken", "spurious", "timeout", "signal", "broadcast",
	"barrier", "sem-wait", "sem-post", "rdlock", "wrlock", "rwunlock", "once", "sleep", "yield",
};

int trace_on(void)
{
	return trace.on;
}

void trace_open(const char *path)
{
	trace.on = 1;
	trace.path = strdup(path);
}

void trace_obj_name(const void *addr, char *buf, size_t n)
{
	const char *a = addr;
	if (!a) {
		snprintf(buf, n, "-");
		return;
	}
	if (a >= __executable_start && a < _end) {
		snprintf(buf, n, "{s:%lx}", (unsigned long)(a - __executable_start));
		return;
	}
	for (int i = 0; i < rl_sched.nthreads; i++)
		if (a >= rl_sched.t[i].stack_lo && a < rl_sched.t[i].stack_hi) {
			snprintf(buf, n, "{k:%d}", i);
			return;
		}
	int h = 0;
	while (h < trace.nheap && trace.heap[h] != addr)
		h++;
	if (h == trace.nheap && trace.nheap < 1024)
		trace.heap[trace.nheap++] = addr;
	snprintf(buf, n, "{h:%d}", h);
}

int trace_add(enum sched_ev ev, int tid, const void *obj, const void *pc, long long value, int size)
{
	/* Every sync step may let a thread on (a spinner's livelock is only one where none happens);
	 * memory is counted by rl_sched_mem.c, which knows whether a CAS wrote. */
	if (ev > EV_ATOMIC_CAS && ev != EV_TRYLOCK_FAIL && ev != EV_YIELD)
		rl_sched.changes++;
	if (!trace.on)
		return -1;
	if (trace.n == trace.cap) {
		trace.cap = trace.cap ? trace.cap * 2 : 4096;
		trace.v = realloc(trace.v, sizeof *trace.v * (size_t)trace.cap);
		if (!trace.v)
			abort();
	}
	trace.v[trace.n] = (struct trace_step){ ev, tid, size, obj, pc, value };
	return trace.n++;
}

void trace_read_value(struct sched_thread *t)
{
	if (t->pending < 0)
		return;
	struct trace_step *s = &trace.v[t->pending];
	switch (s->size) {
	case 1: s->value = *(const volatile signed char *)s->obj; break;
	case 2: s->value = *(const volatile short *)s->obj; break;
	case 4: s->value = *(const volatile int *)s->obj; break;
	case 8: s->value = *(const volatile long long *)s->obj; break;
	}
	t->pending = -1;
}

void trace_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t len = strlen(trace.note);
	vsnprintf(trace.note + len, sizeof trace.note - len, fmt, ap);
	va_end(ap);
}

static unsigned long trace_pc(const void *pc)
{
	const char *p = pc;
	/* The instruction of the call, not the one after it: addr2line then names the call's line. */
	return p >= __executable_start && p < _end ? (unsigned long)(p - __executable_start) - 1 : 0;
}

/* Write the steps once, at the schedule's end, whatever ends it (a failed assertion exits the process). */
void trace_flush(void)
{
	if (!trace.on || !trace.path)
		return;
	for (int i = 0; i < rl_sched.nthreads; i++)
		trace_read_value(&rl_sched.t[i]);
	FILE *f = fopen(trace.path, "w");
	if (!f)
		return;
	fprintf(f, "racelab-schedule 1\n%s", trace.note);
	for (int i = 0; i < trace.n; i++) {
		const struct trace_step *s = &trace.v[i];
		char obj[48];
		trace_obj_name(s->obj, obj, sizeof obj);
		fprintf(f, "%d T%d %s %s %lx %lld %d\n", i, s->tid, trace_names[s->ev], obj, trace_pc(s->pc), s->value,
			s->size);
	}
	fclose(f);
	free(trace.path);
	trace.path = NULL;
}
