/* valgrind.h: run a suite under a Valgrind tool and read the XML it writes. */
#ifndef VALGRIND_H
#define VALGRIND_H

#include "source.h"

/* Valgrind's arguments for tool (helgrind, drd, memcheck), XML going to XMLPREFIX.<pid>.xml. */
void vg_args(const char *tool, const char *xmlprefix, struct u_list *args);

/* Read every XMLPREFIX.*.xml file into f: a record per error, seen by tool (helgrind, drd, memcheck). */
void vg_read(const char *xmlprefix, const struct src_ctx *src, const char *tool, struct findings *f);

/* One XML document's text (for tests on recorded output). */
void vg_parse(const char *xml, size_t len, const struct src_ctx *src, const char *tool, struct findings *f);

#endif
