/* cli.c: option parsing and the small helpers every command shares. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse(int argc, char **argv, struct cli_opts *o)
{
	static const struct option longs[] = {
		{ "verbose", no_argument, 0, 'v' }, { "all", no_argument, 0, 'a' },
		{ "tap", no_argument, 0, 't' },     { "repeat", required_argument, 0, 'r' },
		{ "jobs", required_argument, 0, 'j' }, { "lab", required_argument, 0, 'l' },
		{ "src", required_argument, 0, 's' }, { "format", required_argument, 0, 'f' },
		{ "out", required_argument, 0, 'o' }, { "manual", no_argument, 0, 'm' },
		{ "csv", required_argument, 0, 'c' }, { "timeout", required_argument, 0, 'T' },
		{ "args", required_argument, 0, 'A' }, { "heap-max-kb", required_argument, 0, 'H' },
		{ "no-cache", no_argument, 0, 'N' }, { "parallel", required_argument, 0, 'P' },
		{ "port", required_argument, 0, 'p' }, { "room", required_argument, 0, 'R' },
		{ "token", required_argument, 0, 'K' }, { "report-to", required_argument, 0, 'U' },
		{ "name", required_argument, 0, 'n' }, { "slurm", required_argument, 0, 'S' },
		{ "seed", required_argument, 0, 'e' }, { "test", required_argument, 0, 'X' },
		{ "html", required_argument, 0, 'W' }, { "budget", required_argument, 0, 'B' },
		{ "seconds", required_argument, 0, 'D' },
		{ 0, 0, 0, 0 },
	};
	memset(o, 0, sizeof *o);
	o->repeat = 1;
	const char *jobs = getenv("RACELAB_JOBS");
	o->jobs = jobs ? atoi(jobs) : 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "vj:", longs, NULL)) != -1) {
		switch (c) {
		case 'v': o->verbose = 1; break;
		case 'a': o->all = 1; break;
		case 't': o->tap = 1; break;
		case 'r': o->repeat = atoi(optarg); break;
		case 'j': o->jobs = atoi(optarg); break;
		case 'l': o->lab = optarg; break;
		case 's': o->src = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->out = optarg; break;
		case 'm': o->manual = 1; break;
		case 'c': o->csv = optarg; break;
		case 'T': o->timeout = atof(optarg); break;
		case 'A': o->run_args = optarg; break;
		case 'H': o->heap_max_kb = atol(optarg); break;
		case 'N': o->no_cache = 1; break;
		case 'P': o->parallel = atoi(optarg); break;
		case 'p': o->port = optarg; break;
		case 'R': o->room = optarg; break;
		case 'K': o->token = optarg; break;
		case 'U': o->report_to = optarg; break;
		case 'n': o->name = optarg; break;
		case 'S': o->slurm = optarg; break;
		case 'e': o->seed = optarg; break;
		case 'X': o->test = optarg; break;
		case 'W': o->html = optarg; break;
		case 'B': o->budget = atol(optarg); break;
		case 'D': o->seconds = atof(optarg); break;
		default: return -1;
		}
	}
	o->arg = optind < argc ? argv[optind] : NULL;
	o->args = argv + optind;
	o->nargs = argc - optind;
	return o->repeat > 0 && o->timeout >= 0 && o->heap_max_kb >= 0 && o->parallel >= 0 && o->budget >= 0 &&
	       o->seconds >= 0 && (!o->seed || strspn(o->seed, "0123456789") == strlen(o->seed)) ? 0 : -1;
}

int cli_load(const char *name, struct lab *lab)
{
	char err[512];
	if (lab_load(name, lab, err, sizeof err) != 0) {
		fprintf(stderr, "racelab: %s\n", err);
		return -1;
	}
	return 0;
}

int cli_load_operand(const struct cli_opts *o, const char *cmd, struct lab *lab)
{
	if (!o->arg) {
		fprintf(stderr, "racelab: %s needs a LAB (racelab list shows them)\n", cmd);
		return -1;
	}
	return cli_load(o->arg, lab);
}

int cli_exit_code(const struct result *r)
{
	int err = 0;
	for (int i = 0; i < r->ngates; i++) {
		enum result_status s = r->gates[r->order[i]].status;
		if (s == RESULT_FAIL || s == RESULT_SKIP)
			return 1;
		err |= s == RESULT_ERROR;
	}
	return err ? 2 : 0;
}
