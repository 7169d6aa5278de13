/**
 * @file exercise.c
 * @brief A group of exercises from source to verdicts.
 *
 * 1. Each exercise is built alone (build_exercise()): course objects, its
 *    catalogue (the tests it must have, listed by a binary without learner
 *    code) and the learner's checked object.
 * 2. The exercises whose learner object built are linked into one test
 *    binary. Its `--list` is run before any test, and each exercise's
 *    catalogue entry is mapped to the binary's index by suite, name and
 *    file. When the link or the mapping fails, each exercise gets a binary
 *    of its own, as if grouping did not exist.
 * 3. The harness runs the binary once under Valgrind; each exercise keeps
 *    its own timeouts and time budget (run.h).
 * 4. Each test is scored from its exercise's catalogue entry and the
 *    outcome, log and Valgrind report of its index in the binary.
 * 5. A lesson graded by AddressSanitizer too gets a second, sanitized
 *    binary the same way, for the exercises where some test passed.
 */
#define _GNU_SOURCE
#include "exercise.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "build.h"
#include "course_protocol.h"
#include "run.h"
#include "util.h"
#include "verdict.h"

/** Listing the tests runs no learner code and must be quick (CPU seconds). */
#define LIST_CPU_S 10.0

/* Runs the catalogue binary's --list; returns its tests or NULL. */
static json_t *catalogue_list(const char *catalogue_bin, const char *work_dir, char **error)
{
    char *out = str_printf("%s/catalogue.json", work_dir);
    const char *argv[] = { catalogue_bin, "--list", NULL };
    struct spawn spawn = { .argv = argv, .cwd = work_dir, .output_path = out,
                           .result_fd = -1 };
    int status = 0;
    json_t *tests = NULL;
    if (sandbox_run(sandbox_trusted(), &spawn, LIST_CPU_S, &status) == 0 && WIFEXITED(status)
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

/* A test without points or a description, or with a visibility Gradescope
 * would not know, is a course bug: say so rather than grade it as 0/0, show
 * it to everyone, or show learners a test with no sentence about it. */
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
        const char *description = json_string_value(json_object_get(test, "description"));
        if (!description || !description[0])
            return str_printf("test %s/%s/%s has no .description: reports show it to "
                              "learners (docs/authoring.md, \"Tests\")", slug, suite, name);
        if (!visibility_known(visibility))
            return str_printf("test %s/%s/%s declares the visibility \"%s\"; it must be "
                              "visible, after_due_date, after_published or hidden",
                              slug, suite, name, visibility ? visibility : "");
    }
    if (json_array_size(tests) == 0)
        return str_printf("%s/%s has no tests", slug, exercise);
    return NULL;
}

/** Largest `--list` output accepted from a binary that holds learner code. */
#define LIST_MAX_BYTES (16 << 20)

/** One exercise's part of one pass (the Valgrind pass, or the sanitizer's). */
struct slot {
    const char *exercise;       /**< exercise name; borrowed */
    char *work_dir;             /**< where this pass built it; owned */
    json_t *catalogue;          /**< its own tests, in catalogue order; borrowed */
    struct build_result built;  /**< what this pass built */
    size_t *index;              /**< each catalogue entry's index in the binary
                                     that ran it; owned, NULL when it did not run */
    char *run_dir;              /**< where that binary ran; owned */
    json_t *outcomes;           /**< that binary's run_tests() result; a reference */
    double budget_s;            /**< CPU seconds its tests may use in this pass */
    double spent_s;             /**< CPU seconds they used */
};

/** A pass over the exercises of a group: how to build and run them. */
struct pass {
    const struct build_env *env; /**< plain or sanitized build */
    const struct lesson *lesson; /**< the lesson of every exercise; borrowed */
    char *dir;                   /**< the group's directory for this pass; owned */
    const struct sandbox *box;   /**< where the tests run */
};

/* The tests of a binary that holds learner code, listed in the sandbox
 * (its uid, its limits): learner code cannot run before main (scan.h
 * refuses constructors), but the listing is never run as the grader. */
