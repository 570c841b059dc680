/* room.c: the workshop room: each learner's checks per kata, in memory and in an append-only file. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "result.h"
#include "room.h"

/* One learner's state on one kata, from every check they posted of it. */
struct room_kata {
	int checks;                       /* 0: never checked */
	double score;                     /* of the last check */
	int max_score;
	const char *status;               /* passed, failed or error: the last check's */
	unsigned failing;                 /* the last check's failed gates, a bit per gate */
	time_t last;                      /* when the last check came in */
	int streak;                       /* failed checks since the last pass */
	time_t fails[ROOM_STUCK_CHECKS];  /* when the last failed checks came, a ring indexed by streak */
};

struct room_learner {
	char *name;
	struct room_kata *katas;          /* one per lab, in the order of room.labs */
};

struct room {
	pthread_mutex_t lock;             /* guards everything below: posts and reads come from many threads */
	char *path;
	int fd;                           /* the file, opened for appending */
	off_t size;                       /* its length: what a failed write is cut back to */
	struct u_list labs;
	struct room_learner *v;           /* sorted by name */
	int n;
	int *lab_checks;                  /* per lab: checks posted */
	int (*gate_fails)[GATE_COUNT];       /* per lab and gate: checks in which that gate failed */
};

/* One check, as a post or a line of the file gives it. */
struct room_check {
	const char *name;                 /* owned by the JSON document it was read from */
	int lab;
	double score;
	int max_score;
	int ngates;
	int gate[GATE_COUNT];
	enum result_status status[GATE_COUNT];
};

const char *room_name_problem(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || name[0] == ' ' || name[len - 1] == ' ')
		return "the name is empty or has blanks at either end";
	if (len > ROOM_NAME_MAX)
		return "the name is longer than 64 bytes";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		/* C0 controls, DEL, and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F). */
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return "the name has control characters";
		if (*p == '<' || *p == '>' || *p == '&')
			return "the name has HTML in it (<, > or &)";
	}
	return NULL;
}

static int room_lab_index(const struct room *r, const char *id)
{
	for (int i = 0; i < r->labs.n; i++)
		if (strcmp(r->labs.v[i], id) == 0)
			return i;
	return -1;
}

/* Read a check out of doc; 0, or -1 with why set. Nothing in doc but these fields is ever used. */
static int room_parse(const struct room *r, json_t *doc, struct room_check *c, char *why, size_t whylen)
{
	json_t *gates = json_object_get(doc, "gates"), *v;
	const char *lab = json_string_value(json_object_get(doc, "lab"));
	json_t *score = json_object_get(doc, "score"), *max = json_object_get(doc, "max_score");
	memset(c, 0, sizeof *c);
	c->name = json_string_value(json_object_get(doc, "name"));
	const char *problem = !json_is_object(doc) ? "the body is not a JSON object"
		: !c->name ? "no \"name\" string"
		: room_name_problem(c->name);
	if (!problem && (!lab || (c->lab = room_lab_index(r, lab)) < 0))
		problem = "no \"lab\" that names a kata of this racelab";
	if (!problem && (!json_is_integer(max) || json_integer_value(max) < 1 || json_integer_value(max) > 10000))
		problem = "no \"max_score\" between 1 and 10000";
	if (!problem && (!json_is_number(score) || !isfinite(json_number_value(score)) ||
			 json_number_value(score) < 0 || json_number_value(score) > json_integer_value(max)))
		problem = "no \"score\" between 0 and max_score";
	if (!problem && (!json_is_array(gates) || json_array_size(gates) < 1 || json_array_size(gates) > GATE_COUNT))
		problem = "no \"gates\" array of 1 to 9 gates";
	size_t i;
	json_array_foreach(problem ? NULL : gates, i, v) {
		const char *gname = json_string_value(json_object_get(v, "name"));
		const char *st = json_string_value(json_object_get(v, "status"));
		int g = gname ? gate_from_name(gname) : -1, s = -1;
		for (int k = 0; st && k < (int)NELEM(status_names); k++)
			if (strcmp(status_names[k], st) == 0)
				s = k;
		for (int k = 0; k < c->ngates && g >= 0; k++)
			if (c->gate[k] == g)
				g = -1; /* a gate twice */
		if (g < 0 || s < 0) {
			problem = "a gate without a known, unique \"name\" and a \"status\" of pass, fail, error or skip";
			break;
		}
		c->gate[c->ngates] = g;
		c->status[c->ngates++] = (enum result_status)s;
	}
	if (problem) {
		snprintf(why, whylen, "%s", problem);
		return -1;
	}
	c->score = json_number_value(score);
	c->max_score = (int)json_integer_value(max);
	return 0;
}

