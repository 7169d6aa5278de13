/**
 * @file exercise.c
 * @brief One exercise from source to verdicts.
 */
#define _GNU_SOURCE
#include "exercise.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "build.h"
#include "run.h"
#include "util.h"
#include "verdict.h"

/** Listing the tests runs no learner code and must be quick. */
#define LIST_TIMEOUT_S 30.0

/* Runs the catalogue binary's --list; returns its tests or NULL. */
static json_t *catalogue_list(const char *catalogue_bin, const char *work_dir, char **error)
{
    char *out = str_printf("%s/catalogue.json", work_dir);
    const char *argv[] = { catalogue_bin, "--list", NULL };
    struct spawn spawn = { .argv = argv, .cwd = work_dir, .output_path = out,
                           .result_fd = -1 };
    int status = 0;
    json_t *tests = NULL;
    if (sandbox_run(sandbox_trusted(), &spawn, LIST_TIMEOUT_S, &status) == 0 && WIFEXITED(status)
        && WEXITSTATUS(status) == 0) {
        json_error_t parse_error;
        tests = json_load_file(out, 0, &parse_error);
    }
    if (!json_is_array(tests)) {
        json_decref(tests);
        tests = NULL;
        *error = str_printf("listing the tests with %s --list failed", catalogue_bin);
    }
    free(out);
    return tests;
}

/* Whether @p visibility is one of Gradescope's four words. */
static bool visibility_known(const char *visibility)
{
    static const char *const known[] = { "visible", "after_due_date", "after_published",
                                         "hidden" };
    for (size_t i = 0; visibility && i < sizeof(known) / sizeof(*known); i++) {
        if (strcmp(visibility, known[i]) == 0)
            return true;
    }
    return false;
}

/* A test without points, or with a visibility Gradescope would not know, is
 * a course bug: say so rather than grade it as 0/0 or show it to everyone. */
static char *catalogue_check(json_t *tests, const char *slug, const char *exercise)
{
    size_t i;
    json_t *test;
    json_array_foreach(tests, i, test) {
        const char *suite = json_string_value(json_object_get(test, "suite"));
        const char *name = json_string_value(json_object_get(test, "name"));
        const char *visibility = json_string_value(json_object_get(test, "visibility"));
        if (json_integer_value(json_object_get(test, "points")) <= 0)
            return str_printf("test %s/%s/%s declares no points: use GRADED_TEST", slug,
                              suite, name);
        if (!visibility_known(visibility))
            return str_printf("test %s/%s/%s declares the visibility \"%s\"; it must be "
                              "visible, after_due_date, after_published or hidden",
                              slug, suite, name, visibility ? visibility : "");
    }
    if (json_array_size(tests) == 0)
        return str_printf("%s/%s has no tests", slug, exercise);
    return NULL;
}

/* The second run of a lesson that memcheck cannot fully judge: the same
 * tests, built with AddressSanitizer, natively. Returns its outcomes, or
 * NULL when it could not be built (the Valgrind verdicts then stand). */
static json_t *sanitizer_pass(const struct exercise_job *job, json_t *catalogue,
                              char **run_dir)
{
    char *dir = str_printf("%s/asan", job->work_dir);
    /* AddressSanitizer reserves terabytes of address space: no RLIMIT_AS. */
    struct sandbox box = *job->sandbox;
    box.max_memory = 0;
    struct build_env env = { .course_root = job->course_root,
                             .harness_dir = job->harness_dir, .fast = true,
                             .cache_dir = job->cache_dir, .overlay_dir = job->overlay_dir,
                             .sandbox = &box };
    struct build_result built = { 0 };
    json_t *outcomes = NULL;
    if (dir && dir_make_mode(dir, 0711) == 0)
        build_exercise(&env, job->lesson, job->exercise, job->submission_root, dir, &built);
    if (built.test_bin) {
        *run_dir = str_printf("%s/run", dir);
        struct run_plan plan = { .test_bin = built.test_bin, .run_dir = *run_dir,
                                 .catalogue = catalogue, .fast = true,
                                 .sandbox = &box };
        outcomes = run_tests(&plan);
    }
    build_result_done(&built);
    free(dir);
    return outcomes;
}

/* Replaces the grader's work paths in @p object's string @p key. */
static void paths_replace(json_t *object, const char *key, const char *const paths[2],
                          const char *shown)
{
    const char *text = json_string_value(json_object_get(object, key));
    char *once = text ? str_replace_all(text, paths[0], shown) : NULL;
    char *twice = once ? str_replace_all(once, paths[1], shown) : NULL;
    if (twice)
        json_object_set_new(object, key, json_string(twice));
    free(once), free(twice);
}

/* Messages name the learner's file as the learner knows it (02-heap/x.c),
 * never by the grader's work directory. */
