/* test_limit.c: Check unit tests of the tools' known limits (limit.c): which reports become notes, and which stand. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../access.h"
#include "../format/fmt.h"
#include "../format/report.h"
#include "../lab.h"
#include "../limit.h"
#include "../util.h"
#include "../valgrind.h"

/* The fixture's text (harness/tests/fixtures), its length in *len. */
static char *lim_fixture(const char *name, size_t *len)
{
	char *path = u_fmt("%s/harness/tests/fixtures/%s", lab_root(), name);
	char *text = u_slurp(path, len);
	ck_assert_msg(text != NULL, "missing fixture %s", path);
	free(path);
	return text;
}

/* A tsan gate that ran and passed, and one with the given records (each of kind, at file:line). */
static void tsan_pass(struct gate_result *t)
{
	memset(t, 0, sizeof *t);
	t->id = GATE_TSAN;
	t->status = RESULT_PASS;
}

static void tsan_race_at(struct gate_result *t, const char *file, int line)
{
	t->status = RESULT_FAIL;
	struct finding *y = finding_add(&t->found, "tsan", "data-race");
	struct finding_access *a = finding_add_access(y);
	a->file = u_xstrdup(file);
	a->line = line;
	a->in_lab = 1;
}

/* The objdump lines of the plain binary that a fixture's stacks point into (recorded from its program). */
static const char *const trylock_objdump =
	"0000000000001199 <mover>:\n"
	"/src/trylock_ok.c:12\n"
	"    11dc:\tmov    %rbx,%rdi\n"
	"    11df:\tcall   1090 <pthread_mutex_lock@plt>\n"
	"/src/trylock_ok.c:13\n"
	"    11e4:\tmov    %rbp,%rdi\n"
	"    11e7:\tcall   1040 <pthread_mutex_trylock@plt>\n"
	"    11ec:\ttest   %eax,%eax\n";

static const char *const spin_objdump =
	"0000000000001199 <bump>:\n"
	"/src/spin_ok.c:13 (discriminator 3)\n"
	"    11ab:\tmov    %rbp,%rdi\n"
	"    11ae:\tcall   1030 <pthread_spin_lock@plt>\n"
	"/src/spin_ok.c:14 (discriminator 3)\n"
	"    11b3:\taddq   $0x1,0x2e95(%rip)        # 4050 <hits>\n"
	"/src/spin_ok.c:15 (discriminator 3)\n"
	"    11bb:\tmov    %rbp,%rdi\n"
	"    11be:\tcall   1060 <pthread_spin_unlock@plt>\n";

START_TEST(access_names_the_call_at_a_site)
{
	struct acc_program p = { 0 };
	struct src_ctx sc = { "trylock_ok.c", "/nonexistent", "/nonexistent" };
	acc_read_plain(trylock_objdump, &sc, &p);
	/* Valgrind's frame address: the call's return address less 1, the binary loaded at 0x108000. */
	struct finding_site s = { .file = "trylock_ok.c", .line = 13, .ip = 0x108000 + 0x11ec - 1 };
	ck_assert_str_eq(acc_callee(&p, &s), "pthread_mutex_trylock");
	s.line = 12;
	s.ip = 0x108000 + 0x11e4 - 1;
	ck_assert_str_eq(acc_callee(&p, &s), "pthread_mutex_lock");
	s.ip = 0x108000 + 0x11dc; /* an address before any call of that line */
	ck_assert_ptr_null(acc_callee(&p, &s));
	s.callee = "pthread_mutex_timedlock"; /* the tool's own word wins */
	ck_assert_str_eq(acc_callee(&p, &s), "pthread_mutex_timedlock");
	acc_free(&p);
}
END_TEST

