/* probe.h: whether a detector works on this machine at all, apart from any learner's code. */
#ifndef PROBE_H
#define PROBE_H

#include "result.h"

/*
 * 1 when the gate's tool runs a trivial program to the end here (TSan: a
 * clang -fsanitize=thread build of an empty main; Valgrind's tools: /bin/true),
 * else 0. Asked once per tool and remembered; safe from several gate threads.
 * A tool that works is remembered across checks too, in the cache folder
 * (store.h), for as long as this boot, this kernel and the tool's installed
 * files stay the same.
 * Gates without a detector of their own (build, tests, stress, cpu) answer 0.
 */
int probe_tool_works(enum gate_id id);

#endif
