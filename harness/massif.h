/* massif.h: read Valgrind massif's heap profile: the peak and where it was allocated. */
#ifndef MASSIF_H
#define MASSIF_H

#include "result.h"
#include "source.h"

struct massif_peak {
	long peak_bytes;        /* the largest useful heap of any snapshot, any process */
	char *site;             /* the lab's biggest allocation site at that peak, or NULL */
	struct src_frame site_frame; /* the same site as a frame (file NULL when none) */
	long series[RESULT_HEAP_POINTS]; /* heap size of the snapshots, for a small graph */
	int nseries;
};

/* Read every FILEPREFIX.* massif output; 0 when at least one was read. */
int massif_read(const char *fileprefix, const struct src_ctx *src, struct massif_peak *p);
/* One massif output's text (for tests on recorded output). */
void massif_parse(const char *text, const struct src_ctx *src, struct massif_peak *p);
void massif_free(struct massif_peak *p);

/*
 * A chart of heap over time, rows lines of cols columns (plus an axis), '#' for the heap and
 * '-' on the row of the bound: each line ends with a newline and starts with pad.
 */
char *massif_chart(const long *series, int n, long bound, int rows, int cols, const char *pad);

#endif
