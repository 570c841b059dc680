/* digest.h: SHA-256 fingerprints of texts, files and installed programs (nettle): the keys of racelab's caches. */
#ifndef DIGEST_H
#define DIGEST_H

#include <nettle/sha2.h>
#include <stddef.h>

struct dg {
	struct sha256_ctx ctx;
};

void dg_init(struct dg *d);
void dg_add(struct dg *d, const void *p, size_t n);

/* A string and its end: "ab","c" and "a","bc" give different fingerprints. */
void dg_str(struct dg *d, const char *s);

/* A file's whole content (not its name); 0, or -1 when it cannot be read (that is fingerprinted). */
int dg_file(struct dg *d, const char *path);

/*
 * Which file path is, cheaply: its real path, size, modification time and inode (a package
 * upgrade replaces the file, so any of them changes). A missing file is fingerprinted as such.
 */
void dg_stat(struct dg *d, const char *path);

/* dg_stat of every file matching a glob(3) pattern ({a,b} too), in order. */
void dg_glob(struct dg *d, const char *pattern);

/* The program name would run (looked up in PATH, links followed): its dg_stat. Its real path, or NULL. */
char *dg_program(struct dg *d, const char *name);

/*
 * The tools a check runs, as installed (dg_program): gcc, gdb, clang with its
 * ThreadSanitizer runtime, valgrind with its tools.
 */
void dg_toolchain(struct dg *d);

/*
 * The machine as a check depends on it: the toolchain above, glibc's debug symbols (by which
 * gdb explains a hang), the kernel's release and the settings TSan, gdb and the isolation of
 * runs depend on, and the user racelab runs as. A change to any of them may change an answer.
 */
void dg_machine(struct dg *d);

/* The fingerprint as 64 hex digits. d is spent. */
char *dg_hex(struct dg *d);

/* The fingerprint of one file's content alone, as hex; NULL when it cannot be read. */
char *dg_file_hex(const char *path);

#endif