static json_t *group_list(const struct pass *pass, const char *bin)
{
    char *dir = str_printf("%s/list", pass->dir);
    char *out = str_printf("%s/list.json", dir ? dir : "");
    static const char *const quiet_asan[] = {
        "ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=0", NULL
    };
    const char *argv[] = { bin, "--list", NULL };
    struct spawn spawn = { .argv = argv, .cwd = dir, .output_path = out, .result_fd = -1,
                           .env_extra = pass->env->fast ? quiet_asan : NULL };
    int status = 0;
    json_t *tests = NULL;
    if (dir && out && dir_make_mode(dir, 0700) == 0 && sandbox_give(pass->box, dir) == 0
        && sandbox_run(pass->box, &spawn, LIST_CPU_S, &status) == 0 && WIFEXITED(status)
        && WEXITSTATUS(status) == 0) {
        char *text = file_read_capped(out, LIST_MAX_BYTES, NULL);
        json_error_t parse_error;
        tests = text ? json_loads(text, 0, &parse_error) : NULL;
        free(text);
    }
    free(dir), free(out);
    if (!json_is_array(tests)) {
        json_decref(tests);
        return NULL;
    }
    return tests;
}

/* Whether two entries name the same test: suite, name and source file. */
static bool same_test(json_t *a, json_t *b)
{
    static const char *const keys[] = { "suite", "name", "file" };
    for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
        const char *x = json_string_value(json_object_get(a, keys[k]));
        const char *y = json_string_value(json_object_get(b, keys[k]));
        if (!x || !y || strcmp(x, y) != 0)
            return false;
    }
    return true;
}

/* Finds each slot's catalogue entries in the group binary's list @p listed.
 * Every listed test must belong to exactly one entry: returns 0 with each
 * slot's index set, or -1 (and no index set) when they do not match. */
static int group_map(struct slot *const *slots, size_t n_slots, json_t *listed)
{
    size_t n_listed = json_array_size(listed), n_entries = 0;
    bool *taken = calloc(n_listed ? n_listed : 1, sizeof(*taken));
    int err = taken ? 0 : -1;
    for (size_t s = 0; s < n_slots && err == 0; s++) {
        size_t n = json_array_size(slots[s]->catalogue);
        n_entries += n;
        slots[s]->index = calloc(n ? n : 1, sizeof(*slots[s]->index));
        if (!slots[s]->index)
            err = -1;
        for (size_t i = 0; i < n && err == 0; i++) {
            json_t *entry = json_array_get(slots[s]->catalogue, i);
            size_t j = 0;
            while (j < n_listed && (taken[j] || !same_test(entry, json_array_get(listed, j))))
                j++;
            if (j == n_listed)
                err = -1;
            else
                taken[j] = true, slots[s]->index[i] = j;
        }
    }
    if (n_entries != n_listed)
        err = -1;
    for (size_t s = 0; s < n_slots && err != 0; s++) {
        free(slots[s]->index);
        slots[s]->index = NULL;
    }
    free(taken);
    return err;
}

/* Runs one group binary: each slot's tests in its catalogue order, each
 * slot an exercise with its own timeouts and budget. Returns 0, or -1 when
 * the binary's tests could not be matched to the catalogues. */
static int group_run(const struct pass *pass, struct slot *const *slots, size_t n_slots,
                     const char *bin)
{
    json_t *listed = group_list(pass, bin);
    if (!listed || group_map(slots, n_slots, listed) != 0) {
        json_decref(listed);
        return -1;
    }
    struct run_group *groups = calloc(n_slots, sizeof(*groups));
    char *run_dir = str_printf("%s/run", pass->dir);
    if (!groups || !run_dir) {
        free(groups), free(run_dir);
        json_decref(listed);
        return -1;
    }
    double *spent = calloc(n_slots, sizeof(*spent));
    for (size_t s = 0; s < n_slots; s++)
        groups[s] = (struct run_group){ .tests = slots[s]->index,
                                        .n_tests = json_array_size(slots[s]->catalogue),
                                        .budget_s = slots[s]->budget_s };
    struct run_plan plan = { .test_bin = bin, .run_dir = run_dir, .catalogue = listed,
                             .fast = pass->env->fast, .sandbox = pass->box,
                             .groups = groups, .n_groups = n_slots, .spent_s = spent };
    json_t *outcomes = run_tests(&plan);
    for (size_t s = 0; s < n_slots; s++) {
        slots[s]->run_dir = strdup(run_dir);
        slots[s]->outcomes = json_incref(outcomes);
        slots[s]->spent_s = spent ? spent[s] : slots[s]->budget_s;
    }
    free(spent);
    json_decref(outcomes), json_decref(listed);
    free(groups), free(run_dir);
    return 0;
}

