/* log.h: the service's logger (the lab provides it). */
#ifndef LOG_H
#define LOG_H

/* Write one printf-style line to stderr. Not async-signal-safe: it allocates. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
