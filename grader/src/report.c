/**
 * @file report.c
 * @brief Text, Gradescope JSON, JUnit XML (libxml2's writer) and TAP.
 */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/** Loops over an array of exercise_grade() results: @p ex takes each one in
 *  turn, @p i its index (a `size_t`). */
#define EXERCISES_FOREACH(exercises, i, ex) json_array_foreach((exercises), (i), (ex))

static const char *str_of(json_t *object, const char *key)
{
    const char *value = json_string_value(json_object_get(object, key));
    return value ? value : "";
}

static double num_of(json_t *object, const char *key)
{
    return json_number_value(json_object_get(object, key));
}

/* "02-heap/vector/grows_past_capacity": the stable name of a test. */
static char *test_id(json_t *exercise, json_t *test)
{
    return str_printf("%s/%s/%s", str_of(exercise, "lesson"), str_of(test, "suite"),
                      str_of(test, "name"));
}

struct report_totals report_sum(json_t *exercises)
{
    struct report_totals totals = { 0 };
    size_t i, j;
    json_t *ex, *test;
    EXERCISES_FOREACH(exercises, i, ex) {
        if (!json_is_null(json_object_get(ex, "error")))
            totals.errors++;
        json_array_foreach(json_object_get(ex, "tests"), j, test) {
            totals.score += num_of(test, "score");
            totals.max_score += num_of(test, "max_score");
            totals.tests++;
            totals.passed += strcmp(str_of(test, "status"), "passed") == 0;
        }
    }
    return totals;
}

/* Prints @p text with every line indented by @p indent spaces. */
static void print_indented(FILE *out, const char *text, int indent)
{
    while (*text) {
        const char *end = strchr(text, '\n');
        int len = end ? (int)(end - text) : (int)strlen(text);
        fprintf(out, "%*s%.*s\n", indent, "", len, text);
        text += len + (end ? 1 : 0);
    }
}

static void lesson_footer(FILE *out, const char *slug, double score, double max)
{
    fprintf(out, "  lesson %s: %g/%g\n\n", slug, score, max);
}

void report_text(FILE *out, json_t *exercises, bool verbose)
{
    const char *lesson = NULL;
    double lesson_score = 0, lesson_max = 0;
    size_t i, j;
    json_t *ex, *test;
    EXERCISES_FOREACH(exercises, i, ex) {
        const char *slug = str_of(ex, "lesson");
        if (!lesson || strcmp(lesson, slug) != 0) {
            if (lesson)
                lesson_footer(out, lesson, lesson_score, lesson_max);
            fprintf(out, "%s\n", slug);
            lesson = slug;
            lesson_score = lesson_max = 0;
        }
        fprintf(out, "  %s\n", str_of(ex, "exercise"));
        if (!json_is_null(json_object_get(ex, "error"))) {
            fprintf(out, "    GRADER ERROR (not your fault):\n");
            print_indented(out, str_of(ex, "error"), 6);
        }
        json_array_foreach(json_object_get(ex, "tests"), j, test) {
            bool passed = strcmp(str_of(test, "status"), "passed") == 0;
            double score = num_of(test, "score"), max = num_of(test, "max_score");
            lesson_score += score;
            lesson_max += max;
            fprintf(out, "    %s %4g/%-2g %s/%s\n", passed ? "PASS" : "FAIL", score, max,
                    str_of(test, "suite"), str_of(test, "name"));
            if (!passed || verbose) {
                print_indented(out, str_of(test, "description"), 14);
                print_indented(out, str_of(test, "output"), 14);
            }
        }
    }
    if (lesson)
        lesson_footer(out, lesson, lesson_score, lesson_max);
    struct report_totals totals = report_sum(exercises);
    fprintf(out, "total: %g/%g points, %zu of %zu tests with full points\n", totals.score,
            totals.max_score, totals.passed, totals.tests);
}