/* Runs one exercise in a binary of its own, as if there were no groups. */
static void alone_run(const struct pass *pass, struct slot *slot)
{
    if (!slot->built.test_bin
        && !build_link_exercise(pass->env, pass->lesson, slot->exercise, slot->work_dir,
                                &slot->built))
        return;
    size_t n = json_array_size(slot->catalogue);
    slot->index = calloc(n ? n : 1, sizeof(*slot->index));
    slot->run_dir = str_printf("%s/run", slot->work_dir);
    if (!slot->index || !slot->run_dir)
        return;
    for (size_t i = 0; i < n; i++)
        slot->index[i] = i;
    struct run_plan plan = { .test_bin = slot->built.test_bin, .run_dir = slot->run_dir,
                             .catalogue = slot->catalogue, .fast = pass->env->fast,
                             .sandbox = pass->box, .budget_s = slot->budget_s,
                             .spent_s = &slot->spent_s };
    slot->outcomes = run_tests(&plan);
}

/* The slots whose learner object built, in @p out; returns their number. */
static size_t slots_linkable(struct slot *slots, size_t n_slots, struct slot **out)
{
    size_t n = 0;
    for (size_t s = 0; s < n_slots; s++) {
        if (slots[s].catalogue && slots[s].built.learner_obj)
            out[n++] = &slots[s];
    }
    return n;
}

/* Links the group's binary from @p ready; NULL when it does not link. */
static char *group_link(const struct pass *pass, struct slot *const *ready, size_t n_ready)
{
    struct build_member *members = calloc(n_ready ? n_ready : 1, sizeof(*members));
    char *bin = NULL;
    if (members && dir_make_mode(pass->dir, 0711) == 0) {
        for (size_t s = 0; s < n_ready; s++)
            members[s] = (struct build_member){ .exercise = ready[s]->exercise,
                                                .work_dir = ready[s]->work_dir,
                                                .learner_obj = ready[s]->built.learner_obj };
        bin = build_link_group(pass->env, pass->lesson, members, n_ready, pass->dir);
    }
    free(members);
    return bin;
}

/* Links and runs every slot whose learner object built: together in one
 * binary when they link and list together, else each alone. A slot whose
 * object does not link even alone loses its learner_obj (build.h). */
static void pass_run(const struct pass *pass, struct slot *slots, size_t n_slots)
{
    struct slot **ready = calloc(n_slots ? n_slots : 1, sizeof(*ready));
    size_t n_ready = ready ? slots_linkable(slots, n_slots, ready) : 0;
    char *bin = n_ready >= 2 ? group_link(pass, ready, n_ready) : NULL;
    if (n_ready >= 2 && !bin) {
        /* Which of them links alone: those that do not are the learner's
         * link errors, with their messages; the rest may link together. */
        for (size_t s = 0; s < n_ready; s++)
            build_link_exercise(pass->env, pass->lesson, ready[s]->exercise,
                                ready[s]->work_dir, &ready[s]->built);
        size_t before = n_ready;
        n_ready = slots_linkable(slots, n_slots, ready);
        if (n_ready >= 2 && n_ready < before)
            bin = group_link(pass, ready, n_ready);
    }
    if (!bin || group_run(pass, ready, n_ready, bin) != 0) {
        for (size_t s = 0; s < n_ready; s++)
            alone_run(pass, ready[s]);
    }
    free(bin), free(ready);
}

static void slot_done(struct slot *slot)
{
    build_result_done(&slot->built);
    free(slot->work_dir), free(slot->index), free(slot->run_dir);
    json_decref(slot->outcomes);
    *slot = (struct slot){ 0 };
}

