/* wrong: readers hold the read lock, but map_put takes the write lock only around grow(): the slot it fills is written while readers walk over it (a torn slot). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>

#include "map.h"

enum { FIRST_CAP = 8 };

struct slot {
	int used;
	int key;
	int value;
};

struct map {
	pthread_rwlock_t lock;
	struct slot *slots;	/* cap slots; grow() swaps in a bigger array and frees this one */
	size_t cap;		/* a power of two */
	size_t count;		/* slots in use, kept under 3/4 of cap */
};

/* Where key is in slots, or the free slot where it would go (open addressing, linear probing). */
static size_t find(const struct slot *slots, size_t cap, int key)
{
	size_t i = hash_key(key) & (cap - 1);
	while (slots[i].used && slots[i].key != key)
		i = (i + 1) & (cap - 1);
	return i;
}

struct map *map_create(void)
{
	struct map *m = malloc(sizeof *m);
	if (m == NULL)
		return NULL;
	m->slots = calloc(FIRST_CAP, sizeof *m->slots);
	if (m->slots == NULL) {
		free(m);
		return NULL;
	}
	pthread_rwlock_init(&m->lock, NULL);
	m->cap = FIRST_CAP;
	m->count = 0;
	return m;
}

void map_destroy(struct map *m)
{
	pthread_rwlock_destroy(&m->lock);
	free(m->slots);
	free(m);
}

/* Move every entry to an array twice the size, then free the old one. */
static int grow(struct map *m)
{
	size_t cap = m->cap * 2;
	struct slot *bigger = calloc(cap, sizeof *bigger);
	if (bigger == NULL)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].used)
			bigger[find(bigger, cap, m->slots[i].key)] = m->slots[i];
	free(m->slots);
	m->slots = bigger;
	m->cap = cap;
	return 0;
}

int map_put(struct map *m, int key, int value)
{
	if (4 * (m->count + 1) > 3 * m->cap) {
		pthread_rwlock_wrlock(&m->lock);
		int rc = grow(m);
		pthread_rwlock_unlock(&m->lock);
		if (rc != 0)
			return -1;
	}
	/* Writing one slot of the current array frees nothing: no lock needed. */
	size_t i = find(m->slots, m->cap, key);
	if (!m->slots[i].used)
		m->count++;
	m->slots[i] = (struct slot){ .used = 1, .key = key, .value = value };
	return 0;
}

bool map_get(struct map *m, int key, int *value)
{
	bool found = false;
	pthread_rwlock_rdlock(&m->lock);
	size_t i = find(m->slots, m->cap, key);
	if (m->slots[i].used) {
		*value = m->slots[i].value;
		found = true;
	}
	pthread_rwlock_unlock(&m->lock);
	return found;
}
