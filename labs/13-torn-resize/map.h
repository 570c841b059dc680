/* map.h: a hash map from int keys to int values, shared by readers and a writer (the interface the tests call). */
#ifndef MAP_H
#define MAP_H

#include <stdbool.h>
#include <stddef.h>

struct map;

/* An empty map. NULL if out of memory. */
struct map *map_create(void);
void map_destroy(struct map *m);

/*
 * Set key to value, adding the key if it is new. The map grows as it fills:
 * now and then a put moves every entry to a bigger array. Called by a writer
 * thread while readers call map_get. Returns 0, or -1 if out of memory.
 */
int map_put(struct map *m, int key, int value);

/* If key is in the map, store its value in *value and return true. Called by many readers at once. */
bool map_get(struct map *m, int key, int *value);

/*
 * From hash.c, part of the lab: the hash of a key. Use it for every lookup.
 * The tests set hash_pause to stop a reader inside hash_key() and let the
 * writer run meanwhile: the worst moment, on purpose.
 */
size_t hash_key(int key);
extern void (*hash_pause)(void);

#endif
