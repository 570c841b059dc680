/* proctree.h: the processes below a root, read from /proc: to watch a run's CPU and to kill it whole. */
#ifndef PROCTREE_H
#define PROCTREE_H

#include <sys/types.h>

/* How many processes a scan of /proc reads at most (the machine's, not a run's). */
enum { PT_SCAN_MAX = 32768 };

/*
 * root and every process below it (by parent, whatever their process group),
 * at most max, root first; parents[i] (if not NULL) is out[i]'s parent;
 * *ticks (if not NULL) gets their CPU time in clock ticks, with that of the
 * children they reaped.
 */
int pt_tree(pid_t root, pid_t *out, pid_t *parents, int max, long *ticks);

/*
 * The CPU ticks (with those of the children they reaped) of the processes a cgroup's
 * cgroup.procs file lists: a run's whole tree, where it has a cgroup of its own, from a
 * handful of reads instead of a scan of every process on the machine. -1 when the file
 * cannot be read.
 */
long pt_group_ticks(const char *procs);

/* The address space mapped by root and every process below it, in KiB (each one's VmSize). */
long pt_tree_vm_kb(pid_t root);

/* Stop the whole tree first (so nothing forks while we look), then kill it. */
void pt_kill_tree(pid_t root);

/* The children of parent, at most max; zombie[i] (if not NULL) says whether out[i] has ended. */
int pt_children(pid_t parent, pid_t *out, int *zombie, int max);

#endif
