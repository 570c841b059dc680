/* rl_sched.h: the controlled scheduler's parts, as they see each other (not a lab's header). */
#ifndef RL_SCHED_H
#define RL_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>
#include <time.h>

/*
 * The schedules build of a kata's tests runs its threads one at a time. Every
 * pthread call the katas use (linked with -Wl,--wrap, rl_sched_sync.c) and every
 * load and store of the learner's file (its object compiled with clang's TSan
 * instrumentation, served by rl_sched_mem.c instead of TSan's runtime) is a
 * scheduling point: the running thread hands a baton to the thread the search
 * strategy (rl_sched_search.c) picks. The runtime models what blocks (a mutex's
 * owner, a condition variable's waiters, a barrier's count), so a thread never
 * blocks for real, and a state where nobody can run is seen at once and named.
 */

enum { SCHED_MAX_THREADS = 256, SCHED_MAX_OBJS = 512 };

enum sched_state { TS_FREE, TS_RUNNABLE, TS_BLOCKED, TS_DONE };

/* What a blocked thread waits for. */
enum sched_wait { W_NONE, W_MUTEX, W_COND, W_BARRIER, W_SEM, W_JOIN, W_RDLOCK, W_WRLOCK, W_SLEEP, W_ONCE };

/* The kinds of step a trace records. */
enum sched_ev {
	EV_READ, EV_WRITE, EV_ATOMIC_LOAD, EV_ATOMIC_STORE, EV_ATOMIC_RMW, EV_ATOMIC_CAS,
	EV_CREATE, EV_START, EV_EXIT, EV_JOIN,
	EV_LOCK, EV_TRYLOCK_FAIL, EV_UNLOCK, EV_BLOCK,
	EV_WAIT, EV_WOKEN, EV_SPURIOUS, EV_TIMEOUT, EV_SIGNAL, EV_BROADCAST,
	EV_BARRIER, EV_SEM_WAIT, EV_SEM_POST, EV_RDLOCK, EV_WRLOCK, EV_RWUNLOCK, EV_ONCE, EV_SLEEP, EV_YIELD,
	EV_COUNT
};

struct sched_thread {
	int id;                  /* T0 is the test's own thread; then in creation order */
	enum sched_state state;
	enum sched_wait wait;
	void *obj;               /* what it waits for */
	void *mutex;             /* a condvar waiter's mutex, taken back once woken */
	int timed;               /* its wait may time out (a deadline is set) */
	int64_t deadline;        /* virtual ns */
	int timed_out, spurious, signalled;
	int reacquire;           /* a condvar waiter woken, taking its mutex back (it cannot time out now) */
	unsigned gen;            /* barrier generation it arrived in */
	int joined_by;           /* who joins it, -1 none */
	volatile int go;         /* the baton: 1 when this thread may run (a futex word) */
	volatile int started;    /* the real thread has registered (a futex word) */
	pid_t tid;
	pthread_t self;
	char *stack_lo, *stack_hi;
	void *(*fn)(void *);
	void *arg, *ret;
	int prio;                /* PCT: higher runs first */
	long run_len;            /* steps in a row by this thread */
	long wait_seq;           /* order of arrival on a condvar */
	long blocks;             /* times it blocked: what rl_thread_sleeps counts here */
	int joined;              /* its pthread_t may now name a newer thread */
	int pending;             /* index of a write step whose value is read at the next step, -1 none */
	unsigned long spin_since; /* rl_sched.changes when its yields in a row began */
	long spins;              /* sched_yield calls since then, with nothing changed */
};

/* A modelled synchronisation object, found by its address. */
struct sched_obj {
	void *addr;
	int kind;                /* W_MUTEX, W_COND, W_BARRIER, W_SEM, W_RDLOCK (rwlock), W_ONCE */
	int owner;               /* mutex: owning thread id, -1 free; rwlock: writer or -1 */
	int count;               /* recursive depth, semaphore value, barrier arrivals, rwlock readers */
	int target;              /* barrier: its count */
	unsigned gen;            /* barrier generation */
	int type;                /* mutex type (PTHREAD_MUTEX_NORMAL ...) */
	int once;                /* 0 never, 1 running, 2 done */
};

