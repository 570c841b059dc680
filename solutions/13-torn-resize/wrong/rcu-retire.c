/* wrong: RCU-style: (cap, slots) published as one table through an atomic pointer (release/acquire), old tables kept until map_destroy, slot fields atomic, writers under a mutex. Looked correct to its outside author and to the engineer who filed it first; it is not: map_get's find() stops at a free slot, the writer fills that slot with another key, and map_get then sees used == 1 and returns that key's value without looking at the key again. The schedules gate finds that interleaving (the scheduler switches between find and the used check); no plain run has shown it. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "map.h"

enum { FIRST_CAP = 8 };

struct slot {
	int used;
	int key;
	int value;
};

struct table {
	struct table *older;	/* retired tables, freed by map_destroy */
	size_t cap;		/* a power of two, fixed for this table */
	struct slot slots[];
};

struct map {
	_Atomic(struct table *) cur;
	pthread_mutex_t wmu;	/* one map_put at a time; readers never take it */
	size_t count;		/* slots in use, kept under 3/4 of cap (writer only) */
};

static struct table *table_new(size_t cap)
{
	struct table *t = calloc(1, sizeof *t + cap * sizeof t->slots[0]);
	if (t != NULL)
		t->cap = cap;
	return t;
}

/* Where key is in t, or the free slot where it would go (open addressing, linear probing). */
static size_t find(struct table *t, int key)
{
	size_t i = hash_key(key) & (t->cap - 1);
	while (__atomic_load_n(&t->slots[i].used, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&t->slots[i].key, __ATOMIC_RELAXED) != key)
		i = (i + 1) & (t->cap - 1);
	return i;
}

struct map *map_create(void)
{
	struct map *m = malloc(sizeof *m);
	if (m == NULL)
		return NULL;
	struct table *t = table_new(FIRST_CAP);
	if (t == NULL) {
		free(m);
		return NULL;
	}
	atomic_init(&m->cur, t);
	pthread_mutex_init(&m->wmu, NULL);
	m->count = 0;
	return m;
}

void map_destroy(struct map *m)
{
	struct table *t = atomic_load(&m->cur);
	while (t != NULL) {
		struct table *older = t->older;
		free(t);
		t = older;
	}
	pthread_mutex_destroy(&m->wmu);
	free(m);
}

/* Copy every entry into a table twice the size, publish it, keep the old one for late readers. */
static int grow(struct map *m)
{
	struct table *old = atomic_load_explicit(&m->cur, memory_order_relaxed);
	struct table *bigger = table_new(old->cap * 2);
	if (bigger == NULL)
		return -1;
	for (size_t i = 0; i < old->cap; i++)
		if (old->slots[i].used)
			bigger->slots[find(bigger, old->slots[i].key)] = old->slots[i];
	bigger->older = old;
	atomic_store_explicit(&m->cur, bigger, memory_order_release);
	return 0;
}

int map_put(struct map *m, int key, int value)
{
	pthread_mutex_lock(&m->wmu);
	struct table *t = atomic_load_explicit(&m->cur, memory_order_relaxed);
	if (4 * (m->count + 1) > 3 * t->cap) {
		if (grow(m) != 0) {
			pthread_mutex_unlock(&m->wmu);
			return -1;
		}
		t = atomic_load_explicit(&m->cur, memory_order_relaxed);
	}
	struct slot *s = &t->slots[find(t, key)];
	if (s->used) {
		__atomic_store_n(&s->value, value, __ATOMIC_RELAXED);
	} else {
		__atomic_store_n(&s->key, key, __ATOMIC_RELAXED);
		__atomic_store_n(&s->value, value, __ATOMIC_RELAXED);
		__atomic_store_n(&s->used, 1, __ATOMIC_RELEASE);	/* last: readers see a whole slot */
		m->count++;
	}
	pthread_mutex_unlock(&m->wmu);
	return 0;
}

bool map_get(struct map *m, int key, int *value)
{
	struct table *t = atomic_load_explicit(&m->cur, memory_order_acquire);
	struct slot *s = &t->slots[find(t, key)];
	if (!__atomic_load_n(&s->used, __ATOMIC_ACQUIRE))
		return false;
	*value = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
	return true;
}
