/* shim_once.c: C11 call_once as pthread_once under ThreadSanitizer, linked into the tsan build with --wrap=call_once. */
#include <pthread.h>
#include <stddef.h>
#include <threads.h>

/*
 * clang 14's ThreadSanitizer does not intercept glibc's call_once (glibc calls its own
 * __pthread_once inside, out of TSan's sight), so it never learns that the initialiser's writes
 * happen before every later return of call_once, and reports a data race on correct code
 * (docs/tools.md). pthread_once it does intercept. glibc implements call_once as pthread_once on
 * the flag's one member, so calling pthread_once on it here is exactly what glibc does, in view.
 */
_Static_assert(sizeof(once_flag) == sizeof(pthread_once_t) && _Alignof(once_flag) == _Alignof(pthread_once_t),
	       "glibc's once_flag has pthread_once_t's layout");
_Static_assert(offsetof(once_flag, __data) == 0, "once_flag is its one member");
_Static_assert(_Generic(((once_flag *)0)->__data, pthread_once_t: 1, default: 0),
	       "once_flag's member is a pthread_once_t");

void __wrap_call_once(once_flag *flag, void (*func)(void));

void __wrap_call_once(once_flag *flag, void (*func)(void))
{
	pthread_once(&flag->__data, func);
}
