/* mailbox.h: one thread publishes a config once; any thread may read it. */
#ifndef MAILBOX_H
#define MAILBOX_H

struct config {
	long port;
	long max_clients;
	long timeout_ms;
};

struct mailbox;

struct mailbox *mailbox_new(void);	/* empty: nothing published yet */
void mailbox_free(struct mailbox *m);

/* Called once, by one thread: copy *c in and let readers see it. */
void mailbox_publish(struct mailbox *m, const struct config *c);

/*
 * Never blocks. Before the config is published, returns 0. After, copies the
 * whole config into *out and returns 1.
 */
int mailbox_read(struct mailbox *m, struct config *out);

#endif
