/* massif.c: read Valgrind massif's heap profile: the peak and where it was allocated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "massif.h"
#include "util.h"

/*
 * A massif file is a list of snapshots ("mem_heap_B=123"), the detailed ones
 * followed by an allocation tree whose lines read
 * " n1: 20480000 0x10A5F3: queue_push (queue.c:31)".
 */
void massif_parse(const char *text, const struct src_ctx *src, struct massif_peak *p)
{
	char *copy = u_xstrdup(text);
	long heap = 0, own_peak = 0;
	int in_peak_tree = 0, best_rank = 0;
	long series[4096];
	int n = 0;
	char *save = NULL; /* strtok_r: gates read their reports on several threads */
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "mem_heap_B=%ld", &heap) == 1) {
			if (n < 4096)
				series[n++] = heap;
			own_peak = heap > own_peak ? heap : own_peak;
			if (heap > p->peak_bytes) {
				p->peak_bytes = heap;
				in_peak_tree = -1; /* the tree that follows may be this peak's */
			}
		} else if (strncmp(line, "heap_tree=", 10) == 0) {
			in_peak_tree = in_peak_tree == -1 && strcmp(line + 10, "empty") != 0;
			if (in_peak_tree) {
				free(p->site);
				free(p->site_frame.file);
				free(p->site_frame.fn);
				p->site = NULL;
				memset(&p->site_frame, 0, sizeof p->site_frame);
				best_rank = 0;
			}
		} else if (in_peak_tree == 1 && strstr(line, ": ") && strchr(line, '(')) {
			char fn[256], loc[512];
			long bytes;
			if (sscanf(u_trim(line), "n%*d: %ld %*s %255s (%511[^)])", &bytes, fn, loc) != 3)
				continue;
			char *colon = strrchr(loc, ':');
			if (!colon)
				continue;
			*colon = '\0';
			int r = src_rank(src, loc);
			if (r > best_rank) {
				char *point = src_point(src, loc, atoi(colon + 1));
				free(p->site);
				p->site = u_fmt("%ld bytes from %s  (in %s)", bytes, point, fn);
				free(p->site_frame.file);
				free(p->site_frame.fn);
				p->site_frame = (struct src_frame){ u_xstrdup(fn), u_xstrdup(loc), atoi(colon + 1), r };
				free(point);
				best_rank = r;
			}
		}
	}
	/*
	 * Keep the series of the process that reached the peak (Check forks one per test), in at
	 * most RESULT_HEAP_POINTS points for a graph a terminal can show, each the largest heap of its stretch.
	 */
	if (n > 0 && own_peak >= p->peak_bytes) {
		p->nseries = n < RESULT_HEAP_POINTS ? n : RESULT_HEAP_POINTS;
		for (int i = 0; i < p->nseries; i++) {
			long from = (long)i * n / p->nseries, to = (long)(i + 1) * n / p->nseries;
			p->series[i] = 0;
			for (long k = from; k < to; k++)
				p->series[i] = series[k] > p->series[i] ? series[k] : p->series[i];
		}
	}
	free(copy);
}

int massif_read(const char *fileprefix, const struct src_ctx *src, struct massif_peak *p)
{
	memset(p, 0, sizeof *p);
	struct u_list outs = { 0 };
	int read = 0;
	u_pid_files(fileprefix, &outs);
	for (int i = 0; i < outs.n; i++) {
		char *text = u_slurp(outs.v[i], NULL);
		if (!text)
			continue;
		massif_parse(text, src, p);
		read++;
		free(text);
	}
	u_list_free(&outs);
	return read ? 0 : -1;
}

/* "131.1 MiB", "640 KiB", "12 B" */
static char *massif_size(long b)
{
	return b >= 1024 * 1024 ? u_fmt("%.1f MiB", b / 1048576.0) : b >= 1024 ? u_fmt("%.0f KiB", b / 1024.0)
								: u_fmt("%ld B", b);
}

char *massif_chart(const long *series, int n, long bound, int rows, int cols, const char *pad)
{
	struct u_buf b = { 0 };
	long top = bound + bound / 4; /* a heap under its bound still shows the bound below the top */
	for (int i = 0; i < n; i++)
		top = series[i] > top ? series[i] : top;
	if (n <= 0 || top <= 0 || rows < 2 || cols < 2)
		return u_xstrdup("");
	/* The row the bound falls in: row r (0 at the bottom) holds values up to top * (r + 1) / rows; the
	 * bound gets the row under the top one at most, so the top keeps its label. */
	int brow = (int)((double)bound * rows / (double)top);
	brow = brow >= rows - 1 ? rows - 2 : brow;
	char *maxs = massif_size(top), *bs = massif_size(bound);
	char *blabel = u_fmt("bound %s", bs);
	for (int r = rows - 1; r >= 0; r--) {
		const char *label = r == rows - 1 ? maxs : r == brow ? blabel : "";
		u_buf_addf(&b, "%s%15s |", pad, label);
		for (int x = 0; x < cols; x++) {
			long v = series[(long)x * n / cols];
			double cut = (double)top * (r + 0.5) / rows;
			u_buf_add(&b, (double)v >= cut ? "#" : r == brow ? "-" : " ");
		}
		u_buf_add(&b, "\n");
	}
	u_buf_addf(&b, "%s%15s +", pad, "0");
	for (int x = 0; x < cols; x++)
		u_buf_add(&b, "-");
	u_buf_add(&b, " time\n");
	free(maxs);
	free(bs);
	free(blabel);
	return u_buf_take(&b);
}

void massif_free(struct massif_peak *p)
{
	free(p->site);
	p->site = NULL;
	free(p->site_frame.file);
	free(p->site_frame.fn);
	memset(&p->site_frame, 0, sizeof p->site_frame);
}
