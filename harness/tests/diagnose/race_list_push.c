/* expect: race -- two threads push onto one linked list with no lock: head is read and written by both */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
	int value;
	struct node *next;
};

static struct node *head;

static void *pusher(void *arg)
{
	int base = (int)(long)arg;
	for (int i = 0; i < 1000; i++) {
		struct node *n = malloc(sizeof *n);
		n->value = base + i;
		n->next = head;   /* another pusher may change head between this read ... */
		head = n;         /* ... and this write: its node is lost */
	}
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, pusher, (void *)0L);
	pthread_create(&b, NULL, pusher, (void *)1000L);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	int count = 0;
	while (head) {
		struct node *n = head;
		head = n->next;
		free(n);
		count++;
	}
	printf("%d nodes (expected 2000)\n", count);
	return 0;
}