START_TEST(valgrind_marks_the_sites_of_a_lock_order)
{
	struct findings f = { 0 };
	size_t len;
	char *xml = lim_fixture("helgrind-trylock-order.xml", &len);
	struct src_ctx sc = { "trylock_ok.c", "/nonexistent", "/nonexistent" };
	vg_parse(xml, len, &sc, "helgrind", &f);
	const struct finding *x = findings_first(&f, "LockOrder");
	ck_assert_ptr_nonnull(x);
	/* The violating acquisition, the required order's two, and the two "first observed". */
	ck_assert_int_eq(x->nsite, 5);
	int later[5] = { 1, 0, 1, 0, 0 }, lines[5] = { 13, 12, 13, 12, 13 };
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(x->site[i].later_lock, later[i]);
		ck_assert_int_eq(x->site[i].line, lines[i]);
		ck_assert_str_eq(x->site[i].file, "trylock_ok.c");
		ck_assert_ptr_null(x->site[i].callee); /* this Valgrind names no function of its own there */
	}
	ck_assert_uint_eq(x->site[0].ip, 0x1091EB);
	findings_free(&f);
	free(xml);
}
END_TEST

START_TEST(trylock_edge_is_a_note_only_beside_tsan)
{
	struct findings f = { 0 };
	size_t len;
	char *xml = lim_fixture("helgrind-trylock-order.xml", &len);
	struct src_ctx sc = { "trylock_ok.c", "/nonexistent", "/nonexistent" };
	vg_parse(xml, len, &sc, "helgrind", &f);
	struct acc_program p = { 0 };
	acc_read_plain(trylock_objdump, &sc, &p);
	struct gate_result t;
	tsan_pass(&t);
	struct lim_ctx c = { .tsan = &t, .acc = &p, .edit = "trylock_ok.c" };
	const struct finding *x = findings_first(&f, "LockOrder");
	char *why = lim_judge(&c, x);
	ck_assert_msg(why && strstr(why, "pthread_mutex_trylock (trylock_ok.c:13)"), "%s", why ? why : "(stands)");
	free(why);
	/* TSan judged no lock order (its detector turned off), or found a cycle: Helgrind's word stands. */
	t.partial = u_xstrdup("the deadlock detector was turned off");
	ck_assert_ptr_null(lim_judge(&c, x));
	free(t.partial);
	t.partial = NULL;
	t.status = RESULT_FAIL;
	finding_add(&t.found, "tsan", "lock-order-inversion");
	ck_assert_ptr_null(lim_judge(&c, x));
	findings_free(&t.found);
	/* TSan could not run, or hung: no verdict to stand on. */
	t.status = RESULT_ERROR;
	ck_assert_ptr_null(lim_judge(&c, x));
	t.status = RESULT_FAIL;
	finding_add(&t.found, "watchdog", "hang");
	ck_assert_ptr_null(lim_judge(&c, x));
	findings_free(&t.found);
	/* Both acquisitions blocking (no trylock at the later sites): it stands beside a silent TSan. */
	t.status = RESULT_PASS;
	struct acc_program q = { 0 };
	char *both_lock = u_xstrdup(trylock_objdump);
	memcpy(strstr(both_lock, "pthread_mutex_trylock"), "pthread_mutex_lock@plt>\n\0", 25);
	acc_read_plain(both_lock, &sc, &q);
	c.acc = &q;
	ck_assert_ptr_null(lim_judge(&c, x));
	/* Without the binary the frame names nothing: it stands. */
	c.acc = NULL;
	ck_assert_ptr_null(lim_judge(&c, x));
	acc_free(&q);
	acc_free(&p);
	free(both_lock);
	findings_free(&f);
	free(xml);
}
END_TEST

