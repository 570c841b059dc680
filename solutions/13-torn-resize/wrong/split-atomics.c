/* wrong: lock-free readers with the table's slots and cap in two separate atomics, old arrays kept to the end: (slots, cap) is one invariant published by two stores, so a reader can pair new slots with the old cap (a present key reported missing) or the reverse; and a lookup that stopped at a free slot reads it again once the writer filled it with another key (class 8). ThreadSanitizer is silent, every access being atomic; the schedules gate forces both windows. Written by an outside author. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "map.h"

enum { FIRST_CAP = 8, MAX_OLD = 64 };

struct slot {
	int used;
	int key;
	int value;
};

struct map {
	_Atomic(struct slot *) slots;	/* cap slots */
	_Atomic size_t cap;		/* a power of two */
	size_t count;			/* slots in use, kept under 3/4 of cap (writer only) */
	pthread_mutex_t wmu;		/* one writer at a time */
	struct slot *old[MAX_OLD];	/* replaced arrays, freed by map_destroy */
	int nold;
};

/* Where key is in slots, or the free slot where it would go (open addressing, linear probing). */
static size_t find(struct slot *slots, size_t cap, int key)
{
	size_t i = hash_key(key) & (cap - 1);
	while (__atomic_load_n(&slots[i].used, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&slots[i].key, __ATOMIC_RELAXED) != key)
		i = (i + 1) & (cap - 1);
	return i;
}

struct map *map_create(void)
{
	struct map *m = malloc(sizeof *m);
	if (m == NULL)
		return NULL;
	struct slot *s = calloc(FIRST_CAP, sizeof *s);
	if (s == NULL) {
		free(m);
		return NULL;
	}
	atomic_init(&m->slots, s);
	atomic_init(&m->cap, FIRST_CAP);
	pthread_mutex_init(&m->wmu, NULL);
	m->count = 0;
	m->nold = 0;
	return m;
}

void map_destroy(struct map *m)
{
	for (int k = 0; k < m->nold; k++)
		free(m->old[k]);
	free(atomic_load(&m->slots));
	pthread_mutex_destroy(&m->wmu);
	free(m);
}

/* Copy every entry to an array twice the size; keep the old one for readers still on it. */
static int grow(struct map *m)
{
	struct slot *slots = atomic_load(&m->slots);
	size_t oldcap = atomic_load(&m->cap), cap = oldcap * 2;
	struct slot *bigger = calloc(cap, sizeof *bigger);
	if (bigger == NULL)
		return -1;
	for (size_t i = 0; i < oldcap; i++)
		if (slots[i].used)
			bigger[find(bigger, cap, slots[i].key)] = slots[i];
	m->old[m->nold++] = slots;
	atomic_store(&m->slots, bigger);
	atomic_store(&m->cap, cap);
	return 0;
}

int map_put(struct map *m, int key, int value)
{
	pthread_mutex_lock(&m->wmu);
	if (4 * (m->count + 1) > 3 * atomic_load(&m->cap) && grow(m) != 0) {
		pthread_mutex_unlock(&m->wmu);
		return -1;
	}
	struct slot *s = atomic_load(&m->slots);
	struct slot *p = &s[find(s, atomic_load(&m->cap), key)];
	if (!p->used) {
		m->count++;
		__atomic_store_n(&p->key, key, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&p->value, value, __ATOMIC_RELAXED);
	__atomic_store_n(&p->used, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->wmu);
	return 0;
}

bool map_get(struct map *m, int key, int *value)
{
	struct slot *slots = atomic_load(&m->slots);
	size_t cap = atomic_load(&m->cap);
	size_t i = find(slots, cap, key);
	if (!__atomic_load_n(&slots[i].used, __ATOMIC_ACQUIRE))
		return false;
	*value = __atomic_load_n(&slots[i].value, __ATOMIC_RELAXED);
	return true;
}
