/* alt: semaphores, the classic readers-writers: the first reader in takes the room, the last one out gives it back, the writer holds the room for all of map_put, and a turnstile keeps readers from starving it. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

#include "map.h"

enum { FIRST_CAP = 8 };

struct slot {
	int used;
	int key;
	int value;
};

struct map {
	sem_t room;		/* 1 when nobody is in; held by the writer or by the readers as a group */
	sem_t turnstile;	/* a waiting writer holds it, so new readers queue behind it */
	pthread_mutex_t rmu;	/* guards readers */
	int readers;
	struct slot *slots;	/* cap slots; grow() swaps in a bigger array and frees this one */
	size_t cap;		/* a power of two */
	size_t count;		/* slots in use, kept under 3/4 of cap */
};

static void sem_enter(sem_t *s)
{
	while (sem_wait(s) != 0 && errno == EINTR)
		;
}

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
	if (sem_init(&m->room, 0, 1) != 0) {
		free(m->slots);
		free(m);
		return NULL;
	}
	if (sem_init(&m->turnstile, 0, 1) != 0) {
		sem_destroy(&m->room);
		free(m->slots);
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->rmu, NULL);
	m->readers = 0;
	m->cap = FIRST_CAP;
	m->count = 0;
	return m;
}

void map_destroy(struct map *m)
{
	pthread_mutex_destroy(&m->rmu);
	sem_destroy(&m->turnstile);
	sem_destroy(&m->room);
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
	int rc = 0;
	sem_enter(&m->turnstile);
	sem_enter(&m->room);
	sem_post(&m->turnstile);
	if (4 * (m->count + 1) > 3 * m->cap && grow(m) != 0) {
		rc = -1;
	} else {
		size_t i = find(m->slots, m->cap, key);
		if (!m->slots[i].used)
			m->count++;
		m->slots[i] = (struct slot){ .used = 1, .key = key, .value = value };
	}
	sem_post(&m->room);
	return rc;
}

bool map_get(struct map *m, int key, int *value)
{
	sem_enter(&m->turnstile);	/* wait here if a writer is waiting */
	sem_post(&m->turnstile);
	pthread_mutex_lock(&m->rmu);
	if (++m->readers == 1)
		sem_enter(&m->room);	/* first reader in locks the writer out */
	pthread_mutex_unlock(&m->rmu);

	bool found = false;
	size_t i = find(m->slots, m->cap, key);
	if (m->slots[i].used) {
		*value = m->slots[i].value;
		found = true;
	}

	pthread_mutex_lock(&m->rmu);
	if (--m->readers == 0)
		sem_post(&m->room);	/* last reader out lets the writer in */
	pthread_mutex_unlock(&m->rmu);
	return found;
}