START_TEST(spinlock_recursive_grant_is_a_note)
{
	struct findings f = { 0 };
	size_t len;
	char *xml = lim_fixture("helgrind-spinlock.xml", &len);
	struct src_ctx sc = { "spin_ok.c", "/nonexistent", "/nonexistent" };
	vg_parse(xml, len, &sc, "helgrind", &f);
	struct acc_program p = { 0 };
	acc_read_plain(spin_objdump, &sc, &p);
	struct gate_result t;
	tsan_pass(&t);
	struct lim_ctx c = { .tsan = &t, .acc = &p, .edit = "spin_ok.c" };
	ck_assert_int_eq(f.n, 1);
	ck_assert_str_eq(f.v[0].kind, "Misc");
	char *why = lim_judge(&c, &f.v[0]);
	ck_assert_msg(why && strstr(why, "pthread_spin_lock (spin_ok.c:13)"), "%s", why ? why : "(stands)");
	free(why);
	/* The same words at a call of anything but a spinlock stand. */
	free(f.v[0].site[0].callee);
	f.v[0].site[0].callee = u_xstrdup("pthread_rwlock_wrlock");
	ck_assert_ptr_null(lim_judge(&c, &f.v[0]));
	free(f.v[0].site[0].callee);
	f.v[0].site[0].callee = NULL;
	/* Where TSan did not run (a lab without its gate), nothing is a note. */
	c.tsan = NULL;
	ck_assert_ptr_null(lim_judge(&c, &f.v[0]));
	/* lim_sort moves it into the gate's notes, with its reason. */
	c.tsan = &t;
	struct gate_result g = { .id = GATE_HELGRIND, .status = RESULT_FAIL };
	findings_move(&g.found, &f);
	finding_add(&g.found, "helgrind", "UnlockUnlocked");
	ck_assert_int_eq(lim_sort(&c, &g), 1);
	ck_assert_int_eq(g.found.n, 1);
	ck_assert_str_eq(g.found.v[0].kind, "UnlockUnlocked");
	ck_assert_int_eq(g.notes.n, 1);
	ck_assert_ptr_nonnull(g.notes.v[0].limit);
	findings_free(&g.found);
	findings_free(&g.notes);
	acc_free(&p);
	free(xml);
}
END_TEST

/* A race record of tool with accesses at file's lines a and b (b 0: one access only, as DRD shows). */
static struct finding *race(struct findings *f, const char *tool, const char *file, int a, int b)
{
	struct finding *x = finding_add(f, tool, !strcmp(tool, "drd") ? "ConflictingAccess" : "Race");
	for (int i = 0; i < (b ? 2 : 1); i++) {
		struct finding_access *ac = finding_add_access(x);
		ac->file = u_xstrdup(file);
		ac->line = i ? b : a;
		ac->in_lab = 1;
	}
	return x;
}

START_TEST(races_on_or_ordered_by_atomics_are_notes_beside_tsan)
{
	/* What TSan's instrumentation says of barrier.c: lines 16 and 18 atomic, 25 and 28 plain. */
	struct acc_program p = { 0 };
	struct src_ctx sc = { "barrier.c", "/nonexistent", "/nonexistent" };
	acc_read_objects("0000000000000000 <barrier_wait>:\n/src/barrier.c:15\n\t\t\t10: R_X86_64_PLT32\t__tsan_atomic32_fetch_sub-0x4\n"
			 "/src/barrier.c:16\n\t\t\t20: R_X86_64_PLT32\t__tsan_atomic32_store-0x4\n"
			 "/src/barrier.c:18\n\t\t\t30: R_X86_64_PLT32\t__tsan_atomic32_load-0x4\n"
			 "/src/barrier.c:25\n\t\t\t40: R_X86_64_PLT32\t__tsan_write4-0x4\n"
			 "/src/barrier.c:28\n\t\t\t50: R_X86_64_PLT32\t__tsan_read4-0x4\n", &sc, &p);
	struct gate_result t;
	tsan_pass(&t);
	struct lim_ctx c = { .tsan = &t, .acc = &p, .edit = "barrier.c" };
	struct findings f = { 0 };
	race(&f, "helgrind", "barrier.c", 16, 18);
	race(&f, "helgrind", "barrier.c", 28, 25);
	race(&f, "drd", "barrier.c", 16, 0);
	race(&f, "helgrind", "barrier.c", 16, 25);
	race(&f, "helgrind", "barrier.c", 40, 41);
	/* Taken once every record is in: adding one moves them. */
	const struct finding *both = &f.v[0], *plain = &f.v[1], *drd_atomic = &f.v[2], *mixed = &f.v[3], *unknown = &f.v[4];
	char *why = lim_judge(&c, both);
	ck_assert_msg(why && strstr(why, "atomic operations never race each other"), "%s", why ? why : "(stands)");
	free(why);
	why = lim_judge(&c, plain);
	ck_assert_msg(why && strstr(why, "at barrier.c:15"), "%s", why ? why : "(stands)");
	free(why);
	why = lim_judge(&c, drd_atomic);
	ck_assert_msg(why && strstr(why, "DRD does not model C11 atomics"), "%s", why ? why : "(stands)");
	free(why);
	/* An atomic access meeting a plain one may be a real race: it stands. */
	ck_assert_ptr_null(lim_judge(&c, mixed));
	/* Atomics only in the lab's own files, not the learner's: plain accesses stand (the atomic pair does not). */
	c.edit = "other.c";
	ck_assert_ptr_null(lim_judge(&c, plain));
	why = lim_judge(&c, both);
	ck_assert_ptr_nonnull(why);
	free(why);
	c.edit = "barrier.c";
	/* TSan reported a race at one of the places: the tools agree, it stands. */
	tsan_race_at(&t, "barrier.c", 25);
	ck_assert_ptr_null(lim_judge(&c, plain));
	why = lim_judge(&c, both); /* a race elsewhere says nothing of this place */
	ck_assert_ptr_nonnull(why);
	free(why);
	findings_free(&t.found);
	t.status = RESULT_PASS;
	/* Binaries unread, or a line TSan's objects do not cover: it stands. */
	struct acc_program broken = { .error = u_xstrdup("objdump failed") };
	c.acc = &broken;
	ck_assert_ptr_null(lim_judge(&c, both));
	c.acc = &p;
	ck_assert_ptr_null(lim_judge(&c, unknown));
	acc_free(&broken);
	acc_free(&p);
	findings_free(&f);
}
END_TEST

