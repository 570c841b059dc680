/* wrong: grow() swaps in the new array and sleeps 10 ms before freeing the old one, readers take no lock: sleeping orders nothing, and a slower reader walks freed memory. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "map.h"

enum { FIRST_CAP = 8 };

struct slot {
	int used;
	int key;
	int value;
};

struct map {
	pthread_mutex_t wmu;	/* two loaders never collide */
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
	pthread_mutex_init(&m->wmu, NULL);
	m->cap = FIRST_CAP;
	m->count = 0;
	return m;
}

void map_destroy(struct map *m)
{
	pthread_mutex_destroy(&m->wmu);
	free(m->slots);
	free(m);
}

/* Move every entry to an array twice the size, switch to it, then free the old one. */
static int grow(struct map *m)
{
	const struct timespec grace = { 0, 10 * 1000 * 1000 };
	size_t cap = m->cap * 2;
	struct slot *bigger = calloc(cap, sizeof *bigger);
	if (bigger == NULL)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].used)
			bigger[find(bigger, cap, m->slots[i].key)] = m->slots[i];
	struct slot *old = m->slots;
	m->slots = bigger;
	m->cap = cap;
	nanosleep(&grace, NULL);	/* grace period: let lookups on the old array finish */
	free(old);
	return 0;
}

int map_put(struct map *m, int key, int value)
{
	int rc = 0;
	pthread_mutex_lock(&m->wmu);
	if (4 * (m->count + 1) > 3 * m->cap && grow(m) != 0) {
		rc = -1;
	} else {
		size_t i = find(m->slots, m->cap, key);
		if (!m->slots[i].used)
			m->count++;
		m->slots[i] = (struct slot){ .used = 1, .key = key, .value = value };
	}
	pthread_mutex_unlock(&m->wmu);
	return rc;
}

bool map_get(struct map *m, int key, int *value)
{
	size_t i = find(m->slots, m->cap, key);
	if (!m->slots[i].used)
		return false;
	*value = m->slots[i].value;
	return true;
}
