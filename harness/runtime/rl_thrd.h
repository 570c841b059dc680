/* rl_thrd.h: a pthread error number as C11 <threads.h> reports it (glibc's thrd_err_map), for the runtime's shims. */
#ifndef RL_THRD_H
#define RL_THRD_H

#include <errno.h>
#include <threads.h>

static inline int rl_thrd_from_errno(int err)
{
	switch (err) {
	case 0: return thrd_success;
	case ETIMEDOUT: return thrd_timedout;
	case EBUSY: return thrd_busy;
	case ENOMEM: return thrd_nomem;
	default: return thrd_error;
	}
}

#endif
