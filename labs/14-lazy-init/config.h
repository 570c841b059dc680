/* config.h: the service's settings, loaded on first use and shared by every thread (the interface the tests call). */
#ifndef CONFIG_H
#define CONFIG_H

struct config {
	int id;			/* which load made this copy: 1 for the first load, 2 for a second... */
	int port;
	int max_clients;
	int timeout_ms;
};

/*
 * The one shared config, loaded by the first call. Called by many threads at
 * once, the first calls included: every caller must get the same config, and
 * it must be loaded exactly once.
 */
const struct config *config_get(void);

/*
 * From loader.c, part of the lab: read the settings into a new config on the
 * heap. It stands for reading and parsing a file, so it is slow: the tests set
 * config_load_pause to make it pause at the start. config_free releases one.
 */
struct config *config_load(void);
void config_free(struct config *c);
extern void (*config_load_pause)(void);

#endif
