/* crew.h: start a crew of threads, each told its own number. */
#ifndef CREW_H
#define CREW_H

#define CREW_MAX 16

/*
 * Run worker on n threads at once (1 <= n <= CREW_MAX) and return when all of
 * them have finished. Thread k's argument points at an int holding k, and that
 * int keeps its value until run_crew returns. Several crews may run at once.
 */
void run_crew(int n, void *(*worker)(void *));

#endif
