/* alt: a short mutex for the snapshot and for the validate-version-and-write (UPDATE ... WHERE version = ?), never across change(); correct because the check and the write of both fields are one critical section, change() runs with no lock held, and record_read copies the pair under the same lock. */
#include <pthread.h>
#include <stdlib.h>

#include "record.h"

struct record {
	pthread_mutex_t lock;	/* guards value and version; never held across change() */
	int value;
	unsigned version;	/* bumped by every update, so changes can be told apart */
};

struct record *record_new(int value)
{
	struct record *r = malloc(sizeof *r);
	if (r == NULL)
		return NULL;
	if (pthread_mutex_init(&r->lock, NULL) != 0) {
		free(r);
		return NULL;
	}
	r->value = value;
	r->version = 0;
	return r;
}

void record_free(struct record *r)
{
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void record_read(struct record *r, int *value, unsigned *version)
{
	pthread_mutex_lock(&r->lock);
	*value = r->value;
	*version = r->version;
	pthread_mutex_unlock(&r->lock);
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	for (;;) {
		int old;
		unsigned seen;
		record_read(r, &old, &seen);

		int next = change(old, ctx);	/* no lock held */

		pthread_mutex_lock(&r->lock);
		if (r->version == seen) {	/* nobody got in first: commit */
			r->value = next;
			r->version = seen + 1;
			pthread_mutex_unlock(&r->lock);
			return;
		}
		pthread_mutex_unlock(&r->lock);
	}
}
