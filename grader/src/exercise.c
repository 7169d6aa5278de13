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
#include "catalogue.h"
#include "course_protocol.h"
#include "run.h"
#include "util.h"
#include "verdict.h"

/** Listing the tests runs no learner code and must be quick (CPU seconds). */
#define LIST_CPU_S 10.0
/** Largest `--list` output accepted from a binary that holds learner code. */
#define LIST_MAX_BYTES (16 << 20)

/* Runs the catalogue binary's --list into @p tests; 0, or -1 with *error
 * set. */
static int catalogue_list(const char *catalogue_bin, const char *work_dir,
                          struct catalogue *tests, char **error)
{
    char *out = str_printf("%s/catalogue.json", work_dir);
    const char *argv[] = { catalogue_bin, "--list", NULL };
    struct spawn spawn = { .argv = argv, .cwd = work_dir, .output_path = out,
                           .result_fd = -1 };
    int status = 0;
    int err = -1;
    *tests = (struct catalogue){ 0 };
    if (out && sandbox_run(sandbox_trusted(), &spawn, LIST_CPU_S, &status) == 0
        && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        err = catalogue_load(out, LIST_MAX_BYTES, tests);
    if (err != 0)
        *error = str_printf("listing the tests with %s --list failed", catalogue_bin);
    free(out);
    return err != 0 ? -1 : 0;
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
static char *catalogue_check(const struct catalogue *tests, const char *slug,
                             const char *exercise)
{
    for (size_t i = 0; i < tests->n; i++) {
        const struct test_entry *test = &tests->tests[i];
        const char *suite = str_or_empty(test->suite), *name = str_or_empty(test->name);
        if (test->points <= 0)
            return str_printf("test %s/%s/%s declares no points: use GRADED_TEST", slug,
                              suite, name);
        if (!test->description || !test->description[0])
            return str_printf("test %s/%s/%s has no .description: reports show it to "
                              "learners (docs/authoring.md, \"Tests\")", slug, suite, name);
        if (!visibility_known(test->visibility))
            return str_printf("test %s/%s/%s declares the visibility \"%s\"; it must be "
                              "visible, after_due_date, after_published or hidden",
                              slug, suite, name, str_or_empty(test->visibility));
    }
    if (tests->n == 0)
        return str_printf("%s/%s has no tests", slug, exercise);
    return NULL;
}

/** One exercise's part of one pass (the Valgrind pass, or the sanitizer's). */
struct slot {
    const char *exercise;       /**< exercise name; borrowed */
    char *work_dir;             /**< where this pass built it; owned */
    const struct catalogue *catalogue; /**< its own tests; borrowed, NULL when the
                                            course's side failed */
    struct build_result built;  /**< what this pass built */
    size_t *index;              /**< each catalogue entry's index in the binary
                                     that ran it (its log, its pid's report);
                                     owned, NULL when it did not run */
    char *run_dir;              /**< where that binary ran; owned */
    struct test_outcome *outcomes; /**< one per catalogue entry, in catalogue
                                        order; owned, NULL when it did not run */
    double budget_s;            /**< CPU seconds its tests may use in this pass */
    double spent_s;             /**< CPU seconds they used */
};

/** A pass over the exercises of a group: how to build and run them. */
struct pass {
    const struct build_env *env; /**< plain or sanitized build */
    const struct lesson *lesson; /**< the lesson of every exercise; borrowed */
    char *dir;                   /**< the group's directory for this pass; owned */
    const struct sandbox *box;   /**< where the tests run */
    bool until_lost;             /**< exercise_job::until_lost */
};

/* The tests of a binary that holds learner code, listed in the sandbox
 * (its uid, its limits): learner code cannot run before main (scan.h
 * refuses constructors), but the listing is never run as the grader. */
static int group_list(const struct pass *pass, const char *bin, struct catalogue *tests)
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
    int err = -1;
    *tests = (struct catalogue){ 0 };
    if (dir && out && dir_make_mode(dir, 0700) == 0 && sandbox_give(pass->box, dir) == 0
        && sandbox_run(pass->box, &spawn, LIST_CPU_S, &status) == 0 && WIFEXITED(status)
        && WEXITSTATUS(status) == 0)
        err = catalogue_load(out, LIST_MAX_BYTES, tests);
    free(dir), free(out);
    return err;
}

/* Finds each slot's catalogue entries in the group binary's list @p listed.
 * Every listed test must belong to exactly one entry: returns 0 with each
 * slot's index set, or -1 (and no index set) when they do not match. */
static int group_map(struct slot *const *slots, size_t n_slots,
                     const struct catalogue *listed)
{
    size_t n_listed = listed->n, n_entries = 0;
    bool *taken = calloc(n_listed ? n_listed : 1, sizeof(*taken));
    int err = taken ? 0 : -1;
    for (size_t s = 0; s < n_slots && err == 0; s++) {
        size_t n = slots[s]->catalogue->n;
        n_entries += n;
        slots[s]->index = calloc(n ? n : 1, sizeof(*slots[s]->index));
        if (!slots[s]->index)
            err = -1;
        for (size_t i = 0; i < n && err == 0; i++) {
            const struct test_entry *entry = &slots[s]->catalogue->tests[i];
            size_t j = 0;
            while (j < n_listed && (taken[j] || !test_entry_same(entry, &listed->tests[j])))
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
    struct catalogue listed;
    if (group_list(pass, bin, &listed) != 0 || group_map(slots, n_slots, &listed) != 0) {
        catalogue_done(&listed);
        return -1;
    }
    struct run_group *groups = calloc(n_slots, sizeof(*groups));
    double *spent = calloc(n_slots, sizeof(*spent));
    char *run_dir = str_printf("%s/run", pass->dir);
    if (!groups || !spent || !run_dir) {
        free(groups), free(spent), free(run_dir);
        catalogue_done(&listed);
        return -1;
    }
    for (size_t s = 0; s < n_slots; s++)
        groups[s] = (struct run_group){ .tests = slots[s]->index,
                                        .n_tests = slots[s]->catalogue->n,
                                        .budget_s = slots[s]->budget_s };
    struct run_plan plan = { .test_bin = bin, .run_dir = run_dir, .catalogue = &listed,
                             .fast = pass->env->fast, .sandbox = pass->box,
                             .until_lost = pass->until_lost, .groups = groups, .n_groups = n_slots, .spent_s = spent };
    struct test_outcome *outcomes = run_tests(&plan);
    /* Each outcome moves to the one slot whose entry it belongs to
     * (group_map() made that a one-to-one match). */
    for (size_t s = 0; s < n_slots; s++) {
        size_t n = slots[s]->catalogue->n;
        slots[s]->run_dir = strdup(run_dir);
        slots[s]->outcomes = outcomes ? calloc(n ? n : 1, sizeof(*slots[s]->outcomes)) : NULL;
        for (size_t i = 0; slots[s]->outcomes && i < n; i++)
            outcome_move(&slots[s]->outcomes[i], &outcomes[slots[s]->index[i]]);
        slots[s]->spent_s = spent[s];
    }
    outcomes_free(outcomes, listed.n);
    catalogue_done(&listed);
    free(groups), free(spent), free(run_dir);
    return 0;
}

/* Runs one exercise in a binary of its own, as if there were no groups. */
static void alone_run(const struct pass *pass, struct slot *slot)
{
    if (!slot->built.test_bin
        && !build_link_exercise(pass->env, pass->lesson, slot->exercise, slot->work_dir,
                                &slot->built))
        return;
    size_t n = slot->catalogue->n;
    slot->index = calloc(n ? n : 1, sizeof(*slot->index));
    slot->run_dir = str_printf("%s/run", slot->work_dir);
    if (!slot->index || !slot->run_dir)
        return;
    for (size_t i = 0; i < n; i++)
        slot->index[i] = i;
    struct run_plan plan = { .test_bin = slot->built.test_bin, .run_dir = slot->run_dir,
                             .catalogue = slot->catalogue, .fast = pass->env->fast,
                             .sandbox = pass->box, .until_lost = pass->until_lost,
                             .budget_s = slot->budget_s,
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
    outcomes_free(slot->outcomes, slot->catalogue ? slot->catalogue->n : 0);
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
    struct pass pass = { .env = &env, .lesson = job->lesson, .until_lost = job->until_lost,
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
    for (size_t i = 0; i < slot->catalogue->n; i++) {
        const struct test_outcome *outcome = &slot->outcomes[i];
        if (outcome->kind == OUTCOME_ERROR && outcome->reason)
            return str_printf("the harness could not run a test of %s (%s: %s); grade "
                              "again, and report it if it persists", slot->exercise,
                              outcome->reason, str_or_empty(outcome->detail));
        if (outcome->host_busy)
            return host_busy_message(slot->exercise);
    }
    return NULL;
}

/* Step 1 for exercise @p e: built alone, its catalogue listed into
 * @p catalogue (the caller's, which @p slot borrows) and checked. Returns
 * false when the course's side failed (the result says why). */
static bool exercise_prepare(const struct exercise_job *job, size_t e,
                             const struct build_env *env, struct slot *slot,
                             struct catalogue *catalogue, json_t *result)
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
    *catalogue = (struct catalogue){ 0 };
    if (!error)
        catalogue_list(slot->built.catalogue_bin, job->work_dirs[e], catalogue, &error);
    if (!error)
        error = catalogue_check(catalogue, job->lesson->slug, slot->exercise);
    if (!error && sandbox_busy_count() != busy_before)
        error = host_busy_message(slot->exercise);
    if (error) {
        /* Every test still counts, at 0: a grading that failed must not
         * shrink the denominator. */
        for (size_t i = 0; i < catalogue->n; i++)
            json_array_append_new(json_object_get(result, "tests"),
                                  verdict_unbuilt(&catalogue->tests[i], error));
        json_object_set_new(result, "error", json_string(error));
        free(error);
        return false;
    }
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
    for (size_t i = 0; i < slot->catalogue->n; i++)
        json_array_append_new(verdicts, verdict_unbuilt(&slot->catalogue->tests[i],
                                                                 i == 0 ? why : again));
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
    for (size_t i = 0; i < slot->catalogue->n; i++) {
        const struct test_outcome *outcome = &slot->outcomes[i];
        json_t *verdict = outcome->kind == OUTCOME_DISABLED
                              ? json_null()
                              : verdict_make(&in, &slot->catalogue->tests[i], slot->index[i],
                                             outcome);
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
    for (size_t i = 0; i < slot->catalogue->n; i++) {
        json_t *verdict = json_array_get(verdicts, i);
        if (!asan || !asan->outcomes || !json_is_object(verdict))
            continue;
        verdict_add_sanitizer(verdict, &in, asan->index[i], &asan->outcomes[i],
                              slot->catalogue->tests[i].signal);
    }
    for (size_t i = json_array_size(verdicts); i-- > 0;) {
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
    struct catalogue *catalogues = calloc(n ? n : 1, sizeof(*catalogues));
    if (!results || !slots || !asan || !ran || !wanted || !catalogues) {
        free(slots), free(asan), free(ran), free(wanted), free(catalogues);
        return results;
    }
    struct build_env env = { .course_root = job->course_root,
                             .harness_dir = job->harness_dir, .fast = job->fast,
                             .cache_dir = job->cache_dir, .overlay_dir = job->overlay_dir,
                             .sandbox = job->sandbox };
    struct pass pass = { .env = &env, .lesson = job->lesson, .until_lost = job->until_lost,
                         .dir = strdup(job->dir),
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
        if (exercise_prepare(job, e, &env, &slots[e], &catalogues[e],
                             json_array_get(results, e)))
            slots[e].catalogue = &catalogues[e];
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
        slot_done(&slots[e]);
        if (any_asan)
            slot_done(&asan[e]);
        catalogue_done(&catalogues[e]);
    }
    free(pass.dir);
    free(slots), free(asan), free(ran), free(wanted), free(catalogues);
    for (size_t i = 0; names && i < 3 * n; i++)
        free(names[i]);
    free(names), free(contexts);
    if (have_course)
        course_done(&course);
    return results;
}