/* The scheduler's whole state: one per process, and every thread sees it under the baton. */
struct sched {
	int active;              /* the process runs under the scheduler */
	int off;                 /* the run in place is failing: Check's own locks are real again */
	int nthreads;
	struct sched_thread t[SCHED_MAX_THREADS];
	struct sched_obj objs[SCHED_MAX_OBJS];
	int nobjs;
	struct sched_thread *cur;
	int64_t now;             /* virtual time, ns since the schedule began */
	int64_t clock_base;      /* what clock_gettime said when the scheduler started */
	long steps, step_limit;
	long quiet;              /* steps since the learner's code last wrote memory (rl_sched_mem.c) */
	long quiet_yields;       /* sched_yield calls since then */
	unsigned long changes;   /* steps that changed what threads can see: a write, a sync call but a failed trylock */
	int spurious_left;       /* spurious wakeups this schedule may still choose */
	long wait_seq;
};

extern struct sched rl_sched;

/* rl_sched.c: threads and the baton. */
struct sched_thread *sched_self(void);            /* the calling thread's record (T0 made on first use) */
void sched_point(void);                            /* a scheduling point: maybe another thread runs now */
int sched_block(enum sched_wait w, void *obj);     /* wait until enabled; 0, or ETIMEDOUT once chosen to */
int sched_enabled(const struct sched_thread *t);
struct sched_thread *sched_new_thread(void);
void sched_thread_done(struct sched_thread *t, void *ret);
void sched_thread_wait_turn(struct sched_thread *t);
struct sched_obj *sched_obj(void *addr, int kind);
int64_t sched_clock_base(void);                    /* CLOCK_REALTIME when the scheduler first looked */
void sched_thread_register(struct sched_thread *t); /* a new thread, first thing: then it waits its turn */
void sched_wait_started(struct sched_thread *t);  /* its creator waits until it has registered */
void sched_obj_forget(void *addr);
void sched_cond_wake(struct sched_thread *t);      /* a condvar waiter turns to taking its mutex back */
int64_t sched_deadline(const struct timespec *abs);
/* The schedule cannot go on: every thread is blocked (a deadlock, a lost wakeup, a barrier short). */
void sched_stuck(void) __attribute__((noreturn));
/* Ends the schedule as a livelock when the n threads that can run all spin (rl_sched_stuck.c); else returns. */
void sched_spinning(struct sched_thread **en, int n);

/* rl_sched_search.c: the strategy, one choice per scheduling point. */
void search_start(uint64_t seed);
/* The thread to run next among the n enabled ones (ids ascending), given who runs now. */
struct sched_thread *search_pick(struct sched_thread **enabled, int n, struct sched_thread *cur);
int search_coin(unsigned one_in);                  /* true one time in one_in, from the seed */
unsigned search_below(unsigned n);
void search_new_thread(struct sched_thread *t);
void search_yielded(struct sched_thread *t);       /* a yield or a sleep: PCT lowers the thread */
uint64_t search_seed_make(uint64_t r, unsigned mode, unsigned long k);
const char *search_mode_name(uint64_t seed);

/* rl_sched_trace.c: the steps of the schedule that is recorded. */
int trace_on(void);
int trace_add(enum sched_ev ev, int tid, const void *obj, const void *pc, long long value, int size);
void trace_set_value(int step, long long value);
void trace_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void trace_flush(void);
void trace_open(const char *path);
void trace_read_value(struct sched_thread *t);     /* fill in the value of t's last write */
void trace_obj_name(const void *addr, char *buf, size_t n); /* {s:OFF}, {h:N}, {k:T} or - */

/* rl_sched_check.c */
void check_catch_crashes(void);                   /* the run in place writes its trace before it dies */

/* rl_sched_explore.c: the search over schedules, its verdicts and budget. */
int explore_in_child(void);                        /* a schedule run in a child of the explorer */
void explore_begin(void);                          /* at the first thread: explore, then run one schedule here */
/* The schedule failed: kind is deadlock, lost-wakeup, barrier, ... and why says it in the learner's words. */
void explore_fail(const char *kind, const char *why) __attribute__((noreturn));
void explore_too_long(void) __attribute__((noreturn));

#endif