/* The second run of a lesson that memcheck cannot fully judge: the same
 * tests, built with AddressSanitizer, run natively, for the exercises
 * whose @p wanted is set. Fills @p asan (one slot per exercise); a slot
 * without outcomes could not be built, and its Valgrind verdicts stand. */
static void sanitizer_pass(const struct exercise_job *job, const struct slot *plain,
                           const bool *wanted, struct slot *asan)
{
    /* AddressSanitizer reserves terabytes of address space: no RLIMIT_AS. */
    struct sandbox box = *job->sandbox;
    box.max_memory = 0;
    struct build_env env = { .course_root = job->course_root,
                             .harness_dir = job->harness_dir, .fast = true,
                             .cache_dir = job->cache_dir, .overlay_dir = job->overlay_dir,
                             .sandbox = &box };
    struct pass pass = { .env = &env, .lesson = job->lesson,
                         .dir = str_printf("%s/asan", job->dir), .box = &box };
    for (size_t e = 0; e < job->n_exercises; e++) {
        asan[e] = (struct slot){ .exercise = job->exercises[e],
                                 .budget_s = plain[e].budget_s - plain[e].spent_s };
        if (!wanted[e] || asan[e].budget_s <= 0)
            continue;
        asan[e].catalogue = plain[e].catalogue;
        asan[e].work_dir = str_printf("%s/asan", job->work_dirs[e]);
        if (asan[e].work_dir && dir_make_mode(asan[e].work_dir, 0711) == 0)
            build_exercise(&env, job->lesson, job->exercises[e], job->submission_root,
                           asan[e].work_dir, &asan[e].built);
        if (asan[e].built.course_error)
            asan[e].catalogue = NULL;
    }
    if (pass.dir)
        pass_run(&pass, asan, job->n_exercises);
    free(pass.dir);
}

/* The error of an exercise that the machine starved: not the learner's. */
static char *host_busy_message(const char *exercise)
{
    return str_printf("the machine was too busy to grade %s: a step got too little CPU "
                      "in %.0fx its time limit of wall-clock time. Nothing is wrong with "
                      "the code; grade again when the machine is less busy.", exercise,
                      PROTO_WALL_FACTOR);
}

/* Why the grading of @p slot failed, not the learner: the machine starved
 * a test even after its retry, or the harness reported that it could not
 * run one (an "error" event, with its reason). NULL when neither happened;
 * otherwise owned by the caller. */
static char *slot_grading_error(const struct slot *slot)
{
    for (size_t i = 0; i < json_array_size(slot->catalogue); i++) {
        json_t *outcome = json_array_get(slot->outcomes, slot->index[i]);
        const char *reason = json_string_value(json_object_get(outcome, "reason"));
        if (reason)
            return str_printf("the harness could not run a test of %s (%s: %s); grade "
                              "again, and report it if it persists", slot->exercise, reason,
                              str_or_empty(json_string_value(json_object_get(outcome, "errno"))));
        if (json_is_true(json_object_get(outcome, "host_busy")))
            return host_busy_message(slot->exercise);
    }
    return NULL;
}

/* Step 1 for exercise @p e: built alone, its catalogue listed and checked.
 * Returns false when the course's side failed (the result says why). */
static bool exercise_prepare(const struct exercise_job *job, size_t e,
                             const struct build_env *env, struct slot *slot, json_t *result)
{
    struct build_env own = *env;
    own.missing_why = job->missing_why ? job->missing_why[e] : NULL;
    *slot = (struct slot){ .exercise = job->exercises[e],
                           .work_dir = strdup(job->work_dirs[e]),
                           .budget_s = lesson_cpu_budget(job->lesson, job->exercises[e]) };
    unsigned busy_before = sandbox_busy_count();
    build_exercise(&own, job->lesson, slot->exercise, job->submission_root, job->work_dirs[e],
                   &slot->built);
    char *error = slot->built.course_error ? strdup(slot->built.course_error) : NULL;
    json_t *catalogue = error ? NULL
                              : catalogue_list(slot->built.catalogue_bin, job->work_dirs[e],
                                               &error);
    if (!error)
        error = catalogue_check(catalogue, job->lesson->slug, slot->exercise);
    if (!error && sandbox_busy_count() != busy_before)
        error = host_busy_message(slot->exercise);
    if (error) {
        /* Every test still counts, at 0: a grading that failed must not
         * shrink the denominator. */
        size_t i;
        json_t *entry;
        json_array_foreach(catalogue, i, entry)
            json_array_append_new(json_object_get(result, "tests"),
                                  verdict_unbuilt(entry, error));
        json_object_set_new(result, "error", json_string(error));
        free(error);
        json_decref(catalogue);
        return false;
    }
    slot->catalogue = catalogue;
    return true;
}

