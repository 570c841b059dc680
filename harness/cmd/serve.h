/* serve.h: what racelab serve builds in: the room's page (racelab serve itself is declared in cli.h). */
#ifndef SERVE_H
#define SERVE_H

/* harness/cmd/room.html, whole and NUL-terminated (serve_page.c). */
extern const char serve_page_html[];

#endif