int report_gradescope(const char *path, json_t *exercises, const char *error,
                      double seconds)
{
    struct report_totals totals = report_sum(exercises);
    json_t *tests = json_array();
    char *summary = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&summary, &size);
    if (!out || !tests)
        return -ENOMEM;
    if (error)
        fprintf(out, "Grading failed: %s\n", error);
    size_t i, j;
    json_t *ex, *test;
    int number = 0;
    EXERCISES_FOREACH(exercises, i, ex) {
        if (!json_is_null(json_object_get(ex, "error")))
            fprintf(out, "%s/%s: grader error: %s\n", str_of(ex, "lesson"),
                    str_of(ex, "exercise"), str_of(ex, "error"));
        json_array_foreach(json_object_get(ex, "tests"), j, test) {
            char *name = test_id(ex, test);
            char *text = str_printf("%s\n%s", str_of(test, "description"),
                                    str_of(test, "output"));
            json_array_append_new(tests, json_pack(
                "{s:s, s:s, s:f, s:f, s:s, s:s, s:s}", "name", name ? name : "",
                "number", "", "score", num_of(test, "score"), "max_score",
                num_of(test, "max_score"), "status", str_of(test, "status"), "output",
                text ? text : "", "visibility", "visible"));
            json_object_set_new(json_array_get(tests, json_array_size(tests) - 1), "number",
                                json_sprintf("%d", ++number));
            free(name), free(text);
        }
    }
    fprintf(out, "%g/%g points; %zu of %zu tests with full points.\n", totals.score,
            totals.max_score, totals.passed, totals.tests);
    fclose(out);
    json_t *doc = json_pack("{s:f, s:f, s:f, s:s, s:o}", "score", error ? 0.0 : totals.score,
                            "max_score", totals.max_score, "execution_time", seconds,
                            "output", summary, "tests", tests);
    free(summary);
    int err = doc && json_dump_file(doc, path, JSON_INDENT(2)) == 0 ? 0 : -EIO;
    json_decref(doc);
    return err;
}

int report_junit(const char *path, json_t *exercises, const char *error)
{
    xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
    if (!w)
        return -EIO;
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "testsuites");
    if (error) {
        xmlTextWriterStartElement(w, BAD_CAST "testsuite");
        xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "grader");
        xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "1");
        xmlTextWriterStartElement(w, BAD_CAST "testcase");
        xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "grading");
        xmlTextWriterStartElement(w, BAD_CAST "error");
        xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST error);
        xmlTextWriterEndElement(w);
        xmlTextWriterEndElement(w);
        xmlTextWriterEndElement(w);
    }
    size_t i, j;
    json_t *ex, *test;
    EXERCISES_FOREACH(exercises, i, ex) {
        json_t *tests = json_object_get(ex, "tests");
        size_t failures = 0;
        json_array_foreach(tests, j, test)
            failures += strcmp(str_of(test, "status"), "passed") != 0;
        char *suite = str_printf("%s/%s", str_of(ex, "lesson"), str_of(ex, "exercise"));
        xmlTextWriterStartElement(w, BAD_CAST "testsuite");
        xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST suite);
        xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", json_array_size(tests));
        xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", failures);
        xmlTextWriterWriteFormatAttribute(w, BAD_CAST "errors", "%d",
                                          !json_is_null(json_object_get(ex, "error")));
        json_array_foreach(tests, j, test) {
            xmlTextWriterStartElement(w, BAD_CAST "testcase");
            xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST suite);
            char *name = str_printf("%s/%s", str_of(test, "suite"), str_of(test, "name"));
            xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name);
            free(name);
            if (strcmp(str_of(test, "status"), "passed") != 0) {
                xmlTextWriterStartElement(w, BAD_CAST "failure");
                xmlTextWriterWriteFormatAttribute(w, BAD_CAST "message", "%g/%g points",
                                                  num_of(test, "score"),
                                                  num_of(test, "max_score"));
                xmlTextWriterWriteString(w, BAD_CAST str_of(test, "output"));
                xmlTextWriterEndElement(w);
            }
            xmlTextWriterEndElement(w);
        }
        xmlTextWriterEndElement(w);
        free(suite);
    }
    xmlTextWriterEndElement(w);
    int err = xmlTextWriterEndDocument(w) < 0 ? -EIO : 0;
    xmlFreeTextWriter(w);
    return err;
}

int report_tap(const char *path, json_t *exercises, const char *error)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -errno;
    struct report_totals totals = report_sum(exercises);
    fprintf(out, "TAP version 13\n");
    if (error) {
        fprintf(out, "1..0\nBail out! %s\n", error);
        return fclose(out) == 0 ? 0 : -errno;
    }
    fprintf(out, "1..%zu\n", totals.tests);
    size_t i, j, number = 0;
    json_t *ex, *test;
    EXERCISES_FOREACH(exercises, i, ex) {
        json_array_foreach(json_object_get(ex, "tests"), j, test) {
            char *name = test_id(ex, test);
            bool passed = strcmp(str_of(test, "status"), "passed") == 0;
            fprintf(out, "%sok %zu - %s # %g/%g points\n", passed ? "" : "not ", ++number,
                    name ? name : "", num_of(test, "score"), num_of(test, "max_score"));
            if (!passed) {
                fprintf(out, "  ---\n  message: |\n");
                print_indented(out, str_of(test, "output"), 4);
                fprintf(out, "  ...\n");
            }
            free(name);
        }
    }
    return fclose(out) == 0 ? 0 : -errno;
}
