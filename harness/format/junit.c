/* junit.c: the result as JUnit XML, as GitLab and Jenkins read it (libxml2's xmlTextWriter). */
#include <libxml/xmlwriter.h>
#include <stdlib.h>

#include "fmt.h"
#include "junit.h"

#define X(s) ((const xmlChar *)(s))

struct junit_counts {
	int tests, failures, errors, skipped;
};

static void junit_count(const struct result *r, struct junit_counts *n)
{
	for (int i = 0; i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		n->tests += 1 + g->ncases;
		n->failures += g->status == RESULT_FAIL;
		n->errors += g->status == RESULT_ERROR;
		n->skipped += g->status == RESULT_SKIP;
		for (int c = 0; c < g->ncases; c++)
			n->failures += g->cases[c].status == RESULT_FAIL;
	}
}

static void junit_attr_counts(xmlTextWriterPtr w, const struct junit_counts *n, double seconds)
{
	xmlTextWriterWriteFormatAttribute(w, X("tests"), "%d", n->tests);
	xmlTextWriterWriteFormatAttribute(w, X("failures"), "%d", n->failures);
	xmlTextWriterWriteFormatAttribute(w, X("errors"), "%d", n->errors);
	xmlTextWriterWriteFormatAttribute(w, X("skipped"), "%d", n->skipped);
	xmlTextWriterWriteFormatAttribute(w, X("time"), "%.3f", seconds);
}

static void junit_property(xmlTextWriterPtr w, const char *name, const char *value)
{
	xmlTextWriterStartElement(w, X("property"));
	xmlTextWriterWriteAttribute(w, X("name"), X(name));
	xmlTextWriterWriteAttribute(w, X("value"), X(value));
	xmlTextWriterEndElement(w);
}

static void junit_properties(xmlTextWriterPtr w, const struct result *r)
{
	char *score = u_fmt("%.4g", r->score), *max = u_fmt("%d", r->max_score), *counted = u_fmt("%d", r->counted_max);
	char *graded = u_list_join(&r->graded, ", "), *ignored = u_list_join(&r->ignored, ", ");
	xmlTextWriterStartElement(w, X("properties"));
	junit_property(w, "title", r->title);
	junit_property(w, "graded_as", r->label);
	junit_property(w, "score", score);
	junit_property(w, "max_score", max);
	junit_property(w, "counted_max_score", counted);
	junit_property(w, "graded_files", graded);
	junit_property(w, "ignored_files", ignored);
	xmlTextWriterEndElement(w);
	free(score), free(max), free(counted), free(graded), free(ignored);
}

/* One testcase: its verdict element (none when it passed), then its text. */
static void junit_case(xmlTextWriterPtr w, const char *classname, const char *name, double seconds,
		       enum result_status st, const char *message, const char *type, const char *detail, const char *text)
{
	static const char *const tag[] = { NULL, "failure", "error", "skipped" };
	xmlTextWriterStartElement(w, X("testcase"));
	xmlTextWriterWriteAttribute(w, X("classname"), X(classname));
	xmlTextWriterWriteAttribute(w, X("name"), X(name));
	xmlTextWriterWriteFormatAttribute(w, X("time"), "%.3f", seconds);
	if (tag[st]) {
		xmlTextWriterStartElement(w, X(tag[st]));
		xmlTextWriterWriteAttribute(w, X("message"), X(message));
		if (st != RESULT_SKIP) {
			xmlTextWriterWriteAttribute(w, X("type"), X(type));
			xmlTextWriterWriteString(w, X(detail));
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterWriteElement(w, X("system-out"), X(text));
	xmlTextWriterEndElement(w);
}

static void junit_gate(xmlTextWriterPtr w, const struct result *r, const struct gate_result *g)
{
	char *cls = u_fmt("racelab.%s", r->lab), *text = fmt_gate_text(g), *kinds = u_list_join(&g->kinds, ",");
	junit_case(w, cls, gate_names[g->id], g->seconds, g->status, g->reason ? g->reason : "",
		   *kinds ? kinds : status_names[g->status], g->detail ? g->detail : "", text);
	free(cls);
	cls = u_fmt("racelab.%s.%s", r->lab, gate_names[g->id]);
	for (int c = 0; c < g->ncases; c++)
		junit_case(w, cls, g->cases[c].name, 0, g->cases[c].status, g->cases[c].message, "fail",
			   g->cases[c].message, g->cases[c].message);
	free(cls), free(text), free(kinds);
}

int junit_write(const struct result *r, FILE *out)
{
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(out, NULL);
	xmlTextWriterPtr w = buf ? xmlNewTextWriter(buf) : NULL;
	if (!w)
		return -1;
	struct junit_counts n = { 0 };
	junit_count(r, &n);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, X("testsuites"));
	xmlTextWriterWriteAttribute(w, X("name"), X("racelab"));
	junit_attr_counts(w, &n, r->seconds);
	xmlTextWriterStartElement(w, X("testsuite"));
	xmlTextWriterWriteAttribute(w, X("name"), X(r->lab));
	junit_attr_counts(w, &n, r->seconds);
	junit_properties(w, r);
	for (int i = 0; i < r->ngates; i++)
		junit_gate(w, r, &r->gates[r->order[i]]);
	char *summary = fmt_summary(r);
	xmlTextWriterWriteElement(w, X("system-out"), X(summary));
	free(summary);
	int rc = xmlTextWriterEndDocument(w) < 0 ? -1 : 0;
	xmlFreeTextWriter(w); /* flushes and frees buf, not out */
	return rc;
}
