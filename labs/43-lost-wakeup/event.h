/* event.h: a one-shot event that threads wait for, like "the config is loaded" (do not edit). */
#ifndef EVENT_H
#define EVENT_H

struct event;

struct event *event_new(void);
void event_free(struct event *e);

/* Mark the event as happened: wake every thread waiting for it. */
void event_set(struct event *e);

/*
 * Return once the event has been set: sleep until then if it has not, and
 * return at once if it already has, however long ago (and as many times as it
 * is called). What the setter wrote before event_set is visible once it returns.
 */
void event_wait(struct event *e);

#endif