/* Every test of an exercise whose file did not build (or link): zero, with
 * the compiler's messages once, under the first test. */
static void verdicts_unbuilt(json_t *result, const struct slot *slot)
{
    const char *log = slot->built.learner_log;
    char *why = str_printf("FAILED: %s.c did not build, so none of its tests ran.\n%s",
                           slot->exercise, log ? log : "");
    char *again = str_printf("FAILED: %s.c did not build, so none of its tests ran "
                             "(see the compiler's messages for it).",
                             slot->exercise);
    json_t *verdicts = json_object_get(result, "tests");
    size_t i;
    json_t *entry;
    json_array_foreach(slot->catalogue, i, entry)
        json_array_append_new(verdicts, verdict_unbuilt(entry, i == 0 ? why : again));
    free(again), free(why);
}

/* Step 4: the verdicts of an exercise that ran, in catalogue order (null
 * for a disabled test); returns whether some test passed functionally, so
 * that it has a memory half that the sanitizer could take away. */
static bool verdicts_make(json_t *result, const struct slot *slot, bool fast,
                          const struct verdict_input *context)
{
    struct verdict_input in = *context;
    in.run_dir = slot->run_dir;
    in.fast = fast;
    json_t *verdicts = json_object_get(result, "tests");
    bool any_functional = false;
    size_t i;
    json_t *entry;
    json_array_foreach(slot->catalogue, i, entry) {
        size_t index = slot->index[i];
        json_t *outcome = json_array_get(slot->outcomes, index);
        const char *not_run = json_string_value(json_object_get(outcome, "not_run"));
        json_t *verdict = not_run && strcmp(not_run, "disabled") == 0
                              ? json_null() : verdict_make(&in, entry, index, outcome);
        any_functional |= json_is_true(json_object_get(verdict, "functional"));
        json_array_append_new(verdicts, verdict);
    }
    return any_functional;
}

/* Step 5: the sanitizer's findings added to the verdicts; then the disabled
 * tests' places removed. */
