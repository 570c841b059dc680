/* calls.h: the "learner's code" of the fault shim's tests: calls that can fail, counted by the caller. */
#ifndef CALLS_H
#define CALLS_H

/* Start and join n threads one after another; rc[i] is the i-th pthread_create's result. */
void calls_spawn(int n, int *rc);

/* n mallocs of 16 bytes, each freed at once; the number of the first that gave NULL (from 1), or 0. */
int calls_alloc(int n);

#endif
