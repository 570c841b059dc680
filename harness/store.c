/* store.c: racelab's cache folder on this machine, and files put there whole or not at all. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "util.h"

/*
 * Ours alone: owned by this user and writable by no one else. Objects from a folder others
 * may write could be anyone's tests, so a shared folder is no cache.
 */
static int store_private(const char *dir)
{
	struct stat st;
	return stat(dir, &st) == 0 && st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

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
	if (dir) { /* made for this user alone, whatever the umask */
		const char *slash = strrchr(root, '/');
		char *parent = slash ? u_fmt("%.*s", (int)(slash - root), root) : u_xstrdup("");
		if (*parent)
			u_mkdirs(parent);
		mkdir(root, 0700);
		mkdir(dir, 0700);
		free(parent);
	}
	if (dir && (access(dir, W_OK) != 0 || !store_private(root) || !store_private(dir))) {
		free(dir);
		dir = NULL;
	}
	free(root);
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
