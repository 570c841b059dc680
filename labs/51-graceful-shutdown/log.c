/* log.c: the service's logger: formats a line into a fresh buffer and prints it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

void log_msg(const char *fmt, ...)
{
	char *line;
	va_list ap;

	va_start(ap, fmt);
	int n = vasprintf(&line, fmt, ap);  /* calls malloc */
	va_end(ap);
	if (n < 0)
		return;
	fprintf(stderr, "%s\n", line);
	free(line);
}