static void verdicts_finish(json_t *result, const struct slot *slot, const struct slot *asan,
                            const struct verdict_input *context)
{
    struct verdict_input in = *context;
    in.run_dir = asan ? asan->run_dir : NULL;
    in.fast = true;
    json_t *verdicts = json_object_get(result, "tests");
    size_t i;
    json_t *entry;
    json_array_foreach(slot->catalogue, i, entry) {
        json_t *verdict = json_array_get(verdicts, i);
        if (asan && asan->outcomes && json_is_object(verdict))
            verdict_add_sanitizer(verdict, &in, asan->index[i],
                                  json_array_get(asan->outcomes, asan->index[i]),
                                  (int)json_integer_value(json_object_get(entry, "signal")));
    }
    for (i = json_array_size(verdicts); i-- > 0;) {
        if (json_is_null(json_array_get(verdicts, i)))
            json_array_remove(verdicts, i);
    }
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
static void paths_for_learner(json_t *result, const char *work_dir, const char *slug)
{
    char *asan = str_printf("%s/asan/learner/", work_dir);
    char *plain = str_printf("%s/learner/", work_dir);
    char *shown = str_printf("%s/", slug);
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


json_t *exercise_grade_group(const struct exercise_job *job)
{
    size_t n = job->n_exercises;
    json_t *results = json_array();
    struct slot *slots = calloc(n ? n : 1, sizeof(*slots));
    struct slot *asan = calloc(n ? n : 1, sizeof(*asan));
    bool *ran = calloc(n ? n : 1, sizeof(*ran));
    bool *wanted = calloc(n ? n : 1, sizeof(*wanted));
    if (!results || !slots || !asan || !ran || !wanted) {
        free(slots), free(asan), free(ran), free(wanted);
        return results;
    }
    struct build_env env = { .course_root = job->course_root,
                             .harness_dir = job->harness_dir, .fast = job->fast,
                             .cache_dir = job->cache_dir, .overlay_dir = job->overlay_dir,
                             .sandbox = job->sandbox };
    struct pass pass = { .env = &env, .lesson = job->lesson, .dir = strdup(job->dir),
                         .box = job->sandbox };
    /* The lessons that explanations cite (lesson.json "error_sections"). */
    struct course course;
    char *course_error = NULL;
    bool have_course = course_load(job->course_root, &course, &course_error) == 0;
    free(course_error);
    struct verdict_input *contexts = calloc(n ? n : 1, sizeof(*contexts));
    char **names = calloc(3 * (n ? n : 1), sizeof(*names));
    for (size_t e = 0; contexts && names && e < n; e++) {
        names[3 * e] = str_printf("%s.c", job->exercises[e]);
        names[3 * e + 1] = str_printf("%s/%s.c", job->lesson->slug, job->exercises[e]);
        names[3 * e + 2] = str_printf("%s_test.c", job->exercises[e]);
        contexts[e] = (struct verdict_input){ .learner_file = names[3 * e],
                                              .learner_path = names[3 * e + 1],
                                              .test_file = names[3 * e + 2],
                                              .course = have_course ? &course : NULL };
    }
    for (size_t e = 0; e < n; e++) {
        json_array_append_new(results, json_pack("{s:s, s:s, s:n, s:n, s:[]}", "lesson",
                                                 job->lesson->slug, "exercise",
                                                 job->exercises[e], "build_log", "error",
                                                 "tests"));
        exercise_prepare(job, e, &env, &slots[e], json_array_get(results, e));
    }
    if (pass.dir)
        pass_run(&pass, slots, n);
    bool any_asan = false;
    for (size_t e = 0; e < n; e++) {
        json_t *result = json_array_get(results, e);
        if (!slots[e].catalogue)
            continue;
        if (slots[e].built.learner_log)
            json_object_set_new(result, "build_log", json_string(slots[e].built.learner_log));
        ran[e] = slots[e].outcomes && slots[e].index;
        if (!ran[e] && !slots[e].built.learner_obj) {
            verdicts_unbuilt(result, &slots[e]);
        } else if (!ran[e]) {
            /* Linked, but the run could not even be set up (out of memory). */
            json_object_set_new(result, "error",
                                json_string("the grader could not run the tests"));
        } else {
            /* The AddressSanitizer pass can only take memory halves away: it
             * runs for an exercise when some test has one to lose. */
            wanted[e] = contexts && names
                        && verdicts_make(result, &slots[e], job->fast, &contexts[e])
                        && job->lesson->asan && !job->fast;
            any_asan |= wanted[e];
            char *failed = slot_grading_error(&slots[e]);
            if (failed)
                json_object_set_new(result, "error", json_string(failed));
            free(failed);
        }
    }
    if (any_asan)
        sanitizer_pass(job, slots, wanted, asan);
    for (size_t e = 0; e < n; e++) {
        json_t *result = json_array_get(results, e);
        const struct slot *sanitized = any_asan && wanted[e] ? &asan[e] : NULL;
        if (ran[e] && contexts && names)
            verdicts_finish(result, &slots[e], sanitized, &contexts[e]);
        char *failed = sanitized && sanitized->outcomes ? slot_grading_error(sanitized) : NULL;
        if (failed)
            json_object_set_new(result, "error", json_string(failed));
        free(failed);
        paths_for_learner(result, job->work_dirs[e], job->lesson->slug);
        json_decref(slots[e].catalogue);
        slot_done(&slots[e]);
        if (any_asan)
            slot_done(&asan[e]);
    }
    free(pass.dir);
    free(slots), free(asan), free(ran), free(wanted);
    for (size_t i = 0; names && i < 3 * n; i++)
        free(names[i]);
    free(names), free(contexts);
    if (have_course)
        course_done(&course);
    return results;
}
