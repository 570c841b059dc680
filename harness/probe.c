/* probe.c: run each detector once on a trivial program, so a gate can tell the machine's fault from the learner's. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "digest.h"
#include "probe.h"
#include "run.h"
#include "store.h"

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static int probe_known[GATE_COUNT], probe_works[GATE_COUNT];

/* Run argv in dir (trusted: the harness's own probe), 0 when it exits 0. */
static int probe_run(char **argv, const char *dir)
{
	struct run_spec spec = { .argv = argv, .dir = dir, .timeout_s = 60 };
	struct run_result res;
	int ok = run_child(&spec, &res) == 0 && !res.timed_out && res.exit_code == 0;
	run_result_free(&res);
	return ok;
}

static int probe_tsan(const char *dir)
{
	char *src = u_fmt("%s/empty.c", dir), *bin = u_fmt("%s/empty", dir);
	static const char text[] = "int main(void) { return 0; }\n";
	int ok = u_write_file(src, text, sizeof text - 1) == 0;
	char *cc[] = { "clang", "-fsanitize=thread", src, "-o", bin, NULL };
	char *run[] = { bin, NULL };
	ok = ok && probe_run(cc, dir) && probe_run(run, dir);
	free(src);
	free(bin);
	return ok;
}

static int probe_valgrind(const char *tool, const char *dir)
{
	char *opt = u_fmt("--tool=%s", tool);
	char *argv[] = { "valgrind", "-q", opt, "--error-exitcode=0", "/bin/true", NULL };
	int ok = probe_run(argv, dir);
	free(opt);
	return ok;
}

static const char *const probe_tools[GATE_COUNT] = {
	[GATE_TSAN] = "clang", [GATE_HELGRIND] = "helgrind", [GATE_DRD] = "drd", [GATE_MEMCHECK] = "memcheck", [GATE_MEMORY] = "massif",
};

static int probe_once(enum gate_id id)
{
	char *dir = u_mkdtemp("probe");
	if (!dir) /* no room for a trivial program: say the tool does not work, so its gate is an error */
		return 0;
	int ok = id == GATE_TSAN ? probe_tsan(dir) : probe_valgrind(probe_tools[id], dir);
	u_rmtree(dir);
	free(dir);
	return ok;
}

/* The file whose existence says "id's tool worked here", under a key of what the answer rests on; NULL: no cache. */
static char *probe_mark(enum gate_id id)
{
	char *dir = store_dir("probe");
	if (!dir)
		return NULL;
	struct dg d;
	dg_init(&d);
	dg_str(&d, "probe 1");
	dg_str(&d, gate_names[id]);
	/* This boot: a reboot asks again. And the machine as checks depend on it: the tools' installed
	 * files (installing, upgrading or removing one changes them), the kernel and its settings. */
	char *boot = u_slurp("/proc/sys/kernel/random/boot_id", NULL);
	dg_str(&d, boot);
	free(boot);
	dg_machine(&d);
	char *hex = dg_hex(&d);
	char *mark = u_fmt("%s/%s-%s", dir, gate_names[id], hex);
	free(hex);
	free(dir);
	return mark;
}

/*
 * Asked once per boot: a tool found working is remembered in the cache
 * (probe_mark), which saves every later check a second of CPU. A tool that
 * failed is asked again on every check, so a fix of the machine (a missing
 * package installed) counts at once.
 */
static int probe_cached(enum gate_id id)
{
	if (!probe_tools[id])
		return 0;
	char *mark = probe_mark(id);
	int ok = mark && u_exists(mark);
	if (!ok) {
		ok = probe_once(id);
		if (ok && mark)
			store_put(mark, "works\n", 6);
	}
	free(mark);
	return ok;
}

int probe_tool_works(enum gate_id id)
{
	/* Held across the probe: two gates asking for one tool must not both run it. */
	pthread_mutex_lock(&probe_lock);
	if (!probe_known[id]) {
		probe_works[id] = probe_cached(id);
		probe_known[id] = 1;
	}
	int ok = probe_works[id];
	pthread_mutex_unlock(&probe_lock);
	return ok;
}
