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
#include <unistd.h>

#include "util.h"

/** Loops over an array of exercise results (exercise.h): @p ex takes each in
 *  turn, @p i its index (a `size_t`). */
#define EXERCISES_FOREACH(exercises, i, ex) json_array_foreach((exercises), (i), (ex))

/** What learners read when grading stopped as a whole: never the error
 *  itself, which can name an instructor's hidden test file or folder. */
#define GRADING_FAILED "The grader could not grade this submission; your instructor has " \
                       "the details (the grader's log). This is not your fault."

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

/* Adds one test's verdict to @p totals. */
static void totals_add(struct report_totals *totals, json_t *test)
{
    totals->score += num_of(test, "score");
    totals->max_score += num_of(test, "max_score");
    totals->tests++;
    totals->passed += strcmp(str_of(test, "status"), "passed") == 0;
}

struct report_totals report_sum(json_t *exercises)
{
    struct report_totals totals = { 0 };
    size_t i, j;
    json_t *ex, *test;
    EXERCISES_FOREACH(exercises, i, ex) {
        if (!json_is_null(json_object_get(ex, "error")))
            totals.errors++;
        json_array_foreach(json_object_get(ex, "tests"), j, test)
            totals_add(&totals, test);
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

/** Width of a score bar, in characters. */
#define BAR_WIDTH 20

/** ANSI SGR sequences, or empty strings when colour is off. */
struct palette {
    const char *bold;  /**< headings */
    const char *dim;   /**< test descriptions */
    const char *pass;  /**< PASS, done: green */
    const char *fail;  /**< FAIL, failing exercises: red */
    const char *warn;  /**< compiler messages, grader errors: yellow */
    const char *reset; /**< back to plain text */
};

static struct palette palette_for(bool color)
{
    if (!color)
        return (struct palette){ "", "", "", "", "", "" };
    return (struct palette){ "\033[1m", "\033[2m", "\033[32m", "\033[31m", "\033[33m",
                             "\033[0m" };
}

bool report_color_wanted(FILE *out)
{
    const char *no_color = getenv("NO_COLOR");
    const char *force = getenv("CLICOLOR_FORCE");
    const char *term = getenv("TERM");
    if (no_color && *no_color)
        return false;
    if (force && *force && strcmp(force, "0") != 0)
        return true;
    if (term && strcmp(term, "dumb") == 0)
        return false;
    int fd = fileno(out);
    return fd >= 0 && isatty(fd);
}

/** What one exercise earned, for the table and the details. */
struct exercise_sum {
    double score;   /**< points earned */
    double max;     /**< points available */
    size_t tests;   /**< tests graded */
    size_t failing; /**< tests without full points */
    bool error;     /**< grading itself failed: not the learner's fault */
};

static struct exercise_sum exercise_sum_of(json_t *ex)
{
    json_t *error = json_object_get(ex, "error");
    struct exercise_sum sum = { .error = error && !json_is_null(error) };
    size_t j;
    json_t *test;
    json_array_foreach(json_object_get(ex, "tests"), j, test) {
        sum.score += num_of(test, "score");
        sum.max += num_of(test, "max_score");
        sum.tests++;
        sum.failing += strcmp(str_of(test, "status"), "passed") != 0;
    }
    return sum;
}

static bool exercise_failed(const struct exercise_sum *sum)
{
    return sum->error || sum->failing > 0 || sum->tests == 0;
}

/* A test's Gradescope visibility: "visible" unless it declared another. */
static const char *visibility_of(json_t *test)
{
    const char *visibility = json_string_value(json_object_get(test, "visibility"));
    return visibility ? visibility : "visible";
}

static bool is_visible(json_t *test)
{
    return strcmp(visibility_of(test), "visible") == 0;
}

/* The exercise's file as the learner submitted it, or where the course
 * expects it ("02-heap/vector.c"); owned by the caller. */
static char *file_of(json_t *ex)
{
    const char *file = str_of(ex, "file");
    if (*file)
        return strdup(file);
    return str_printf("%s/%s.c", str_of(ex, "lesson"), str_of(ex, "exercise"));
}

/* Whether none of the exercise's tests ran because its file did not build
 * (exercise.c's verdicts_unbuilt() says so in every test). */
static bool exercise_unbuilt(json_t *ex)
{
    json_t *tests = json_object_get(ex, "tests"), *test;
    size_t j;
    if (json_array_size(tests) == 0)
        return false;
    json_array_foreach(tests, j, test) {
        if (!strstr(str_of(test, "output"), "did not build, so none of its tests ran"))
            return false;
    }
    return true;
}

/* The first line of @p text that contains @p word, or its first line; at
 * most @p cap characters; owned by the caller. */
static char *line_with(const char *text, const char *word, size_t cap)
{
    const char *at = strstr(text, word);
    const char *start = text;
    if (at) {
        start = at;
        while (start > text && start[-1] != '\n')
            start--;
    }
    size_t len = strcspn(start, "\n");
    return strndup(start, len < cap ? len : cap);
}

/** Longest first line of a compiler message quoted in a note. */
#define NOTE_LINE_MAX 160

/* Why a found file did not build, in one line: the checks' refusal, or the
 * compiler's first error ("02-heap/vector.c:12:5: error: ..." becomes
 * "line 12: ..."). */
static char *unbuilt_note(json_t *ex)
{
    const char *log = str_of(ex, "build_log");
    char *file = file_of(ex);
    char *shown = str_printf("%s/%s.c", str_of(ex, "lesson"), str_of(ex, "exercise"));
    char *note = NULL;
    const char *refused = shown ? strstr(log, " was refused: ") : NULL;
    if (refused && strncmp(log, shown, strlen(shown)) == 0) {
        /* "it calls 'dlopen', which this lesson does not allow (...)." */
        const char *why = refused + strlen(" was refused: ");
        size_t len = strcspn(why, "(\n");
        while (len > 0 && (why[len - 1] == ' ' || why[len - 1] == '.'))
            len--;
        note = str_printf("%s was refused: %.*s", file ? file : "",
                          (int)(len < NOTE_LINE_MAX ? len : NOTE_LINE_MAX), why);
    } else {
        char *line = line_with(log, ": error: ", NOTE_LINE_MAX);
        const char *rest = line ? line : "";
        long number = 0;
        int skip = 0;
        if (shown && strncmp(rest, shown, strlen(shown)) == 0
            && sscanf(rest + strlen(shown), ":%ld:%*d: error: %n", &number, &skip) >= 1
            && skip > 0)
            note = str_printf("%s did not build: line %ld: %s", file ? file : "", number,
                              rest + strlen(shown) + skip);
        else
            note = str_printf("%s did not build%s%s", file ? file : "", *rest ? ": " : "",
                              rest);
        free(line);
    }
    free(file), free(shown);
    return note;
}

/* Appends @p item to the comma-separated @p list (which it frees). */
static char *list_add(char *list, const char *item)
{
    char *longer = list ? str_printf("%s, %s", list, item) : strdup(item);
    free(list);
    return longer;
}

json_t *report_notes(json_t *exercises, bool visible_only)
{
    json_t *notes = json_array();
    if (!notes)
        return NULL;
    size_t i, j, n_missing_files = 0;
    json_t *ex, *test;
    EXERCISES_FOREACH(exercises, i, ex)
        n_missing_files += *str_of(ex, "discovery") != '\0';
    bool none_found = json_array_size(exercises) > 0
                      && n_missing_files == json_array_size(exercises);
    if (none_found) {
        const char *why = str_of(json_array_get(exercises, 0), "submission_note");
        json_array_append_new(notes, json_sprintf("no exercise file was found in the "
                                                  "submission%s%s",
                                                  *why ? ": " : "", why));
    }
    char *missing = NULL, *zero = NULL;
    json_t *later = json_array();
    EXERCISES_FOREACH(exercises, i, ex) {
        const char *kind = str_of(ex, "discovery");
        char *name = str_printf("%s/%s", str_of(ex, "lesson"), str_of(ex, "exercise"));
        if (!name)
            continue;
        if (strcmp(kind, "missing") == 0 && none_found) {
            /* Said once, above. */
        } else if (strcmp(kind, "missing") == 0) {
            char *file = str_printf("%s.c", name);
            missing = list_add(missing, file ? file : name);
            free(file);
        } else if (*kind) {
            /* Discovery's own sentence: "did you mean", the refused link. */
            json_array_append_new(notes, json_string(str_of(ex, "build_log")));
        } else if (json_object_get(ex, "error") && !json_is_null(json_object_get(ex, "error"))) {
            json_array_append_new(later, json_sprintf("%s: not graded: the grader failed "
                                                      "on it (not the learner's fault)", name));
        } else if (exercise_unbuilt(ex)) {
            char *note = unbuilt_note(ex);
            if (note)
                json_array_append_new(notes, json_string(note));
            free(note);
        } else {
            size_t timed_out = 0, shown = 0;
            double score = 0;
            json_array_foreach(json_object_get(ex, "tests"), j, test) {
                if (visible_only && !is_visible(test))
                    continue;
                shown++;
                score += num_of(test, "score");
                const char *output = str_of(test, "output");
                timed_out += strstr(output, "timed out") != NULL
                             || strstr(output, "time budget ran out") != NULL;
            }
            if (timed_out)
                json_array_append_new(later, json_sprintf("%s: %zu test%s timed out (or %s "
                                                          "skipped after a timeout)",
                                                          name, timed_out,
                                                          timed_out == 1 ? "" : "s",
                                                          timed_out == 1 ? "was" : "were"));
            else if (shown > 0 && score == 0)
                zero = list_add(zero, name);
        }
        free(name);
    }
    if (missing)
        json_array_insert_new(notes, none_found ? 1 : 0, json_sprintf("missing from the submission: %s",
                                                     missing));
    json_array_extend(notes, later);
    json_decref(later);
    if (zero)
        json_array_append_new(notes, json_sprintf("no test passes: %s", zero));
    free(missing), free(zero);
    return notes;
}

/* Prints "[#########...........]": @p score of @p max, filled to the left. */
static void print_bar(FILE *out, const struct palette *c, const char *colour, double score,
                      double max)
{
    int filled = max > 0 ? (int)(score / max * BAR_WIDTH + 0.5) : 0;
    if (filled > BAR_WIDTH)
        filled = BAR_WIDTH;
    if (filled == BAR_WIDTH && score < max)
        filled = BAR_WIDTH - 1; /* a full bar means full marks, nothing less */
    if (filled < 0)
        filled = 0;
    fprintf(out, "[%s", colour);
    for (int k = 0; k < BAR_WIDTH; k++)
        fputc(k < filled ? '#' : '.', out);
    fprintf(out, "%s]", c->reset);
}

/* Prints a score as "  12/16 " or " 7.5/8  ": aligned on the slash, each
 * side @p width characters wide. */
static void print_score(FILE *out, double score, double max, int width)
{
    char left[32], right[32];
    snprintf(left, sizeof(left), "%g", score);
    snprintf(right, sizeof(right), "%g", max);
    fprintf(out, "%*s/%-*s", width, left, width, right);
}

/** Failures explained in full per exercise, unless verbose: the first ones
 *  are what to fix first, and more would scroll the table away. */
#define EXPLAINED_FAILURES 3

/** Where a test's explanation starts: under its name in "  FAIL 0.5/1   name". */
#define DETAIL_INDENT 16

static int name_width(json_t *exercises)
{
    int width = (int)strlen("total");
    size_t i;
    json_t *ex;
    EXERCISES_FOREACH(exercises, i, ex) {
        int len = (int)strlen(str_of(ex, "exercise"));
        if (len > width)
            width = len;
    }
    return width;
}

/* The summary table: one line per exercise, lessons as headings. */
static void print_table(FILE *out, json_t *exercises, const struct palette *c)
{
    int width = name_width(exercises);
    const char *lesson = NULL;
    size_t i;
    json_t *ex;
    EXERCISES_FOREACH(exercises, i, ex) {
        const char *slug = str_of(ex, "lesson");
        if (!lesson || strcmp(lesson, slug) != 0)
            fprintf(out, "%s%s%s\n", c->bold, slug, c->reset);
        lesson = slug;
        struct exercise_sum sum = exercise_sum_of(ex);
        bool failed = exercise_failed(&sum);
        const char *colour = sum.error ? c->warn : failed ? c->fail : c->pass;
        fprintf(out, "  %-*s ", width, str_of(ex, "exercise"));
        print_score(out, sum.score, sum.max, 4);
        fputc(' ', out);
        print_bar(out, c, colour, sum.score, sum.max);
        if (sum.error)
            fprintf(out, "  %sgrader error (not your fault)%s\n", c->warn, c->reset);
        else if (sum.failing == 0 && sum.tests > 0)
            fprintf(out, "  %sdone%s\n", c->pass, c->reset);
        else
            fprintf(out, "  %s%zu of %zu tests fail%s\n", colour, sum.failing, sum.tests,
                    c->reset);
    }
    struct report_totals totals = report_sum(exercises);
    fprintf(out, "%s%-*s%s ", c->bold, width + 2, "total", c->reset);
    print_score(out, totals.score, totals.max_score, 4);
    fputc(' ', out);
    print_bar(out, c, totals.score < totals.max_score ? c->fail : c->pass, totals.score,
              totals.max_score);
    fprintf(out, "  %zu of %zu tests with full points\n", totals.passed, totals.tests);
}

/* Whether @p at, inside @p text, starts a path: at its start, or after a
 * space, a quote or a bracket (not inside a longer path). */
static bool path_starts(const char *text, const char *at)
{
    return at == text || strchr(" \t\n'\"(`", at[-1]) != NULL;
}

/* @p text with the learner's file named as they open it: the messages name
 * it "02-heap/vector.c"; the learner submitted "exercises/02-heap/vector.c"
 * (the exercise's "file"). Owned by the caller; NULL when out of memory. */
static char *text_shown(json_t *ex, const char *text)
{
    const char *file = str_of(ex, "file");
    char *internal = str_printf("%s/%s.c", str_of(ex, "lesson"), str_of(ex, "exercise"));
    if (!internal || !*file || strcmp(file, internal) == 0) {
        free(internal);
        return strdup(text);
    }
    char *shown = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&shown, &size);
    size_t len = strlen(internal);
    for (const char *at = text; out && *at;) {
        const char *hit = strstr(at, internal);
        while (hit && !path_starts(text, hit))
            hit = strstr(hit + 1, internal);
        if (!hit) {
            fputs(at, out);
            break;
        }
        fprintf(out, "%.*s%s", (int)(hit - at), at, file);
        at = hit + len;
    }
    free(internal);
    if (!out || fclose(out) != 0) {
        free(shown);
        return NULL;
    }
    return shown;
}

/* Prints @p text, with the learner's file as they open it, indented. */
static void print_shown(FILE *out, json_t *ex, const char *text, int indent)
{
    char *shown = text_shown(ex, text);
    print_indented(out, shown ? shown : text, indent);
    free(shown);
}

/** What marks a compiler's warning line (gcc's format). */
#define WARNING_MARK ": warning: "

static size_t warnings_count(const char *log)
{
    size_t n = 0;
    for (const char *at = strstr(log, WARNING_MARK); at; at = strstr(at + 1, WARNING_MARK))
        n++;
    return n;
}

/* "1 compiler warning:" and each warning on one line, for an exercise that
 * built: a C course reads its warnings even when every test passes. */
static void print_warnings(FILE *out, json_t *ex, const struct palette *c)
{
    const char *log = str_of(ex, "build_log");
    size_t n = warnings_count(log);
    if (n == 0)
        return;
    fprintf(out, "\n%s%s/%s: %zu compiler warning%s:%s\n", c->warn, str_of(ex, "lesson"),
            str_of(ex, "exercise"), n, n == 1 ? "" : "s", c->reset);
    for (const char *line = log; *line;) {
        size_t len = strcspn(line, "\n");
        char *one = strndup(line, len);
        if (one && strstr(one, WARNING_MARK))
            print_shown(out, ex, one, 2);
        free(one);
        line += len + (line[len] == '\n');
    }
}

/* An exercise whose file did not build: the messages once, no test list. */
static void print_unbuilt(FILE *out, json_t *ex, const struct palette *c,
                          const char *submission)
{
    const char *log = str_of(ex, "build_log");
    bool compiler = strstr(log, ": error: ") || strstr(log, WARNING_MARK);
    fprintf(out, "  %s%s%s\n", c->warn,
            compiler ? "the compiler says:" : "it was not built:", c->reset);
    print_shown(out, ex, log, 4);
    if (!*str_of(ex, "file") && strstr(log, " is missing from the submission"))
        fprintf(out, "    (looked for %s/%s/%s.c)\n", submission, str_of(ex, "lesson"),
                str_of(ex, "exercise"));
    struct exercise_sum sum = exercise_sum_of(ex);
    fprintf(out, "  none of its %zu test%s ran (0/%g points)\n", sum.tests,
            sum.tests == 1 ? "" : "s", sum.max);
}

/* Every test of one exercise; failures (all, when verbose) explained. A
 * message repeated from the test above is not printed again. */
static void print_details(FILE *out, json_t *ex, const struct palette *c,
                          const struct report_style *style)
{
    bool verbose = style->verbose;
    struct exercise_sum sum = exercise_sum_of(ex);
    const char *name = str_of(ex, "exercise");
    fprintf(out, "\n%s%s/%s%s: ", c->bold, str_of(ex, "lesson"), name, c->reset);
    if (sum.error)
        fprintf(out, "%sgrading failed; this is not your fault%s\n", c->warn, c->reset);
    else if (sum.failing)
        fprintf(out, "%s%zu of %zu tests fail%s\n", c->fail, sum.failing, sum.tests, c->reset);
    else
        fprintf(out, "%severy test passes%s\n", c->pass, c->reset);
    if (sum.error)
        print_indented(out, str_of(ex, "error"), 4);
    if (!sum.error && exercise_unbuilt(ex)) {
        print_unbuilt(out, ex, c, style->submission ? style->submission : "exercises");
        return;
    }
    const char *log = str_of(ex, "build_log");
    if (*log) {
        fprintf(out, "  %sthe compiler says:%s\n", c->warn, c->reset);
        print_shown(out, ex, log, 4);
    }
    const char *previous = NULL;
    size_t j, explained = 0, unexplained = 0;
    json_t *test;
    json_array_foreach(json_object_get(ex, "tests"), j, test) {
        bool passed = strcmp(str_of(test, "status"), "passed") == 0;
        const char *suite = str_of(test, "suite");
        fprintf(out, "  %s%s%s ", passed ? c->pass : c->fail, passed ? "PASS" : "FAIL",
                c->reset);
        print_score(out, num_of(test, "score"), num_of(test, "max_score"), 3);
        fputs("  ", out);
        if (*suite && strcmp(suite, name) != 0)
            fprintf(out, "%s/", suite);
        fprintf(out, "%s\n", str_of(test, "name"));
        if (passed && !verbose)
            continue;
        if (!passed && !verbose && explained++ >= EXPLAINED_FAILURES) {
            unexplained++;
            continue;
        }
        const char *description = str_of(test, "description");
        if (*description) {
            fputs(c->dim, out);
            print_indented(out, description, DETAIL_INDENT);
            fputs(c->reset, out);
        }
        const char *output = str_of(test, "output");
        const char *quoted = *log ? strstr(output, log) : NULL;
        if (previous && *output && strcmp(output, previous) == 0) {
            print_indented(out, "(the same message as the test above)", DETAIL_INDENT);
        } else if (quoted) {
            /* The compiler's messages are printed once, above. */
            char *before = strndup(output, (size_t)(quoted - output));
            print_shown(out, ex, before ? before : "", DETAIL_INDENT);
            print_indented(out, "(the compiler's messages, above)", DETAIL_INDENT);
            print_shown(out, ex, quoted + strlen(log), DETAIL_INDENT);
            free(before);
        } else {
            print_shown(out, ex, output, DETAIL_INDENT);
        }
        const char *raw = str_of(test, "sanitizer_report");
        if (verbose && *raw) {
            print_indented(out, "The sanitizer's own report:", DETAIL_INDENT);
            print_shown(out, ex, raw, DETAIL_INDENT + 2);
        }
        if (*output)
            previous = output;
    }
    const char *failures = unexplained == 1 ? "failure" : "failures";
    if (unexplained && style->hosted)
        fprintf(out, "  (%zu more %s, each explained in its test's own output)\n",
                unexplained, failures);
    else if (unexplained)
        fprintf(out, "  (%zu more %s, explained with --verbose: `make check EXERCISE=%s "
                     "VERBOSE=1`)\n",
                unexplained, failures, name);
}

/* The "next:" advice where the report is read on a platform: the file as
 * the learner submitted it, and no command to run. With @p visible_only,
 * an exercise whose only failures are in tests the learner may not see yet
 * is not named (that would tell a hidden test's result). Owned by the
 * caller. */
static char *report_next_hosted(json_t *exercises, bool visible_only)
{
    size_t i, j;
    json_t *ex, *test;
    EXERCISES_FOREACH(exercises, i, ex) {
        struct exercise_sum sum = exercise_sum_of(ex);
        if (visible_only && !sum.error) {
            sum.failing = sum.tests = 0;
            json_array_foreach(json_object_get(ex, "tests"), j, test) {
                if (!is_visible(test))
                    continue;
                sum.tests++;
                sum.failing += strcmp(str_of(test, "status"), "passed") != 0;
            }
            if (sum.tests == 0 && *str_of(ex, "discovery") == '\0' && !exercise_unbuilt(ex))
                continue; /* only hidden tests: nothing to say */
        }
        if (!exercise_failed(&sum))
            continue;
        const char *name = str_of(ex, "exercise");
        char *file = file_of(ex);
        char *next;
        if (sum.error)
            next = str_printf("grading %s failed (not your fault); submit again, and tell "
                              "your instructor if it persists.", name);
        else if (*str_of(ex, "discovery"))
            next = str_printf("%s was not graded: %s", name, str_of(ex, "build_log"));
        else if (exercise_unbuilt(ex) && strstr(str_of(ex, "build_log"), " was refused: "))
            next = str_printf("%s was refused (its tests' output says why): change it, then "
                              "submit again.", file ? file : "");
        else if (exercise_unbuilt(ex))
            next = str_printf("make %s compile: fix %s as the compiler's messages say, then "
                              "submit again.", name, file ? file : "");
        else
            next = str_printf("fix %s in %s (its failing tests say what to look at), then "
                              "submit again.", name, file ? file : "");
        free(file);
        return next;
    }
    return strdup(visible_only ? "every test shown here passes in full."
                               : "every exercise graded here passes in full.");
}

void report_text_styled(FILE *out, json_t *exercises, const struct report_style *style)
{
    struct palette c = palette_for(style->color);
    const char *submission = style->submission ? style->submission : "exercises";
    print_table(out, exercises, &c);

    json_t *first_failed = NULL;
    size_t i, n_failed = 0;
    json_t *ex;
    EXERCISES_FOREACH(exercises, i, ex) {
        struct exercise_sum sum = exercise_sum_of(ex);
        bool failed = exercise_failed(&sum);
        if (failed && !first_failed)
            first_failed = ex;
        n_failed += failed;
        if (style->verbose || (failed && ex == first_failed) || sum.error)
            print_details(out, ex, &c, style);
    }
    const char *exercises_fail = n_failed == 2 ? "exercise fails" : "exercises fail";
    if (!style->verbose && n_failed > 1 && style->hosted)
        fprintf(out, "\n(%zu more %s: each test's own output explains it)\n",
                n_failed - 1, exercises_fail);
    else if (!style->verbose && n_failed > 1)
        fprintf(out, "\n(%zu more %s: their details with --verbose, or grade one "
                     "with `make check EXERCISE=NAME`)\n",
                n_failed - 1, exercises_fail);
    EXERCISES_FOREACH(exercises, i, ex) {
        /* Details print the compiler's messages whole. */
        struct exercise_sum sum = exercise_sum_of(ex);
        if (!(style->verbose || ex == first_failed || sum.error))
            print_warnings(out, ex, &c);
    }

    fputc('\n', out);
    if (style->hosted) {
        char *next = report_next_hosted(exercises, false);
        fprintf(out, "%snext:%s %s\n", c.bold, c.reset, next ? next : "");
        free(next);
        return;
    }
    if (!first_failed) {
        fprintf(out, "%snext:%s every exercise graded here passes in full. "
                     "`make next` shows what to do next.\n",
                c.bold, c.reset);
        return;
    }
    const char *name = str_of(first_failed, "exercise");
    if (exercise_sum_of(first_failed).error) {
        fprintf(out, "%snext:%s grading %s failed (see above); run `make check EXERCISE=%s` "
                     "again, and report it if it persists.\n",
                c.bold, c.reset, name, name);
        return;
    }
    const char *file = str_of(first_failed, "file");
    if (*file)
        fprintf(out, "%snext:%s fix %s in %s, then `make check EXERCISE=%s` "
                     "(stuck? `make hint EXERCISE=%s`)\n",
                c.bold, c.reset, name, file, name, name);
    else
        fprintf(out, "%snext:%s fix %s in %s/%s/%s.c, then `make check EXERCISE=%s` "
                     "(stuck? `make hint EXERCISE=%s`)\n",
                c.bold, c.reset, name, submission, str_of(first_failed, "lesson"), name,
                name, name);
}

void report_progress(FILE *out, size_t done, size_t total, json_t *result)
{
    bool tty = fileno(out) >= 0 && isatty(fileno(out));
    struct report_totals t = { 0 };
    if (result) {
        json_t *one = json_pack("[O]", result);
        t = report_sum(one);
        json_decref(one);
    }
    if (!tty) {
        if (result)
            fprintf(out, "[%2zu/%zu] %s/%s: %g/%g\n", done, total, str_of(result, "lesson"),
                    str_of(result, "exercise"), t.score, t.max_score);
        return;
    }
    struct palette c = palette_for(report_color_wanted(out));
    fprintf(out, "\r\033[Kgrading ");
    print_bar(out, &c, "", (double)done, (double)(total ? total : 1));
    fprintf(out, " %zu/%zu exercises", done, total);
    if (result)
        fprintf(out, "  last: %s %g/%g", str_of(result, "exercise"), t.score, t.max_score);
    fflush(out);
}

void report_progress_end(FILE *out)
{
    if (fileno(out) >= 0 && isatty(fileno(out))) {
        fprintf(out, "\r\033[K");
        fflush(out);
    }
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
        fputs(GRADING_FAILED "\n", out);
    size_t i, j;
    json_t *ex, *test;
    int number = 0;
    /* The summary is shown to learners at once: it counts only the tests
     * they may see now, and never quotes a grader error, which may name an
     * instructor's hidden test file (the text report, which Gradescope
     * shows only to instructors, has it in full). */
    struct report_totals shown = { 0 };
    EXERCISES_FOREACH(exercises, i, ex) {
        if (!json_is_null(json_object_get(ex, "error"))) {
            fprintf(out, "%s/%s: the grader failed on this exercise; your instructor "
                         "has the details.\n",
                    str_of(ex, "lesson"), str_of(ex, "exercise"));
        }
        json_array_foreach(json_object_get(ex, "tests"), j, test) {
            char *name = test_id(ex, test);
            char *text = str_printf("%s\n%s", str_of(test, "description"),
                                    str_of(test, "output"));
            const char *visibility = visibility_of(test);
            json_array_append_new(tests, json_pack(
                "{s:s, s:s, s:f, s:f, s:s, s:s, s:s}", "name", name ? name : "",
                "number", "", "score", num_of(test, "score"), "max_score",
                num_of(test, "max_score"), "status", str_of(test, "status"), "output",
                text ? text : "", "visibility", visibility));
            json_t *entry = json_array_get(tests, json_array_size(tests) - 1);
            json_object_set_new(entry, "number", json_sprintf("%d", ++number));
            /* Which exercise the test grades: a test's suite need not be
             * named after it (an instructor's hidden tests), and the
             * gradebook adds up points by exercise. */
            json_object_set_new(entry, "extra_data",
                                json_pack("{s:s, s:s, s:f, s:f, s:b}", "lesson",
                                          str_of(ex, "lesson"), "exercise",
                                          str_of(ex, "exercise"),
                                          "cpu_seconds", num_of(test, "cpu"),
                                          "body_cpu_seconds", num_of(test, "body_cpu"),
                                          "cpu_margin_ok",
                                          json_is_true(json_object_get(test, "cpu_margin_ok"))));
            if (*str_of(ex, "file"))
                json_object_set_new(json_object_get(entry, "extra_data"), "file",
                                    json_string(str_of(ex, "file")));
            if (strcmp(visibility, "visible") == 0)
                totals_add(&shown, test);
            free(name), free(text);
        }
    }
    fprintf(out, "%g/%g points; %zu of %zu tests with full points.\n", shown.score,
            shown.max_score, shown.passed, shown.tests);
    if (shown.tests < totals.tests)
        fprintf(out, "%zu more test%s count%s towards your grade; %s not shown here.\n",
                totals.tests - shown.tests, totals.tests - shown.tests == 1 ? "" : "s",
                totals.tests - shown.tests == 1 ? "s" : "",
                totals.tests - shown.tests == 1 ? "its result is" : "their results are");
    json_t *shown_notes = error ? json_array() : report_notes(exercises, true);
    json_t *all_notes = error ? json_array() : report_notes(exercises, false);
    json_t *note;
    if (json_array_size(shown_notes))
        fputs("Why points were lost:\n", out);
    json_array_foreach(shown_notes, i, note)
        fprintf(out, "  - %s\n", json_string_value(note));
    if (!error) {
        char *next = report_next_hosted(exercises, true);
        fprintf(out, "next: %s\n", next ? next : "");
        free(next);
    }
    json_decref(shown_notes);
    fclose(out);
    /* The grader's own stdout is for the instructor (Gradescope shows it to
     * them only, unless told otherwise). */
    json_t *doc = json_pack("{s:f, s:f, s:f, s:s, s:s, s:o}", "score",
                            error ? 0.0 : totals.score, "max_score", totals.max_score,
                            "execution_time", seconds, "output", summary,
                            "stdout_visibility", "hidden", "tests", tests);
    /* For the instructor's gradebook (grader/batch's notes column), and
     * what stopped the whole grading, named where learners do not look. */
    json_object_set_new(doc, "extra_data",
                        json_pack("{s:o}", "notes", all_notes ? all_notes : json_array()));
    if (error)
        json_object_set_new(json_object_get(doc, "extra_data"), "error", json_string(error));
    free(summary);
    int err = doc && json_dump_file(doc, path, JSON_INDENT(2)) == 0 ? 0 : -EIO;
    json_decref(doc);
    return err;
}

int report_prairielearn(const char *path, json_t *exercises, const char *error)
{
    struct report_totals totals = report_sum(exercises), shown = { 0 };
    json_t *tests = json_array();
    json_t *notes = error ? json_array() : report_notes(exercises, true);
    char *message = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&message, &size);
    if (!out || !tests || !notes) {
        if (out)
            fclose(out);
        free(message);
        json_decref(tests), json_decref(notes);
        return -ENOMEM;
    }
    size_t i, j, n_found = 0;
    json_t *ex, *test, *note;
    double hidden_points = 0, hidden_max = 0;
    size_t hidden = 0;
    EXERCISES_FOREACH(exercises, i, ex) {
        n_found += *str_of(ex, "discovery") == '\0';
        json_array_foreach(json_object_get(ex, "tests"), j, test) {
            if (!is_visible(test)) {
                /* An instructor's hidden tests: counted, never named. */
                hidden++;
                hidden_points += num_of(test, "score");
                hidden_max += num_of(test, "max_score");
                continue;
            }
            totals_add(&shown, test);
            char *name = test_id(ex, test);
            bool passed = strcmp(str_of(test, "status"), "passed") == 0;
            json_array_append_new(tests, json_pack(
                "{s:s, s:s, s:f, s:f, s:s, s:s}", "name", name ? name : "", "description",
                str_of(test, "description"), "points", num_of(test, "score"), "max_points",
                num_of(test, "max_score"), "message",
                passed ? "passed" : "failed: its output says why", "output",
                str_of(test, "output")));
            free(name);
        }
    }
    if (hidden)
        json_array_append_new(tests, json_pack(
            "{s:s, s:s, s:f, s:f, s:s, s:s}", "name", "hidden tests", "description",
            "tests of your instructor's that count towards the grade", "points",
            hidden_points, "max_points", hidden_max, "message",
            "their results are not shown here", "output", ""));
    /* Not gradable (no attempt lost) when it is not the learner's doing:
     * the grader failed, on the whole or on an exercise; or when nothing of
     * theirs was found to grade. */
    bool gradable = !error && totals.errors == 0
                    && (n_found > 0 || json_array_size(exercises) == 0);
    json_t *format_errors = json_array();
    if (error || totals.errors) {
        fputs(GRADING_FAILED "\n", out);
        json_array_append_new(format_errors, json_string(GRADING_FAILED));
    }
    if (!error) {
        fprintf(out, "%g/%g points; %zu of %zu tests with full points.\n", shown.score,
                shown.max_score, shown.passed, shown.tests);
        if (hidden)
            fprintf(out, "%zu more test%s count%s towards your grade.\n", hidden,
                    hidden == 1 ? "" : "s", hidden == 1 ? "s" : "");
        if (json_array_size(notes))
            fputs("Why points were lost:\n", out);
        json_array_foreach(notes, i, note) {
            fprintf(out, "  - %s\n", json_string_value(note));
            if (!gradable)
                json_array_append(format_errors, note);
        }
        char *next = report_next_hosted(exercises, true);
        fprintf(out, "next: %s\n", next ? next : "");
        free(next);
    }
    fclose(out);
    double score = !error && totals.max_score > 0 ? totals.score / totals.max_score : 0.0;
    json_t *doc = json_pack("{s:b, s:f, s:s, s:s, s:o}", "gradable", gradable, "score",
                            score, "message", message, "output", "", "tests", tests);
    if (doc && !gradable)
        json_object_set_new(doc, "format_errors", format_errors);
    else
        json_decref(format_errors);
    free(message);
    json_decref(notes);
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
