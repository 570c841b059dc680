/* serve_page.c: the room's page, harness/cmd/room.html, built into racelab: serve needs no file at run time. */
#include "serve.h"

/* The assembler reads the file from make's folder, the project's top (the Makefile makes this object depend on it). */
__asm__(".section .rodata\n"
	".global serve_page_html\n"
	".type serve_page_html, @object\n"
	"serve_page_html:\n"
	".incbin \"harness/cmd/room.html\"\n"
	".byte 0\n"
	".size serve_page_html, . - serve_page_html\n"
	".previous\n");
