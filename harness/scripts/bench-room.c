/* bench-room.c: make bench-room's load: learners posting checks to racelab serve at once, the page fetched meanwhile (libcurl). */
/*
 * bench-room URL TOKEN LEARNERS SECONDS LAB...
 *
 * Each learner (learner-001 ...) posts a check, waits for the answer, and posts the next, on a
 * connection of its own, for SECONDS; a poller fetches the page (/) and its data (/api/room) in
 * turn, one every 100 ms, as an instructor's browser would, only faster. When the time is up no
 * new request starts and every one under way is let finish (up to 10 s), so each post is either
 * answered or counted as failed: the caller compares the answered ones with the room.
 * Prints "key value" lines: posts_ok, posts_refused, posts_failed, seconds, posts_per_s, and the
 * p50/p99/max in ms of the posts, the page and /api/room.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { POLL_MS = 100, DRAIN_S = 10, REQUEST_TIMEOUT_S = 10 };

struct samples {
	double *ms;
	size_t n, cap;
};

struct learner {
	CURL *h;
	char name[32];
	unsigned seed;
	int checks;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add(struct samples *s, double ms)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->ms = realloc(s->ms, s->cap * sizeof *s->ms);
		if (!s->ms)
			abort();
	}
	s->ms[s->n++] = ms;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* p50, p99 and max of s, each on a line of its own. */
static void report(const char *what, struct samples *s)
{
	if (!s->n) {
		printf("%s_n 0\n", what);
		return;
	}
	qsort(s->ms, s->n, sizeof *s->ms, cmp);
	printf("%s_n %zu\n%s_p50_ms %.1f\n%s_p99_ms %.1f\n%s_max_ms %.1f\n", what, s->n, what, s->ms[s->n / 2], what,
	       s->ms[(size_t)((s->n - 1) * 0.99)], what, s->ms[s->n - 1]);
}

static size_t discard(char *data, size_t size, size_t n, void *user)
{
	(void)data, (void)user;
	return size * n;
}

/* The learner's next check: some gates failing at random, as a room's checks do. */
static void next_check(struct learner *l, char **labs, int nlabs)
{
	static const char *const gates[] = { "build", "tests", "stress", "tsan", "helgrind", "memcheck" };
	json_t *list = json_array();
	int score = 0;
	for (size_t g = 0; g < sizeof gates / sizeof *gates; g++) {
		int pass = g == 0 || rand_r(&l->seed) % 3 != 0;
		score += pass ? 10 : 0;
		json_array_append_new(list, json_pack("{s:s, s:s}", "name", gates[g], "status", pass ? "pass" : "fail"));
	}
	json_t *doc = json_pack("{s:s, s:s, s:i, s:i, s:o}", "name", l->name, "lab", labs[l->checks++ % nlabs],
				"score", score, "max_score", 60, "gates", list);
	char *body = json_dumps(doc, JSON_COMPACT);
	curl_easy_setopt(l->h, CURLOPT_COPYPOSTFIELDS, body);
	free(body);
	json_decref(doc);
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: bench-room URL TOKEN LEARNERS SECONDS LAB...\n");
		return 2;
	}
	const char *url = argv[1];
	int nl = atoi(argv[3]);
	double seconds = atof(argv[4]);
	char **labs = argv + 5;
	int nlabs = argc - 5;
	if (nl < 1 || nl > 1000 || seconds <= 0 || seconds > 600) {
		fprintf(stderr, "bench-room: 1 to 1000 learners, for 600 s at most\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	char post_url[512], page_url[512], api_url[512], auth[512];
	snprintf(post_url, sizeof post_url, "%s/api/results", url);
	snprintf(page_url, sizeof page_url, "%s/", url);
	snprintf(api_url, sizeof api_url, "%s/api/room", url);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", argv[2]);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, auth);
	hdr = curl_slist_append(hdr, "Expect:"); /* no 100-continue round trip: the bodies are small */

	CURLM *m = curl_multi_init();
	struct learner *ls = calloc((size_t)nl, sizeof *ls);
	for (int i = 0; i < nl; i++) {
		struct learner *l = &ls[i];
		snprintf(l->name, sizeof l->name, "learner-%03d", i + 1);
		l->seed = (unsigned)i + 1;
		l->h = curl_easy_init();
		curl_easy_setopt(l->h, CURLOPT_URL, post_url);
		curl_easy_setopt(l->h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(l->h, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(l->h, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_S);
		curl_easy_setopt(l->h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(l->h, CURLOPT_PRIVATE, l);
		next_check(l, labs, nlabs);
		curl_multi_add_handle(m, l->h);
	}
	int active = nl; /* transfers in the multi handle: started and not yet read back */
	CURL *poll = curl_easy_init();
	curl_easy_setopt(poll, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(poll, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_S);
	curl_easy_setopt(poll, CURLOPT_NOSIGNAL, 1L);
	int polling = 0, polls = 0;
	double next_poll = 0;

	struct samples post = { 0 }, page = { 0 }, api = { 0 };
	long ok = 0, refused = 0, failed = 0;
	double start = now_s(), end = start + seconds;
	int running = 0;
	while (active > 0) {
		double t = now_s();
		if (t > end + DRAIN_S)
			break;
		if (!polling && t < end && t >= next_poll) {
			curl_easy_setopt(poll, CURLOPT_URL, polls++ % 2 ? api_url : page_url);
			curl_multi_add_handle(m, poll);
			polling = 1;
			active++;
		}
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			CURL *h = msg->easy_handle;
			long code = 0;
			curl_off_t us = 0;
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
			curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &us);
			curl_multi_remove_handle(m, h);
			active--;
			if (h == poll) {
				add(polls % 2 ? &page : &api, us / 1000.0); /* polls was counted up when it started */
				failed += msg->data.result != CURLE_OK || code != 200;
				polling = 0;
				next_poll = now_s() + POLL_MS / 1000.0;
				continue;
			}
			struct learner *l;
			curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&l);
			if (msg->data.result != CURLE_OK)
				failed++;
			else if (code == 200)
				ok++, add(&post, us / 1000.0);
			else
				refused++;
			if (now_s() < end) {
				next_check(l, labs, nlabs);
				curl_multi_add_handle(m, h);
				active++;
			}
		}
		curl_multi_poll(m, NULL, 0, 10, NULL);
	}
	double took = now_s() - start;
	printf("learners %d\nposts_ok %ld\nposts_refused %ld\nposts_failed %ld\nunfinished %d\nseconds %.1f\n"
	       "posts_per_s %.0f\n", nl, ok, refused, failed, active, took, ok / took);
	report("post", &post);
	report("page", &page);
	report("api", &api);
	for (int i = 0; i < nl; i++) {
		curl_multi_remove_handle(m, ls[i].h);
		curl_easy_cleanup(ls[i].h);
	}
	curl_multi_remove_handle(m, poll);
	curl_easy_cleanup(poll);
	curl_multi_cleanup(m);
	curl_slist_free_all(hdr);
	free(ls);
	free(post.ms);
	free(page.ms);
	free(api.ms);
	curl_global_cleanup();
	return failed || active ? 1 : 0;
}
