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
/*
 * BUILD_SCHED: the tests under the controlled scheduler (harness/runtime/rl_sched*): the learner's
 * file by clang with TSan's instrumentation calls (served by the scheduler, not by TSan's runtime),
 * the rest plain, every call of harness/runtime/rl_sched.wrap wrapped at the link.
 */
enum build_variant { BUILD_PLAIN, BUILD_STRESS, BUILD_TSAN, BUILD_SYNTAX_CLANG, BUILD_TSAN_OBJECTS, BUILD_SCHED };

/*
 * Build variant v into dir (which holds the learner's copy of lab->edit) as
 * dir/<variant name>. 0 on success. Only the learner's file is compiled, once
 * per check and compiler (plain and stress share gcc's object); the lab's other
 * files, Check's main and the runtime come from the object cache (objcache.h)
 * and are linked to it. Errors in the learner's file, then any
 * others, go to f (kind "compile"); warnings in the learner's file to warnings.
 * cancel as in run_spec: the compiler is stopped when *cancel turns nonzero.
 */
int build_variant(const struct lab *lab, const char *dir, enum build_variant v, const struct src_ctx *src,
		  struct findings *f, struct u_buf *warnings, const int *cancel);

/*
 * The build gate's compiles, two at once: the plain variant with gcc, and the
 * learner's file with clang (BUILD_SYNTAX_CLANG: where the lab has a tsan gate,
 * compiled with TSan into the object the tsan build then links, else only
 * checked). 0 when both pass; BUILD_GCC_FAILED with gcc's errors in f; or
 * BUILD_CLANG_FAILED with clang's (gcc passed). Warnings in the learner's file,
 * gcc's then clang's, go to warnings.
 */
enum { BUILD_GCC_FAILED = -1, BUILD_CLANG_FAILED = -2 };
int build_gate_compiles(const struct lab *lab, const char *dir, const struct src_ctx *src, struct findings *f,
			struct u_buf *warnings, const int *cancel);

/* The learner's object for v: dir/EDIT.gcc.o (plain and stress share it), dir/EDIT.tsan.o or dir/EDIT.sched.o. */
char *build_learner_obj(const struct lab *lab, const char *dir, enum build_variant v);

/* dir/<variant name>: plain, stress, tsan, schedules. */
char *build_binary(const char *dir, enum build_variant v);

#endif