/* The learner of that name; if new and add is set, added in name order. NULL: not there, or the room is full. */
static struct room_learner *room_learner(struct room *r, const char *name, int add)
{
	int lo = 0, hi = r->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2, cmp = strcmp(r->v[mid].name, name);
		if (cmp == 0)
			return &r->v[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!add || r->n >= ROOM_MAX_LEARNERS)
		return NULL;
	r->v = u_xrealloc(r->v, sizeof *r->v * (size_t)(r->n + 1));
	memmove(&r->v[lo + 1], &r->v[lo], sizeof *r->v * (size_t)(r->n - lo));
	r->v[lo] = (struct room_learner){ u_xstrdup(name), u_xcalloc((size_t)r->labs.n, sizeof(struct room_kata)) };
	r->n++;
	return &r->v[lo];
}

/* Count one check in: its learner's kata, and the kata's tally of failed gates. */
static void room_apply(struct room *r, struct room_learner *l, const struct room_check *c, time_t at)
{
	struct room_kata *k = &l->katas[c->lab];
	int failed = 0, error = 0;
	k->failing = 0;
	for (int i = 0; i < c->ngates; i++) {
		/* A gate skipped (the build failed) earns nothing: it counts as failed, as in the gradebook. */
		if (c->status[i] == RESULT_FAIL || c->status[i] == RESULT_SKIP) {
			k->failing |= 1u << c->gate[i];
			r->gate_fails[c->lab][c->gate[i]]++;
			failed = 1;
		}
		error |= c->status[i] == RESULT_ERROR;
	}
	k->status = failed ? "failed" : error ? "error" : "passed";
	k->checks++;
	k->score = c->score;
	k->max_score = c->max_score;
	k->last = at;
	if (failed)
		k->fails[k->streak++ % ROOM_STUCK_CHECKS] = at;
	else if (!error) /* a check no tool could finish says nothing either way */
		k->streak = 0;
	r->lab_checks[c->lab]++;
}

static int room_stuck(const struct room_kata *k)
{
	/* Once the ring is full, the slot the next failure takes holds the oldest of the last three. */
	return k->streak >= ROOM_STUCK_CHECKS && k->fails[(k->streak - 1) % ROOM_STUCK_CHECKS] -
		k->fails[k->streak % ROOM_STUCK_CHECKS] <= ROOM_STUCK_SECONDS;
}

/* One line of the file back into the room; -1 if it is not a valid record. */
static int room_replay(struct room *r, const char *line, size_t len)
{
	char why[160];
	struct room_check c;
	json_t *doc = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *at = json_object_get(doc, "at");
	struct room_learner *l = NULL;
	int ok = doc && json_is_integer(at) && room_parse(r, doc, &c, why, sizeof why) == 0 &&
		 (l = room_learner(r, c.name, 1)) != NULL;
	if (ok)
		room_apply(r, l, &c, (time_t)json_integer_value(at));
	json_decref(doc);
	return ok ? 0 : -1;
}

static int room_load(struct room *r, int *skipped)
{
	size_t len = 0;
	char *text = u_slurp(r->path, &len);
	*skipped = 0;
	for (size_t at = 0; text && at < len;) {
		char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end > at && room_replay(r, text + at, end - at) != 0)
			++*skipped;
		at = end + 1;
	}
	/* A line cut short by a crash: end it, so the next record starts a line of its own. */
	int torn = text && len > 0 && text[len - 1] != '\n';
	free(text);
	r->size = (off_t)len;
	if (torn && write(r->fd, "\n", 1) != 1)
		return -1;
	r->size += torn;
	return 0;
}

struct room *room_open(const char *dir, const struct u_list *labs, int *skipped, char *err, size_t errlen)
{
	if (u_mkdirs(dir) != 0) {
		snprintf(err, errlen, "cannot make the folder %s: %s", dir, strerror(errno));
		return NULL;
	}
	struct room *r = u_xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	r->path = u_fmt("%s/results.jsonl", dir);
	for (int i = 0; i < labs->n; i++)
		u_list_add(&r->labs, u_xstrdup(labs->v[i]));
	r->lab_checks = u_xcalloc((size_t)labs->n + 1, sizeof *r->lab_checks);
	r->gate_fails = u_xcalloc((size_t)labs->n + 1, sizeof *r->gate_fails);
	r->fd = open(r->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (r->fd < 0 || room_load(r, skipped) != 0) {
		snprintf(err, errlen, "cannot open %s for appending: %s", r->path, strerror(errno));
		room_close(r);
		return NULL;
	}
	return r;
}

void room_close(struct room *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	for (int i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].katas);
	}
	free(r->v);
	free(r->lab_checks);
	free(r->gate_fails);
	u_list_free(&r->labs);
	free(r->path);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

const char *room_path(const struct room *r)
{
	return r->path;
}

int room_learners(struct room *r)
{
	pthread_mutex_lock(&r->lock);
	int n = r->n;
	pthread_mutex_unlock(&r->lock);
	return n;
}

/* The record the file keeps: what the room uses of the check and when it came, nothing else. */
static char *room_record(const struct room *r, const struct room_check *c, time_t now)
{
	json_t *gates = json_array();
	for (int i = 0; i < c->ngates; i++)
		json_array_append_new(gates, json_pack("{s:s, s:s}", "name", gate_names[c->gate[i]],
						       "status", status_names[c->status[i]]));
	json_t *rec = json_pack("{s:I, s:s, s:s, s:f, s:i, s:o}", "at", (json_int_t)now, "name", c->name,
				"lab", r->labs.v[c->lab], "score", c->score, "max_score", c->max_score, "gates", gates);
	char *line = rec ? json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(rec);
	return line;
}