/* A note shows in the text report and in the JSON, and costs no points: the gate passed. */
START_TEST(notes_show_in_report_and_json)
{
	struct result r = { .lab = u_xstrdup("11-lost-update"), .title = u_xstrdup("Lost update"), .label = u_xstrdup("test") };
	r.order[r.ngates++] = GATE_HELGRIND;
	struct gate_result *g = &r.gates[GATE_HELGRIND];
	g->id = GATE_HELGRIND;
	g->status = RESULT_PASS;
	g->reason = u_xstrdup("no Helgrind error (1 report noted as the tool's known limit)");
	struct finding *x = finding_add(&g->notes, "helgrind", "Misc");
	x->evidence = u_xstrdup("Thread #2: Bug in libpthread: recursive write lock granted");
	x->file = u_xstrdup("counter.c");
	x->line = 18;
	x->limit = u_xstrdup("Helgrind's model of pthread_spin_lock");
	int points[GATE_COUNT] = { [GATE_HELGRIND] = 20 };
	result_score(&r, points);
	ck_assert_double_eq(r.score, 20);
	char *text = NULL, *json = NULL;
	size_t len = 0, jlen = 0;
	FILE *out = open_memstream(&text, &len), *jout = open_memstream(&json, &jlen);
	struct report_style st = { 0 };
	report_gate(out, &r, GATE_HELGRIND, &st);
	ck_assert_int_eq(fmt_find("json")(&r, jout), 0);
	fclose(out);
	fclose(jout);
	ck_assert_msg(strstr(text, "note, not counted: Thread #2: Bug in libpthread: recursive write lock granted (counter.c:18)") &&
		      strstr(text, "Helgrind's model of pthread_spin_lock"), "%s", text);
	ck_assert_msg(strstr(json, "\"notes\": [") && strstr(json, "\"limit\": \"Helgrind's model of pthread_spin_lock\""), "%s", json);
	free(text);
	free(json);
	result_free(&r);
}
END_TEST

Suite *limit_suite(void)
{
	Suite *s = suite_create("limit");
	TCase *tc = tcase_create("limits");
	tcase_add_test(tc, access_names_the_call_at_a_site);
	tcase_add_test(tc, valgrind_marks_the_sites_of_a_lock_order);
	tcase_add_test(tc, trylock_edge_is_a_note_only_beside_tsan);
	tcase_add_test(tc, spinlock_recursive_grant_is_a_note);
	tcase_add_test(tc, races_on_or_ordered_by_atomics_are_notes_beside_tsan);
	tcase_add_test(tc, notes_show_in_report_and_json);
	suite_add_tcase(s, tc);
	return s;
}
