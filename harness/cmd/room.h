/* room.h: the workshop room: each learner's checks per kata, in memory and in an append-only file. */
#ifndef ROOM_H
#define ROOM_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "util.h"

/* A learner is stuck on a kata after ROOM_STUCK_CHECKS failed checks within ROOM_STUCK_SECONDS and no pass since. */
enum { ROOM_STUCK_CHECKS = 3, ROOM_STUCK_SECONDS = 600 };

/* What a post may hold: a longer name, or more learners, is refused. */
enum { ROOM_NAME_MAX = 64, ROOM_MAX_LEARNERS = 2000 };

struct room;

/*
 * The room kept in DIR/results.jsonl (DIR made if need be), every line of it read back:
 * a line that is not a valid record (a write cut short by a crash) is skipped and counted
 * in *skipped. labs: the kata ids a result may name. NULL, with err set, on failure.
 */
struct room *room_open(const char *dir, const struct u_list *labs, int *skipped, char *err, size_t errlen);
void room_close(struct room *r);

/* The file the room appends to. */
const char *room_path(const struct room *r);

/* How many learners the room holds. */
int room_learners(struct room *r);

/*
 * One posted check: {"name": NAME, "lab": ID, "score", "max_score", "gates": [{"name", "status"}]}
 * (the rest of racelab's JSON result is ignored and never kept). Accepted: appended to the
 * file, then counted, at time now; returns 0. Refused: nothing changes, and it returns the
 * HTTP status that says why (400 not JSON, 422 not a result or a bad name, 507 the room is
 * full or its file cannot be written), with the reason in why.
 */
int room_post(struct room *r, const char *body, size_t len, time_t now, char *why, size_t whylen);

/*
 * The room as GET /api/room returns it: {"learners": [{"name", "stuck": [ID...], "katas":
 * {ID: {"status", "score", "max_score", "failing_gates", "checks", "last_check", "stuck"}}}],
 * "katas": [{"id", "checks", "most_failing_gate", "most_failing_count"}], "stuck_rule"}.
 * Learners sorted by name, katas in the catalog's order (only those checked at least once).
 */
json_t *room_json(struct room *r);

/* NULL when name may stand for a learner, else why not (no control characters, no HTML). */
const char *room_name_problem(const char *name);

#endif
