/* slurm.h: a class graded on Slurm: the job array grade-class --slurm writes (racelab gradebook gathers it: slurm.c). */
#ifndef SLURM_H
#define SLURM_H

#include "gradebook.h"

/*
 * OUTDIR/grade.sbatch, a job array of a task per submission: task N runs racelab grade-class
 * on OUTDIR/tasks/N/, a folder holding only a link to submission N, so each is graded exactly
 * as grade-class grades it, into OUTDIR/results/. OUTDIR/class.json lists the lab and the
 * submissions in task order, for racelab gradebook. self: this racelab, absolute; timeout_s:
 * grade-class's cap on one grading. OUTDIR must not hold a class already. 0 on success, else -1 said on stderr.
 */
int slurm_write(const struct lab *lab, const struct gradebook_sub *subs, int n, const char *outdir,
		double timeout_s, const char *self);

#endif
