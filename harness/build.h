/* build.h: compile a lab's variants (plain, stress, tsan) from the learner's file. */
#ifndef BUILD_H
#define BUILD_H

#include "lab.h"
#include "source.h"

/*
 * BUILD_TSAN_OBJECTS: each of the lab's source files compiled alone (-c) by clang with TSan's
 * instrumentation at -O0, an object per file in dir, for access.c to read which accesses of
 * which line are atomic; nothing is linked, so it needs no TSan runtime.
 */
enum build_variant { BUILD_PLAIN, BUILD_STRESS, BUILD_TSAN, BUILD_SYNTAX_CLANG, BUILD_TSAN_OBJECTS };

/*
 * Build variant v into dir (which holds the learner's copy of lab->edit) as
 * dir/<variant name>. 0 on success. Errors in the learner's file, then any
 * others, go to f (kind "compile"); warnings in the learner's file to warnings.
 * cancel as in run_spec: the compiler is stopped when *cancel turns nonzero.
 */
int build_variant(const struct lab *lab, const char *dir, enum build_variant v, const struct src_ctx *src,
		  struct findings *f, struct u_buf *warnings, const int *cancel);

/* dir/<variant name>: plain, stress, tsan. */
char *build_binary(const char *dir, enum build_variant v);

#endif
