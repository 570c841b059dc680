/* expect: crash -- a worker takes a job from an empty queue and dereferences the NULL it got (SIGSEGV) */
#include <pthread.h>
#include <stdio.h>

struct job {
	int id;
	struct job *next;
};

static struct job *queue;   /* empty: nobody ever submits a job */
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	struct job *j = queue;   /* no check for an empty queue */
	queue = j->next;
	pthread_mutex_unlock(&m);
	printf("job %d\n", j->id);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