/* Append one line whole, or cut the file back to where it was: a refused post leaves it as it was. */
static int room_append(struct room *r, const char *line)
{
	struct u_buf b = { 0 };
	u_buf_add(&b, line);
	u_buf_add(&b, "\n");
	ssize_t w = write(r->fd, b.s, b.len);
	int ok = w == (ssize_t)b.len;
	if (!ok && w > 0 && ftruncate(r->fd, r->size) != 0)
		ok = 0;
	if (ok)
		r->size += (off_t)b.len;
	free(b.s);
	return ok ? 0 : -1;
}

int room_post(struct room *r, const char *body, size_t len, time_t now, char *why, size_t whylen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		snprintf(why, whylen, "the body is not JSON: %s (line %d)", jerr.text, jerr.line);
		return 400;
	}
	struct room_check c;
	int code = 0;
	if (room_parse(r, doc, &c, why, whylen) != 0) {
		code = 422;
	} else {
		char *line = room_record(r, &c, now);
		pthread_mutex_lock(&r->lock);
		struct room_learner *l = room_learner(r, c.name, 0);
		if (!l && r->n >= ROOM_MAX_LEARNERS) {
			snprintf(why, whylen, "the room is full (%d learners)", ROOM_MAX_LEARNERS);
			code = 507;
		} else if (!line || room_append(r, line) != 0) {
			snprintf(why, whylen, "cannot write %s: %s", r->path, strerror(errno));
			code = 507;
		} else {
			room_apply(r, l ? l : room_learner(r, c.name, 1), &c, now);
		}
		pthread_mutex_unlock(&r->lock);
		free(line);
	}
	json_decref(doc);
	return code;
}

static json_t *room_gate_list(unsigned bits)
{
	json_t *a = json_array();
	for (int g = 0; g < GATE_COUNT; g++)
		if (bits & (1u << g))
			json_array_append_new(a, json_string(gate_names[g]));
	return a;
}

static json_t *room_time(time_t t)
{
	struct tm tm;
	char s[32];
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(s);
}

static json_t *room_learner_json(const struct room *r, const struct room_learner *l)
{
	json_t *katas = json_object(), *stuck = json_array();
	for (int i = 0; i < r->labs.n; i++) {
		const struct room_kata *k = &l->katas[i];
		if (!k->checks)
			continue;
		json_object_set_new(katas, r->labs.v[i], json_pack("{s:s, s:f, s:i, s:o, s:i, s:o, s:b}",
			"status", k->status, "score", k->score, "max_score", k->max_score,
			"failing_gates", room_gate_list(k->failing), "checks", k->checks,
			"last_check", room_time(k->last), "stuck", room_stuck(k)));
		if (room_stuck(k))
			json_array_append_new(stuck, json_string(r->labs.v[i]));
	}
	return json_pack("{s:s, s:o, s:o}", "name", l->name, "stuck", stuck, "katas", katas);
}

/* The kata's column head: how many checked it and passed it, and the gate that fails most (ties: the earlier gate). */
static json_t *room_kata_json(const struct room *r, int lab)
{
	int best = -1, passed = 0, learners = 0;
	for (int g = 0; g < GATE_COUNT; g++)
		if (r->gate_fails[lab][g] > 0 && (best < 0 || r->gate_fails[lab][g] > r->gate_fails[lab][best]))
			best = g;
	for (int i = 0; i < r->n; i++) {
		learners += r->v[i].katas[lab].checks > 0;
		passed += r->v[i].katas[lab].checks > 0 && strcmp(r->v[i].katas[lab].status, "passed") == 0;
	}
	return json_pack("{s:s, s:i, s:i, s:i, s:o, s:i}", "id", r->labs.v[lab], "checks", r->lab_checks[lab],
			 "learners", learners, "passed", passed,
			 "most_failing_gate", best < 0 ? json_null() : json_string(gate_names[best]),
			 "most_failing_count", best < 0 ? 0 : r->gate_fails[lab][best]);
}

json_t *room_json(struct room *r)
{
	json_t *learners = json_array(), *katas = json_array();
	pthread_mutex_lock(&r->lock);
	for (int i = 0; i < r->n; i++)
		json_array_append_new(learners, room_learner_json(r, &r->v[i]));
	for (int lab = 0; lab < r->labs.n; lab++)
		if (r->lab_checks[lab] > 0)
			json_array_append_new(katas, room_kata_json(r, lab));
	pthread_mutex_unlock(&r->lock);
	return json_pack("{s:o, s:o, s:{s:i, s:i}}", "learners", learners, "katas", katas,
			 "stuck_rule", "failed_checks", ROOM_STUCK_CHECKS, "within_seconds", ROOM_STUCK_SECONDS);
}
