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
 *
 * An inbox never forgets a key it has taken, and never takes one it cannot
 * remember: when the key is new but the inbox already holds INBOX_MAX keys (or
 * is out of memory), it returns -1 without running the effect. A key taken and
 * then forgotten would take effect again on its next delivery; so on -1 the
 * caller must not acknowledge the message (it comes back later, or goes to a
 * dead-letter queue).
 */
int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx);

#endif
