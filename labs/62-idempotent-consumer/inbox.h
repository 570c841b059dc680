/* inbox.h: an idempotent consumer: however often a message is delivered, it takes effect once. */
#ifndef INBOX_H
#define INBOX_H

#define INBOX_MAX 256	/* distinct keys an inbox remembers */

struct inbox;

struct inbox *inbox_new(void);
void inbox_free(struct inbox *in);

/*
 * Deliver the message with this key. Runs effect(key, ctx) and returns 1,
 * unless an earlier or concurrent delivery of the same key has already taken
 * it: then returns 0 at once, without running the effect and without waiting
 * for the other delivery's effect to finish. Deliveries of any keys may come
 * from many threads at once.
 */
int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx);

#endif
