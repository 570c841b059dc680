/* watch.c: racelab watch: re-check the lab's file on every save, fast gates first, with keys. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <termios.h>
#include <unistd.h>

#include "show.h"
#include "cli.h"
#include "gate.h"
#include "line.h"
#include "progress.h"
#include "report.h"

/* Editors write a file in several steps (write, chmod, rename): one check after the last of them. */
enum { WATCH_SETTLE_MS = 100 };

struct watch {
	const struct cli_opts *o;
	struct u_list ids;      /* every lab, in order */
	struct lab lab;         /* the lab watched */
	int have_lab;
	int ino, wd;            /* inotify; wd -1 in manual mode */
	int tty;                /* stdout is a terminal: the screen is redrawn per check */
	struct report_style st;

	/* The check under way, on its own thread. */
	pthread_t worker;
	int busy;
	int cancel;             /* read by the gate threads: the runs under way are killed */
	int again;              /* a new check is wanted once the cancelled one has stopped */
	char *go_to;            /* and for this lab */
	int seq;                /* checks started */
	double asked_at;        /* when the save (or key) that asked for the next check came */
	int on_save;            /* it was a save */
	double run_asked_at;    /* the same for the check under way, fixed when it starts: */
	int run_on_save;        /* its thread reads them, the loop may change the two above */
	struct result r;

	int sweep;              /* re-checking every lab before saying all done: next index, or -1 */
	int done_pipe[2];       /* the worker says "finished" through it */
};

static struct termios watch_saved;
static int watch_raw, watch_sig_pipe[2] = { -1, -1 };

/* ---- the terminal: cbreak (keys without Enter, no echo), always put back ---- */

static void watch_term_restore(void)
{
	if (watch_raw)
		tcsetattr(0, TCSANOW, &watch_saved);
}

static void watch_term_cbreak(void)
{
	struct termios t = watch_saved;
	t.c_lflag &= (tcflag_t)~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &t);
}

/* Async-signal-safe: the terminal is put back at once, the loop ends in order. */
static void watch_on_signal(int sig)
{
	int e = errno;
	watch_term_restore();
	if (sig == SIGTSTP) {
		signal(SIGTSTP, SIG_DFL);
		raise(SIGTSTP);
	} else if (sig == SIGCONT) {
		struct sigaction sa = { .sa_handler = watch_on_signal, .sa_flags = SA_RESTART };
		sigaction(SIGTSTP, &sa, NULL);
		if (watch_raw)
			watch_term_cbreak();
	} else {
		unsigned char c = (unsigned char)sig;
		if (write(watch_sig_pipe[1], &c, 1) < 0)
			_exit(128 + sig);
	}
	errno = e;
}

