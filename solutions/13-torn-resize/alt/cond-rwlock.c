/* alt: a reader-writer lock built from one mutex and one condvar (readers, writing, writers waiting), every wait in a while loop: a walk never overlaps map_put, readers overlap each other, and the mutex hand-offs order walks against writes. */
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
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int readers;		/* map_get calls walking the array now */
	int writers_waiting;	/* map_put calls waiting to start */
	int writing;		/* a map_put is changing it */
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
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	m->readers = 0;
	m->writers_waiting = 0;
	m->writing = 0;
	m->cap = FIRST_CAP;
	m->count = 0;
	return m;
}

void map_destroy(struct map *m)
{
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->mu);
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
	pthread_mutex_lock(&m->mu);
	m->writers_waiting++;
	while (m->writing || m->readers > 0)
		pthread_cond_wait(&m->cv, &m->mu);
	m->writers_waiting--;
	m->writing = 1;
	pthread_mutex_unlock(&m->mu);

	int rc = 0;
	if (4 * (m->count + 1) > 3 * m->cap && grow(m) != 0) {
		rc = -1;
	} else {
		size_t i = find(m->slots, m->cap, key);
		if (!m->slots[i].used)
			m->count++;
		m->slots[i] = (struct slot){ .used = 1, .key = key, .value = value };
	}

	pthread_mutex_lock(&m->mu);
	m->writing = 0;
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
	return rc;
}

bool map_get(struct map *m, int key, int *value)
{
	pthread_mutex_lock(&m->mu);
	while (m->writing || m->writers_waiting > 0)
		pthread_cond_wait(&m->cv, &m->mu);
	m->readers++;
	pthread_mutex_unlock(&m->mu);

	bool found = false;
	size_t i = find(m->slots, m->cap, key);
	if (m->slots[i].used) {
		*value = m->slots[i].value;
		found = true;
	}

	pthread_mutex_lock(&m->mu);
	if (--m->readers == 0)
		pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
	return found;
}
