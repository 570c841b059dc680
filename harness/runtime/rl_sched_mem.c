/* rl_sched_mem.c: the loads, stores and atomics of the learner's file as scheduling points (clang's TSan calls, our runtime). */
#include <stdint.h>
#include <string.h>

#include "rl_sched.h"

/*
 * The learner's file alone is compiled with clang -fsanitize=thread
 * -mllvm -tsan-instrument-read-before-write=1 -mllvm -tsan-instrument-func-entry-exit=0,
 * and linked with these definitions instead of TSan's runtime. Why TSan's calls and not
 * -fsanitize-coverage=trace-loads,trace-stores: coverage calls nothing for an atomic
 * read-modify-write (atomic_fetch_add, a compare-and-swap), and the atomics track is
 * made of those; TSan's instrumentation calls __tsan_atomicN_<op> for every atomic with
 * its memory order, and __tsan_readN/writeN for every plain access. read-before-write=1
 * keeps the load of `c->value++` (clang drops it by default, a store to the same place
 * follows), which is the very load a lost update is made of. Its cost per access is not yet measured.
 *
 * Each access first gives the scheduler a chance to run another thread; then it is
 * recorded with the value it reads (or, for a store, the value found at the thread's next
 * step). The thread's own stack is no scheduling point: nobody else can see it.
 */
#define PC __builtin_return_address(0)

static int mem_shared(struct sched_thread *me, const void *a)
{
	return !((const char *)a >= me->stack_lo && (const char *)a < me->stack_hi);
}

static long long mem_value(const void *a, int size)
{
	switch (size) {
	case 1: return *(const volatile int8_t *)a;
	case 2: return *(const volatile int16_t *)a;
	case 4: return *(const volatile int32_t *)a;
	case 8: return *(const volatile int64_t *)a;
	}
	return 0;
}

/*
 * Count the steps in which nothing was written: when every thread that runs only reads (spins on
 * a flag), nothing can change until time passes, and rl_sched.c lets it (a sleeper's deadline).
 */
static void mem_quiet(int wrote)
{
	if (!rl_sched.active)
		return;
	rl_sched.quiet = wrote ? 0 : rl_sched.quiet + 1;
	if (wrote) {
		rl_sched.quiet_yields = 0;
		rl_sched.changes++;
	}
}

static void mem_access(const void *a, int size, int write, const void *pc)
{
	if (!rl_sched.active)
		return;
	struct sched_thread *me = sched_self();
	if (!mem_shared(me, a))
		return;
	sched_point();
	int step = trace_add(write ? EV_WRITE : EV_READ, me->id, a, pc, write ? 0 : mem_value(a, size), size);
	if (write)
		me->pending = step;
	mem_quiet(write);
}

void __tsan_init(void);
void __tsan_init(void) {}
void __tsan_func_entry(void *pc);
void __tsan_func_entry(void *pc) { (void)pc; }
void __tsan_func_exit(void);
void __tsan_func_exit(void) {}

#define MEM_PLAIN(n) \
	void __tsan_read##n(void *a); void __tsan_read##n(void *a) { mem_access(a, n, 0, PC); } \
	void __tsan_write##n(void *a); void __tsan_write##n(void *a) { mem_access(a, n, 1, PC); } \
	void __tsan_unaligned_read##n(void *a); void __tsan_unaligned_read##n(void *a) { mem_access(a, n, 0, PC); } \
	void __tsan_unaligned_write##n(void *a); void __tsan_unaligned_write##n(void *a) { mem_access(a, n, 1, PC); }
MEM_PLAIN(1)
MEM_PLAIN(2)
MEM_PLAIN(4)
MEM_PLAIN(8)
MEM_PLAIN(16)

void __tsan_read_range(void *a, unsigned long n);
void __tsan_read_range(void *a, unsigned long n) { mem_access(a, (int)(n > 8 ? 0 : n), 0, PC); }
void __tsan_write_range(void *a, unsigned long n);
void __tsan_write_range(void *a, unsigned long n) { mem_access(a, (int)(n > 8 ? 0 : n), 1, PC); }
void __tsan_vptr_update(void **p, void *v);
void __tsan_vptr_update(void **p, void *v) { (void)v; mem_access(p, 8, 1, PC); }
void __tsan_vptr_read(void **p);
void __tsan_vptr_read(void **p) { mem_access(p, 8, 0, PC); }

