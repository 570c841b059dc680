/* probe.c: run each detector once on a trivial program, so a gate can tell the machine's fault from the learner's. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "probe.h"
#include "run.h"

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

static int probe_once(enum gate_id id)
{
	static const char *const tools[GATE_COUNT] = {
		[GATE_HELGRIND] = "helgrind", [GATE_DRD] = "drd", [GATE_MEMCHECK] = "memcheck", [GATE_MEMORY] = "massif",
	};
	if (id != GATE_TSAN && !tools[id])
		return 0;
	char *dir = u_mkdtemp("probe");
	if (!dir) /* no room for a trivial program: say the tool does not work, so its gate is an error */
		return 0;
	int ok = id == GATE_TSAN ? probe_tsan(dir) : probe_valgrind(tools[id], dir);
	u_rmtree(dir);
	free(dir);
	return ok;
}

int probe_tool_works(enum gate_id id)
{
	/* Held across the probe: two gates asking for one tool must not both run it. */
	pthread_mutex_lock(&probe_lock);
	if (!probe_known[id]) {
		probe_works[id] = probe_once(id);
		probe_known[id] = 1;
	}
	int ok = probe_works[id];
	pthread_mutex_unlock(&probe_lock);
	return ok;
}
