/* serve.c: racelab serve: the instructor's live room view, one page and a small JSON API over libmicrohttpd. */
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "room.h"
#include "serve.h"

/* A posted result is a few KiB; anything past this is refused before it is read. */
enum { SERVE_BODY_MAX = 64 * 1024, SERVE_THREADS = 4, SERVE_CONNECTIONS = 512, SERVE_IDLE_S = 30 };

struct serve_ctx {
	struct room *room;
	const char *token;
	struct MHD_Response *page;      /* built once, queued for every GET / */
};

/* What a POST /api/results has sent so far. */
struct serve_post {
	char *body;
	size_t len;
	int too_big;
};

/* Equal strings, in a time that does not tell how much of the token a guess got right. */
static int serve_same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i % (lb ? lb : 1)];
	return diff == 0 && lb > 0;
}

static int serve_authorized(const struct serve_ctx *ctx, struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	return h && strncasecmp(h, "Bearer ", 7) == 0 && serve_same(h + 7, ctx->token);
}

/* Queue a response of text with its type; the response is dropped once sent. */
static enum MHD_Result serve_reply(struct MHD_Connection *c, unsigned code, char *text, const char *type)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	if (code == 401)
		MHD_add_response_header(res, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"racelab room\"");
	if (code == 405)
		MHD_add_response_header(res, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
	enum MHD_Result rc = MHD_queue_response(c, code, res);
	MHD_destroy_response(res);
	return rc;
}

static enum MHD_Result serve_json(struct MHD_Connection *c, unsigned code, json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return text ? serve_reply(c, code, text, "application/json") : MHD_NO;
}

static enum MHD_Result serve_error(struct MHD_Connection *c, unsigned code, const char *why)
{
	return serve_json(c, code, json_pack("{s:s}", "error", why));
}

/*
 * POST /api/results. MHD calls this first with the headers only (the token and the
 * declared length are judged then, before any of the body is read), then once per
 * part of the body, then once more when the body is in.
 */
static enum MHD_Result serve_results(struct serve_ctx *ctx, struct MHD_Connection *c, const char *method,
				     const char *data, size_t *size, void **state)
{
	struct serve_post *p = *state;
	if (!p) {
		if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
			return serve_error(c, 405, "results are posted: POST /api/results");
		if (!serve_authorized(ctx, c))
			return serve_error(c, 401, "no room token: send Authorization: Bearer TOKEN");
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > SERVE_BODY_MAX)
			return serve_error(c, 413, "a result is at most 64 KiB");
		*state = u_xcalloc(1, sizeof *p);
		return MHD_YES;
	}
	if (*size) { /* a part of the body: kept while it fits, counted and dropped after */
		if (p->len + *size > SERVE_BODY_MAX) {
			p->too_big = 1;
		} else {
			p->body = u_xrealloc(p->body, p->len + *size + 1);
			memcpy(p->body + p->len, data, *size);
			p->len += *size;
		}
		*size = 0;
		return MHD_YES;
	}
	if (p->too_big)
		return serve_error(c, 413, "a result is at most 64 KiB");
	char why[256];
	int code = room_post(ctx->room, p->body ? p->body : "", p->len, time(NULL), why, sizeof why);
	if (code)
		return serve_error(c, (unsigned)code, why);
	return serve_json(c, 200, json_pack("{s:b}", "accepted", 1));
}

static enum MHD_Result serve_answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				    const char *version, const char *data, size_t *size, void **state)
{
	(void)version;
	struct serve_ctx *ctx = cls;
	if (strcmp(url, "/api/results") == 0)
		return serve_results(ctx, c, method, data, size, state);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return serve_error(c, 405, "only GET here");
	if (strcmp(url, "/") == 0)
		return MHD_queue_response(c, 200, ctx->page);
	if (strcmp(url, "/api/room") == 0)
		return serve_json(c, 200, room_json(ctx->room));
	return serve_error(c, 404, "not here: the room is at /, its data at /api/room");
}

static void serve_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode why)
{
	(void)cls, (void)c, (void)why;
	struct serve_post *p = *state;
	if (p)
		free(p->body);
	free(p);
	*state = NULL;
}

/* The page: self-contained (its style and script inline), allowed to fetch from this server only. */
static struct MHD_Response *serve_page(void)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(strlen(serve_page_html), (void *)serve_page_html,
								   MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Content-Security-Policy",
				"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
				"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
	return res;
}

/* A token nobody can guess, when the instructor gave none. */
static char *serve_new_token(void)
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return NULL;
	char *hex = u_xmalloc(2 * sizeof raw + 1);
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return hex;
}

static void serve_banner(const struct serve_ctx *ctx, unsigned port, int skipped)
{
	char host[256] = "localhost";
	gethostname(host, sizeof host - 1);
	printf("racelab serve: the room is at http://%s:%u/ (its data: /api/room)\n", host, port);
	printf("  results kept in %s: %d learners read back", room_path(ctx->room), room_learners(ctx->room));
	if (skipped)
		printf(", %d lines that were no record skipped", skipped);
	printf("\n  learners report each check with:\n"
	       "    racelab check LAB --report-to http://%s:%u --name THEIR_NAME --token %s\n"
	       "  Ctrl-C stops it.\n", host, port, ctx->token);
	fflush(stdout);
}

/* The port to listen on: --port N (0: any free port, the banner says which); default 8080. */
static int serve_port(const char *s)
{
	if (!s)
		return 8080;
	char *end;
	long p = strtol(s, &end, 10);
	return *s && !*end && p >= 0 && p <= 65535 ? (int)p : -1;
}

int serve_cmd(const struct cli_opts *o)
{
	int port = serve_port(o->port);
	if (port < 0) {
		fprintf(stderr, "racelab: --port takes a number from 0 to 65535, not '%s'\n", o->port);
		return 1;
	}
	char *token = o->token ? u_xstrdup(o->token) : serve_new_token();
	if (!token || !*token) {
		fputs("racelab: no token to be had: give one with --token T\n", stderr);
		free(token);
		return 1;
	}
	struct u_list labs = { 0 };
	lab_all(&labs);
	char err[512];
	int skipped = 0;
	struct serve_ctx ctx = { .token = token };
	ctx.room = room_open(o->room ? o->room : "racelab-room", &labs, &skipped, err, sizeof err);
	u_list_free(&labs);
	if (!ctx.room) {
		fprintf(stderr, "racelab: %s\n", err);
		free(token);
		return 1;
	}
	ctx.page = serve_page();
	/* The server's threads start with these signals blocked: only sigwait below takes them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port,
		NULL, NULL, serve_answer, &ctx, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVE_THREADS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_IDLE_S,
		MHD_OPTION_NOTIFY_COMPLETED, serve_done, NULL, MHD_OPTION_END);
	int rc = 1;
	if (!d) {
		fprintf(stderr, "racelab: cannot listen on port %d: %s\n", port, strerror(errno));
	} else {
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		serve_banner(&ctx, info ? info->port : (unsigned)port, skipped);
		int sig = 0;
		sigwait(&stop, &sig);
		printf("racelab serve: stopped (signal %d); the room stays in %s\n", sig, room_path(ctx.room));
		MHD_stop_daemon(d);
		rc = 0;
	}
	MHD_destroy_response(ctx.page);
	room_close(ctx.room);
	free(token);
	return rc;
}
