/* alt: a C11 <threads.h> mtx_t (made by call_once) around every access of value. Correct; clang 14 TSan does not intercept glibc 2.36 mtx_lock and reports a false race: needs the detector-limits change. */
#include <threads.h>
#include "counter.h"

static mtx_t m;
static once_flag m_once = ONCE_FLAG_INIT;

static void m_setup(void)
{
	mtx_init(&m, mtx_plain);
}

void counter_init(struct counter *c)
{
	call_once(&m_once, m_setup);
	c->value = 0;
	pthread_mutex_init(&c->lock, NULL);
}

void counter_destroy(struct counter *c)
{
	pthread_mutex_destroy(&c->lock);
}

void counter_inc(struct counter *c)
{
	mtx_lock(&m);
	c->value++;
	mtx_unlock(&m);
}

long counter_get(struct counter *c)
{
	mtx_lock(&m);
	long v = c->value;
	mtx_unlock(&m);
	return v;
}
