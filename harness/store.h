/* store.h: racelab's cache folder on this machine, and files put there whole or not at all. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

/*
 * The folder kind ("obj", "probe", "answer") of the cache, made if need be:
 * under RACELAB_CACHE if set ("off": no cache at all), else
 * $XDG_CACHE_HOME/racelab, else ~/.cache/racelab. NULL when there is none
 * (switched off, cannot be made, or another user owns it or may write it):
 * callers then work without a cache.
 */
char *store_dir(const char *kind);

/*
 * A fresh name beside path for writing it: path.tmp.PID.N. Written there and
 * then renamed over path (store_publish), the file is never seen half written,
 * even by another racelab doing the same at the same time.
 */
char *store_tmp_name(const char *path);

/* Flush tmp to disk and rename it to path; on failure tmp is removed. 0 on success. */
int store_publish(const char *tmp, const char *path);

/* Write data to path through a temporary name (above). 0 on success. */
int store_put(const char *path, const void *data, size_t len);

#endif
