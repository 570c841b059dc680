/* digest.c: SHA-256 fingerprints of texts, files and installed programs (nettle): the keys of racelab's caches. */
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "digest.h"
#include "util.h"

void dg_init(struct dg *d)
{
	sha256_init(&d->ctx);
}

void dg_add(struct dg *d, const void *p, size_t n)
{
	sha256_update(&d->ctx, n, p);
}

void dg_str(struct dg *d, const char *s)
{
	dg_add(d, s ? s : "", strlen(s ? s : "") + 1);
}

int dg_file(struct dg *d, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		dg_str(d, "(unreadable)");
		return -1;
	}
	char buf[65536];
	ssize_t n;
	unsigned long long total = 0;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		dg_add(d, buf, (size_t)n);
		total += (unsigned long long)n;
	}
	close(fd);
	/* The length ends the content, so a file's last bytes cannot pass for what is added next. */
	dg_add(d, &total, sizeof total);
	if (n < 0) {
		dg_str(d, "(read error)");
		return -1;
	}
	return 0;
}

void dg_stat(struct dg *d, const char *path)
{
	char real[PATH_MAX];
	struct stat st;
	if (!realpath(path, real) || stat(real, &st) != 0) {
		dg_str(d, path);
		dg_str(d, "(missing)");
		return;
	}
	char *id = u_fmt("%s %lld %lld.%09ld %llu", real, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
	dg_str(d, id);
	free(id);
}

void dg_glob(struct dg *d, const char *pattern)
{
	glob_t g;
	dg_str(d, pattern);
	if (glob(pattern, GLOB_BRACE, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		dg_stat(d, g.gl_pathv[i]);
	globfree(&g);
}

char *dg_program(struct dg *d, const char *name)
{
	const char *path = getenv("PATH");
	char *dirs = u_xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin"), *save = NULL, *found = NULL;
	for (char *dir = strtok_r(dirs, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *p = u_fmt("%s/%s", *dir ? dir : ".", name);
		char real[PATH_MAX];
		if (access(p, X_OK) == 0 && realpath(p, real))
			found = u_xstrdup(real);
		free(p);
	}
	free(dirs);
	dg_str(d, name);
	if (found)
		dg_stat(d, found);
	else
		dg_str(d, "(not installed)");
	return found;
}

char *dg_hex(struct dg *d)
{
	unsigned char raw[SHA256_DIGEST_SIZE];
	sha256_digest(&d->ctx, sizeof raw, raw);
	char *hex = u_xmalloc(2 * sizeof raw + 1);
	for (size_t i = 0; i < sizeof raw; i++)
		sprintf(hex + 2 * i, "%02x", raw[i]);
	return hex;
}

char *dg_file_hex(const char *path)
{
	struct dg d;
	dg_init(&d);
	if (dg_file(&d, path) != 0)
		return NULL;
	return dg_hex(&d);
}

void dg_machine(struct dg *d)
{
	dg_toolchain(d);
	/* glibc's debug symbols (libc6-dbg), by which gdb names the locks of a hang. */
	dg_stat(d, "/usr/lib/debug");
	dg_glob(d, "/usr/lib/debug/.build-id/*");
	/* The kernel and what it allows: TSan's memory layout, gdb's ptrace, namespaces and cgroups as root. */
	struct utsname u;
	dg_str(d, uname(&u) == 0 ? u.release : "?");
	const char *knobs[] = { "/proc/sys/vm/mmap_rnd_bits", "/proc/sys/kernel/yama/ptrace_scope",
				"/proc/sys/kernel/unprivileged_userns_clone", "/proc/sys/user/max_user_namespaces" };
	for (size_t i = 0; i < NELEM(knobs); i++) {
		char *v = u_slurp(knobs[i], NULL);
		dg_str(d, knobs[i]);
		dg_str(d, v ? v : "(none)");
		free(v);
	}
	char *uid = u_fmt("uid %d", (int)geteuid());
	dg_str(d, uid);
	free(uid);
}

void dg_toolchain(struct dg *d)
{
	free(dg_program(d, "gcc"));
	free(dg_program(d, "gdb"));
	char *clang = dg_program(d, "clang"), *vg = dg_program(d, "valgrind");
	/* Their files beside them, from the folder above their bin: /usr/lib/llvm-14, /usr. */
	if (clang && strrchr(clang, '/')) {
		char *pat = u_fmt("%.*s/../lib/clang/*/lib/linux/libclang_rt.tsan*", (int)(strrchr(clang, '/') - clang), clang);
		dg_glob(d, pat);
		free(pat);
	}
	if (vg && strrchr(vg, '/')) {
		char *pat = u_fmt("%.*s/../{libexec,lib,lib/*}/valgrind/*-linux", (int)(strrchr(vg, '/') - vg), vg);
		char *bin = u_fmt("%s.bin", vg); /* Debian's valgrind is a script in front of valgrind.bin */
		dg_glob(d, pat);
		dg_stat(d, bin);
		free(pat);
		free(bin);
	}
	free(clang);
	free(vg);
}