/* An atomic: a scheduling point, then the operation itself (one thread runs, so nothing comes between). */
static void mem_atomic_point(const volatile void *a, const void *pc)
{
	if (rl_sched.active)
		sched_point();
	(void)a;
	(void)pc;
}

static void mem_atomic_note(enum sched_ev ev, const volatile void *a, long long v, int size, const void *pc)
{
	if (rl_sched.active)
		trace_add(ev, sched_self()->id, (const void *)a, pc, v, size);
}

#define MEM_ATOMIC(n, T) \
	T __tsan_atomic##n##_load(const volatile T *a, int mo); \
	T __tsan_atomic##n##_load(const volatile T *a, int mo) \
	{ mem_atomic_point(a, PC); T v = __atomic_load_n(a, __ATOMIC_SEQ_CST); (void)mo; \
	  mem_atomic_note(EV_ATOMIC_LOAD, a, (long long)v, n / 8, PC); mem_quiet(0); return v; } \
	void __tsan_atomic##n##_store(volatile T *a, T v, int mo); \
	void __tsan_atomic##n##_store(volatile T *a, T v, int mo) \
	{ mem_atomic_point(a, PC); __atomic_store_n(a, v, __ATOMIC_SEQ_CST); (void)mo; \
	  mem_atomic_note(EV_ATOMIC_STORE, a, (long long)v, n / 8, PC); mem_quiet(1); } \
	MEM_RMW(n, T, exchange, __atomic_exchange_n) \
	MEM_RMW(n, T, fetch_add, __atomic_fetch_add) \
	MEM_RMW(n, T, fetch_sub, __atomic_fetch_sub) \
	MEM_RMW(n, T, fetch_and, __atomic_fetch_and) \
	MEM_RMW(n, T, fetch_or, __atomic_fetch_or) \
	MEM_RMW(n, T, fetch_xor, __atomic_fetch_xor) \
	MEM_RMW(n, T, fetch_nand, __atomic_fetch_nand) \
	int __tsan_atomic##n##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo); \
	int __tsan_atomic##n##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo) \
	{ mem_atomic_point(a, PC); (void)mo; (void)fmo; \
	  int ok = __atomic_compare_exchange_n(a, c, v, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	  mem_atomic_note(EV_ATOMIC_CAS, a, ok ? (long long)v : (long long)*c, n / 8, PC); mem_quiet(ok); return ok; } \
	int __tsan_atomic##n##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo); \
	int __tsan_atomic##n##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo) \
	{ return __tsan_atomic##n##_compare_exchange_strong(a, c, v, mo, fmo); } \
	T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo); \
	T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo) \
	{ T old = c; __tsan_atomic##n##_compare_exchange_strong(a, &old, v, mo, fmo); return old; }

#define MEM_RMW(n, T, op, builtin) \
	T __tsan_atomic##n##_##op(volatile T *a, T v, int mo); \
	T __tsan_atomic##n##_##op(volatile T *a, T v, int mo) \
	{ mem_atomic_point(a, PC); (void)mo; T old = builtin(a, v, __ATOMIC_SEQ_CST); \
	  mem_atomic_note(EV_ATOMIC_RMW, a, (long long)__atomic_load_n(a, __ATOMIC_SEQ_CST), n / 8, PC); mem_quiet(1); \
	  return old; }

MEM_ATOMIC(8, int8_t)
MEM_ATOMIC(16, int16_t)
MEM_ATOMIC(32, int32_t)
MEM_ATOMIC(64, int64_t)

void __tsan_atomic_thread_fence(int mo);
void __tsan_atomic_thread_fence(int mo) { (void)mo; __atomic_thread_fence(__ATOMIC_SEQ_CST); }
void __tsan_atomic_signal_fence(int mo);
void __tsan_atomic_signal_fence(int mo) { (void)mo; }
