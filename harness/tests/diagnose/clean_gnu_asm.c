/* expect: none -- GNU C: a file-scope asm() and typeof, as gcc and clang accept by default; the threads add under a mutex */
#include <pthread.h>
#include <stdio.h>

/* A marker symbol in its own section, made by a file-scope asm statement (GNU C, not ISO C). */
asm(".pushsection .rodata.racelab_marker,\"a\"\n"
    ".globl racelab_marker\n"
    "racelab_marker: .asciz \"diagnose\"\n"
    ".popsection");

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long total;

#define ADD_LOCKED(var, n) do { typeof(var) add_ = (n); pthread_mutex_lock(&m); (var) += add_; pthread_mutex_unlock(&m); } while (0)

static void *work(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++)
		ADD_LOCKED(total, 2);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, work, NULL);
	pthread_create(&b, NULL, work, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("total %ld\n", total);
	return 0;
}