static void watch_term_setup(void)
{
	if (pipe2(watch_sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		watch_sig_pipe[0] = watch_sig_pipe[1] = -1;
	if (isatty(0) && tcgetattr(0, &watch_saved) == 0) {
		watch_raw = 1;
		atexit(watch_term_restore);
		watch_term_cbreak();
	}
	/* A second Ctrl-C ends racelab at once (the terminal is already back). */
	struct sigaction sa = { .sa_handler = watch_on_signal, .sa_flags = SA_RESETHAND | SA_RESTART };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
}

/* ---- what is watched ---- */

static void watch_manual(struct watch *w, const char *why)
{
	if (w->ino >= 0 && w->wd >= 0)
		inotify_rm_watch(w->ino, w->wd);
	w->wd = -1;
	if (why)
		printf("racelab: %s: re-check by hand with Enter or r.\n", why);
}

/* Watch the lab's folder, not its file: an editor that saves by rename replaces the file. */
static void watch_folder(struct watch *w)
{
	if (w->o->manual || w->ino < 0)
		return;
	if (w->wd >= 0)
		inotify_rm_watch(w->ino, w->wd);
	w->wd = inotify_add_watch(w->ino, w->lab.dir, IN_CLOSE_WRITE | IN_MOVED_TO);
	if (w->wd < 0) {
		char *why = u_fmt("cannot watch %s for saves (%s)", w->lab.dir, strerror(errno));
		watch_manual(w, why);
		free(why);
	}
}

static int watch_load(struct watch *w, const char *id)
{
	struct lab lab;
	if (cli_load(id, &lab) != 0)
		return -1;
	if (w->have_lab)
		lab_free(&w->lab);
	w->lab = lab;
	w->have_lab = 1;
	watch_folder(w);
	return 0;
}

static int watch_index(const struct watch *w)
{
	for (int i = 0; i < w->ids.n; i++)
		if (strcmp(w->ids.v[i], w->lab.id) == 0)
			return i;
	return -1;
}

/* ---- one check, on a thread of its own ---- */

static int watch_cancelled(const struct watch *w)
{
	return __atomic_load_n(&w->cancel, __ATOMIC_RELAXED);
}

/* The fast gates: build, and tests when the lab has them. The slow detectors follow. */
static int watch_last_fast(const struct lab *lab)
{
	return lab->enabled[GATE_TESTS] ? GATE_TESTS : GATE_BUILD;
}

static void watch_fast_verdict(struct watch *w, const struct result *r)
{
	enum result_status s = r->gates[GATE_BUILD].status;
	if (s == RESULT_PASS && w->lab.enabled[GATE_TESTS])
		s = r->gates[GATE_TESTS].status;
	printf("  %sfast gates %s%s %.1fs after the %s%s\n", report_color(s, &w->st),
	       s == RESULT_PASS ? "pass" : "FAIL", report_reset(&w->st), u_now() - w->run_asked_at,
	       w->run_on_save ? "save" : "start", s == RESULT_PASS ? "; the detectors follow" : "");
}

/* After the last fast gate's line: how soon after the save they answered. */
static void watch_after_gate(const struct result *r, int gate, void *user)
{
	struct watch *w = user;
	if (gate == watch_last_fast(&w->lab))
		watch_fast_verdict(w, r);
}

static void watch_on_gate(const struct result *r, int gate, void *user)
{
	struct watch *w = user;
	show_gate(r, gate, &w->st, watch_cancelled(w), watch_after_gate, w);
}

static void *watch_worker(void *p)
{
	struct watch *w = p;
	char *file = u_fmt("%s/%s", w->lab.dir, w->lab.edit);
	struct gate_opts go = { .jobs = w->o->jobs, .label = "your code", .on_gate = watch_on_gate,
				.user = w, .cancel = &w->cancel };
	gate_grade(&w->lab, file, &go, &w->r);
	free(file);
	char c = 1;
	if (write(w->done_pipe[1], &c, 1) < 0)
		perror("racelab: watch");
	return NULL;
}

static void watch_keys_help(const struct watch *w)
{
	printf("\n  keys: h hint  l list  r re-check  n next lab  q quit\n");
	if (w->wd >= 0)
		printf("  watching labs/%s/%s: every save re-checks it\n", w->lab.id, w->lab.edit);
	else
		printf("  manual mode: after a save, press Enter or r to re-check labs/%s/%s\n", w->lab.id, w->lab.edit);
	fflush(stdout);
}

static void watch_start(struct watch *w, int clear)
{
	w->seq++;
	__atomic_store_n(&w->cancel, 0, __ATOMIC_RELAXED);
	line_hold();
	if (clear && w->tty)
		printf("\033[H\033[2J");
	char *label = w->sweep >= 0 ? u_fmt("check %d, re-checking every kata", w->seq) : u_fmt("check %d", w->seq);
	line_release();
	show_begin(&w->lab, label, &w->st);
	free(label);
	w->busy = 1;
	w->run_asked_at = w->asked_at;
	w->run_on_save = w->on_save;
	if (pthread_create(&w->worker, NULL, watch_worker, w) != 0) {
		perror("racelab: watch");
		exit(2);
	}
}

/*
 * A new check is wanted (a save, r, n). One under way is cancelled: its runs
 * are killed, its gates not started, its result thrown away; the new check
 * starts as soon as its thread has returned (within a tenth of a second or so;
 * a compile under way finishes first).
 */
static void watch_request(struct watch *w, const char *lab_id, double saved_at)
{
	if (lab_id) {
		free(w->go_to);
		w->go_to = u_xstrdup(lab_id);
	}
	w->on_save = saved_at > 0;
	w->asked_at = w->on_save ? saved_at : u_now();
	if (!w->busy) {
		int moved = w->go_to && watch_load(w, w->go_to) == 0;
		free(w->go_to);
		w->go_to = NULL;
		watch_start(w, !moved);
		return;
	}
	if (!w->again) {
		line_hold();
		__atomic_store_n(&w->cancel, 1, __ATOMIC_RELAXED);
		printf("  ... %s: stopping this check, a new one starts\n", lab_id ? "moving on" : "changed");
		fflush(stdout);
		line_release();
	}
	w->again = 1;
}

/* After a pass: the next unfinished lab; after the last, every lab again before "all done". */
static void watch_move_on(struct watch *w)
{
	int here = watch_index(w);
	if (w->sweep >= 0) {
		if (w->sweep == here)
			w->sweep++;
		if (w->sweep < w->ids.n) {
			printf("\n");
			watch_request(w, w->ids.v[w->sweep++], 0);
			return;
		}
		w->sweep = -1;
		printf("\n  All %d katas pass, every one re-checked just now. All done: well done.\n", w->ids.n);
		watch_keys_help(w);
		return;
	}
	const char *next = prog_next(&w->ids, here);
	if (next) {
		printf("\n  Solved. On to the next kata you have not passed: %s.\n\n", next);
		watch_request(w, next, 0);
		return;
	}
	printf("\n  That was the last kata you had not passed. Re-checking every kata before calling it done.\n\n");
	w->sweep = 0;
	watch_move_on(w);
}

static void watch_finished(struct watch *w)
{
	pthread_join(w->worker, NULL);
	w->busy = 0;
	line_set("%s", "");
	if (w->again || watch_cancelled(w)) {
		result_free(&w->r);
		w->again = 0;
		watch_request(w, NULL, w->on_save ? w->asked_at : 0);
		return;
	}
	int rc = show_end(&w->lab, &w->r, &w->st);
	result_free(&w->r);
	if (rc == 0) {
		watch_move_on(w);
		return;
	}
	if (w->sweep >= 0) {
		w->sweep = -1;
		printf("\n  %s passed before, but not now: the watch stays on it.\n", w->lab.id);
	}
	watch_keys_help(w);
}

/* ---- the loop: saves, keys, signals, the check's end ---- */

/* Whether the inotify events name the watched file (or lost the folder's watch). */
static int watch_saved_file(struct watch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(w->ino, buf, sizeof buf);
	int hit = 0;
	for (char *p = buf; n > 0 && p < buf + n;) {
		const struct inotify_event *e = (const struct inotify_event *)p;
		if (e->wd == w->wd && (e->mask & IN_IGNORED)) { /* the folder went away or was replaced */
			w->wd = -1;
			watch_folder(w);
		} else if (e->wd == w->wd && e->len && strcmp(e->name, w->lab.edit) == 0) {
			hit = 1;
		}
		p += sizeof *e + e->len;
	}
	return hit;
}

static void watch_next_lab(struct watch *w)
{
	int here = watch_index(w);
	if (here + 1 >= w->ids.n) {
		line_hold();
		printf("  %s is the last kata.\n", w->lab.id);
		line_release();
		return;
	}
	w->sweep = -1;
	line_hold();
	printf("\n");
	line_release();
	watch_request(w, w->ids.v[here + 1], 0);
}

/* One key; 1 to quit. */
static int watch_key(struct watch *w, char k)
{
	struct cli_opts o = { .arg = w->lab.id, .repeat = 1 };
	switch (k) {
	case 'q': case 'Q':
		return 1;
	case 'h': case 'H':
		line_hold();
		printf("\n");
		learn_hint(&o);
		fflush(stdout);
		line_release();
		break;
	case 'l': case 'L':
		line_hold();
		printf("\n");
		learn_list(&o);
		fflush(stdout);
		line_release();
		break;
	case 'r': case 'R': case '\n': case '\r':
		watch_request(w, NULL, 0);
		break;
	case 'n': case 'N':
		watch_next_lab(w);
		break;
	}
	return 0;
}

static int watch_loop(struct watch *w)
{
	int keys = 1;
	double settle_at = 0, saved_at = 0; /* a save seen: check once the editor is done */
	for (;;) {
		struct pollfd p[4] = { { watch_sig_pipe[0], POLLIN, 0 }, { w->done_pipe[0], POLLIN, 0 },
				       { keys ? 0 : -1, POLLIN, 0 }, { w->ino, POLLIN, 0 } };
		int timeout = -1;
		if (settle_at > 0)
			timeout = (int)((settle_at - u_now()) * 1000) + 1;
		if (poll(p, 4, timeout < 0 && settle_at > 0 ? 0 : timeout) < 0 && errno != EINTR)
			return 2;
		unsigned char c;
		if ((p[0].revents & POLLIN) && read(watch_sig_pipe[0], &c, 1) == 1)
			return 128 + c;
		if ((p[1].revents & POLLIN) && read(w->done_pipe[0], &c, 1) == 1)
			watch_finished(w);
		if (p[3].revents & POLLIN && watch_saved_file(w)) {
			if (settle_at == 0)
				saved_at = u_now();
			settle_at = u_now() + WATCH_SETTLE_MS / 1000.0;
		}
		if (settle_at > 0 && u_now() >= settle_at) {
			settle_at = 0;
			watch_request(w, NULL, saved_at);
		}
		if (p[2].revents & (POLLIN | POLLHUP)) {
			char k;
			ssize_t n = read(0, &k, 1);
			if (n <= 0) /* stdin closed: saves and signals still work */
				keys = 0;
			else if (watch_key(w, k))
				return 0;
		}
	}
}

int watch_cmd(const struct cli_opts *o)
{
	struct watch w = { .o = o, .wd = -1, .ino = -1, .sweep = -1, .tty = isatty(1) };
	w.st = (struct report_style){ u_tty(1), o->verbose };
	lab_all(&w.ids);
	const char *name = o->arg ? o->arg : prog_next(&w.ids, -1);
	if (!name && w.ids.n)
		name = w.ids.v[0];
	if (!name || pipe2(w.done_pipe, O_CLOEXEC) != 0) {
		fprintf(stderr, "racelab: no kata to watch\n");
		return 1;
	}
	if (!o->manual && (w.ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0)
		printf("racelab: inotify is not available (%s): re-check by hand with Enter or r.\n", strerror(errno));
	if (watch_load(&w, name) != 0)
		return 1;
	watch_term_setup();
	line_start(stdout);
	w.asked_at = u_now();
	watch_start(&w, 0);
	int rc = watch_loop(&w);
	if (w.busy) { /* stop the check under way: its runs are killed, its folder removed */
		__atomic_store_n(&w.cancel, 1, __ATOMIC_RELAXED);
		pthread_join(w.worker, NULL);
		result_free(&w.r);
	}
	line_stop();
	watch_term_restore();
	printf("\n");
	if (w.ino >= 0)
		close(w.ino);
	lab_free(&w.lab);
	u_list_free(&w.ids);
	free(w.go_to);
	return rc;
}
