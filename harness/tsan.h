/* tsan.h: read ThreadSanitizer's reports from the files its log_path names. */
#ifndef TSAN_H
#define TSAN_H

#include "source.h"

/* The TSAN_OPTIONS every run uses; reports go to LOGPREFIX.<pid>. */
char *tsan_options(const char *logprefix);

/* Read every LOGPREFIX.* file into f. */
void tsan_read(const char *logprefix, const struct src_ctx *src, struct findings *f);

/*
 * The runtime's own file named by a "CHECK failed: FILE:LINE" in any LOGPREFIX.* log (TSan
 * failed, as sanitizer_deadlock_detector.h does past 64 mutexes held at once), or NULL.
 */
char *tsan_check_failed(const char *logprefix);

/* One log's text (for tests on recorded logs). */
void tsan_parse(const char *text, const struct src_ctx *src, struct findings *f);

#endif
