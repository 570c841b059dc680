/* store.c: racelab's cache folder on this machine, and files put there whole or not at all. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "util.h"

char *store_dir(const char *kind)
{
	const char *env = getenv("RACELAB_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *root;
	if (env && *env)
		root = strcmp(env, "off") == 0 ? NULL : u_xstrdup(env);
	else if (xdg && *xdg == '/')
		root = u_fmt("%s/racelab", xdg);
	else if (home && *home == '/')
		root = u_fmt("%s/.cache/racelab", home);
	else
		root = NULL;
	char *dir = root ? u_fmt("%s/%s", root, kind) : NULL;
	free(root);
	if (dir && (u_mkdirs(dir) != 0 || access(dir, W_OK) != 0)) {
		free(dir);
		dir = NULL;
	}
	return dir;
}

char *store_tmp_name(const char *path)
{
	static int seq;
	return u_fmt("%s.tmp.%d.%d", path, (int)getpid(), __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
}

int store_publish(const char *tmp, const char *path)
{
	/* On disk before it has its name: after a crash, a cached file is whole or absent. */
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	int synced = fd >= 0 && fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	if (synced && rename(tmp, path) == 0)
		return 0;
	unlink(tmp);
	return -1;
}

int store_put(const char *path, const void *data, size_t len)
{
	char *tmp = store_tmp_name(path);
	int rc = u_write_file(tmp, data, len) == 0 ? store_publish(tmp, path) : -1;
	unlink(tmp); /* gone already when it was renamed */
	free(tmp);
	return rc;
}
