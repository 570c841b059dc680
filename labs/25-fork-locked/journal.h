/* journal.h: the service's journal, shared by all its threads (part of the lab; not edited). */
#ifndef JOURNAL_H
#define JOURNAL_H

/* From now on, journal lines go to file descriptor fd (a log file, a pipe). */
void journal_open(int fd);

/* The descriptor journal_open was given (for code that must write without the journal's lock). */
int journal_fd(void);

/*
 * Append "[pid] text\n" to the journal. Thread-safe: the journal's lock is
 * held while the line is staged in the journal's buffer and written out, so
 * lines from different threads never mix. If the reader is slow, write()
 * waits, and the lock stays held meanwhile.
 */
void journal_write(const char *text);

/*
 * Hold the journal's lock across several calls, the way flockfile() holds a
 * stdio stream: while a thread holds it, no other thread can be in the middle
 * of journal_write. A thread holding it must not call journal_write itself
 * (the lock is not recursive).
 */
void journal_lock(void);
void journal_unlock(void);

/*
 * The tests' hooks (leave them alone): called right after the journal's lock is
 * taken (journal_write, journal_lock) and right after it is let go, on the
 * thread that did it. NULL: nothing is called. They let a test line threads up
 * where a bug bites, as a busy machine might.
 */
extern void (*journal_on_locked)(void);
extern void (*journal_on_unlocked)(void);

#endif