static void paths_for_learner(json_t *result, const struct exercise_job *job)
{
    char *asan = str_printf("%s/asan/learner/", job->work_dir);
    char *plain = str_printf("%s/learner/", job->work_dir);
    char *shown = str_printf("%s/", job->lesson->slug);
    const char *paths[2] = { asan, plain };
    if (asan && plain && shown) {
        paths_replace(result, "build_log", paths, shown);
        size_t i;
        json_t *test;
        json_array_foreach(json_object_get(result, "tests"), i, test)
            paths_replace(test, "output", paths, shown);
    }
    free(asan), free(plain), free(shown);
}

json_t *exercise_grade(const struct exercise_job *job)
{
    json_t *result = json_pack("{s:s, s:s, s:n, s:n, s:[]}", "lesson", job->lesson->slug,
                               "exercise", job->exercise, "build_log", "error", "tests");
    struct build_env env = { .course_root = job->course_root,
                             .harness_dir = job->harness_dir, .fast = job->fast,
                             .cache_dir = job->cache_dir, .missing_why = job->missing_why,
                             .overlay_dir = job->overlay_dir, .sandbox = job->sandbox };
    struct build_result built;
    build_exercise(&env, job->lesson, job->exercise, job->submission_root, job->work_dir,
                   &built);
    char *error = built.course_error ? strdup(built.course_error) : NULL;
    json_t *catalogue = error ? NULL : catalogue_list(built.catalogue_bin, job->work_dir, &error);
    if (!error)
        error = catalogue_check(catalogue, job->lesson->slug, job->exercise);
    if (error) {
        json_object_set_new(result, "error", json_string(error));
        free(error);
        json_decref(catalogue);
        build_result_done(&built);
        return result;
    }
    if (built.learner_log)
        json_object_set_new(result, "build_log", json_string(built.learner_log));

    json_t *verdicts = json_object_get(result, "tests");
    char *learner_file = str_printf("%s.c", job->exercise);
    char *test_file = str_printf("%s_test.c", job->exercise);
    if (!built.test_bin) {
        /* The compiler's messages once, under the first test, not once a test. */
        char *why = str_printf("FAILED: %s.c did not build, so none of its tests ran.\n%s",
                               job->exercise, built.learner_log ? built.learner_log : "");
        char *again = str_printf("FAILED: %s.c did not build, so none of its tests ran "
                                 "(see the compiler's messages for it).",
                                 job->exercise);
        size_t i;
        json_t *entry;
        json_array_foreach(catalogue, i, entry)
            json_array_append_new(verdicts, verdict_unbuilt(entry, i == 0 ? why : again));
        free(again);
        free(why);
    } else {
        char *run_dir = str_printf("%s/run", job->work_dir);
        dir_make(run_dir);
        struct run_plan plan = { .test_bin = built.test_bin, .run_dir = run_dir,
                                 .catalogue = catalogue, .fast = job->fast,
                                 .sandbox = job->sandbox };
        json_t *outcomes = run_tests(&plan);
        struct verdict_input in = { .run_dir = run_dir, .learner_file = learner_file,
                                    .test_file = test_file, .fast = job->fast };
        size_t i;
        json_t *entry;
        bool any_functional = false;
        json_array_foreach(catalogue, i, entry) {
            json_t *outcome = json_array_get(outcomes, i);
            const char *not_run = json_string_value(json_object_get(outcome, "not_run"));
            json_t *verdict = not_run && strcmp(not_run, "disabled") == 0
                                  ? json_null() : verdict_make(&in, entry, i, outcome);
            any_functional |= json_is_true(json_object_get(verdict, "functional"));
            json_array_append_new(verdicts, verdict);
        }
        /* The AddressSanitizer pass can only take memory halves away: it runs
         * when some test has one to lose. */
        char *asan_run_dir = NULL;
        json_t *asan = job->lesson->asan && !job->fast && any_functional
                           ? sanitizer_pass(job, catalogue, &asan_run_dir) : NULL;
        json_array_foreach(catalogue, i, entry) {
            json_t *verdict = json_array_get(verdicts, i);
            if (asan && json_is_object(verdict))
                verdict_add_sanitizer(verdict, asan_run_dir, i, json_array_get(asan, i),
                                      (int)json_integer_value(json_object_get(entry, "signal")));
        }
        for (i = json_array_size(verdicts); i-- > 0;) {
            if (json_is_null(json_array_get(verdicts, i)))
                json_array_remove(verdicts, i);
        }
        json_decref(outcomes), json_decref(asan);
        free(run_dir), free(asan_run_dir);
    }
    free(learner_file), free(test_file);
    json_decref(catalogue);
    build_result_done(&built);
    paths_for_learner(result, job);
    return result;
}
