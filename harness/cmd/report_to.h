/* report_to.h: racelab check --report-to: the check's result posted to the instructor's room (libcurl). */
#ifndef REPORT_TO_H
#define REPORT_TO_H

#include <jansson.h>

#include "cli.h"

/* Where a learner reports: from --report-to, --name and --token, else from STATE/room.ini. */
struct report_to {
	char *url, *name, *token;
};

/*
 * The room the options name, or else the one STATE/room.ini names ([room] url, name, token):
 * 1 with rt filled, 0 when neither names one, -1 (said on stderr) when only some are given.
 */
int report_to_settings(const struct cli_opts *o, struct report_to *rt);
void report_to_free(struct report_to *rt);

/*
 * What is posted: racelab's JSON result (format/json.c) cut down to the lab, its title, the
 * score and each gate's name, status, points and kinds, with "name" added. Never code, a
 * file's content, a test's message or a tool's report: those are dropped, not filtered.
 */
json_t *report_to_body(const struct result *r, const char *name);

/* POST the body to URL/api/results with the token; 0 when the room took it, else -1 with why set. */
int report_to_post(const struct report_to *rt, json_t *body, char *why, size_t whylen);

/* After a check: post r where the learner asked, and say in one line how it went (a failure never fails the check). */
void report_to_check(const struct cli_opts *o, const struct result *r);

#endif
