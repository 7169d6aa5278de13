/**
 * @file grading.c
 * @brief One grading: prepare, run, report (grading.h gives the rules).
 *
 * The exercises are graded in units (plan.h), each by one worker process
 * in one sandbox. At most `--jobs` workers run at a time, heaviest first;
 * each writes one JSON file of verdicts an exercise (its result.json, the
 * edge where the worker's results cross into this process), and this
 * process only schedules, shows progress and writes the reports.
 */
#define _GNU_SOURCE
#include "grading.h"
#include "verdict.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "catalogue.h"
#include "exercise.h"
#include "overlay.h"
#include "report.h"
#include "util.h"

/** Largest catalogue.json read back for a worker that died. */
#define CATALOGUE_MAX_BYTES (16 << 20)
/** The wait status given to the units of a worker that could not be forked. */
#define FORK_FAILED_STATUS (1 << 8)

/** The signal that asked the grader to stop, 0 while none did. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

/* SIGINT, SIGTERM and SIGHUP stop the grading cleanly: every sandbox is
 * killed, the work directory removed and the reports still written.
 * No SA_RESTART: the wait for workers must return to notice. */
static void stop_signals_catch(void)
{
    struct sigaction act = { .sa_handler = on_stop_signal };
    sigemptyset(&act.sa_mask);
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGHUP, &act, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void grading_init(struct grading *g, const struct grading_options *opt)
{
    *g = (struct grading){ .opt = opt, .started = clock_seconds() };
    stop_signals_catch();
}

int grading_fail(struct grading *g, char *why, const char *fallback)
{
    if (g->error) {
        free(why);
        return -1;
    }
    g->error_owned = why;
    g->error = why ? why : fallback;
    return -1;
}

/* ---------- Step 1: prepare ---------- */

/* The course tree and its lessons. */
static int course_open(struct grading *g)
{
    if (!realpath(g->opt->course_root ? g->opt->course_root : ".", g->course_root))
        return grading_fail(g, NULL, "the course directory does not exist");
    char *error = NULL;
    if (course_load(g->course_root, &g->course, &error) != 0)
        return grading_fail(g, error, "cannot read the course");
    g->course_loaded = true;
    return 0;
}

/* The submission folder, by default the course's exercises/. */
static int submission_find(struct grading *g)
{
    _cleanup_free_ char *fallback = str_printf("%s/exercises", g->course_root);
    const char *asked = g->opt->submission ? g->opt->submission : fallback;
    if (!asked)
        return grading_fail(g, NULL, "out of memory");
    if (!realpath(asked, g->submission))
        return grading_fail(g, str_printf("the submission directory %s does not exist", asked),
                            "the submission directory does not exist");
    /* The learner's own name for it, for the report's "next:" line. */
    g->submission_shown = g->opt->submission ? g->opt->submission : "exercises";
    return 0;
}

/* The hidden tests: every file must belong to an exercise, or a typo would
 * silently leave tests out. */
static int overlay_open(struct grading *g)
{
    const char *asked = g->opt->overlay;
    if (!asked)
        return 0;
    size_t n_hidden = 0;
    char *why = NULL;
    if (!realpath(asked, g->overlay))
        why = str_printf("the hidden tests' folder %s does not exist", asked);
    else if (overlay_check(&g->course, g->overlay, &n_hidden, &why) != 0 && !why)
        why = strdup("the hidden tests' folder cannot be checked");
    if (why)
        return grading_fail(g, why, "the hidden tests' folder cannot be checked");
    g->overlay_dir = g->overlay;
    fprintf(stderr, "hidden tests: %zu file%s from %s\n", n_hidden, n_hidden == 1 ? "" : "s",
            g->overlay);
    return 0;
}

/* The course's lessons, by slug, in one line; NULL when memory runs out. */
static char *lessons_known(const struct course *course)
{
    char *known = NULL;
    size_t size = 0;
    FILE *list = open_memstream(&known, &size);
    if (!list)
        return NULL;
    for (size_t j = 0; j < course->n_lessons; j++)
        fprintf(list, "%s%s", j ? ", " : "", course->lessons[j].slug);
    if (fclose(list) != 0) {
        free(known);
        return NULL;
    }
    return known;
}

/* The lessons to grade; a name that matches none is a usage error. */
static int lessons_choose(struct grading *g)
{
    const struct course *course = &g->course;
    g->chosen = calloc(course->n_lessons + 1, sizeof(*g->chosen));
    if (!g->chosen)
        return grading_fail(g, NULL, "out of memory choosing the lessons");
    for (size_t i = 0; i < g->opt->n_lessons; i++) {
        const struct lesson *lesson = course_find(course, g->opt->lessons[i]);
        if (!lesson) {
            _cleanup_free_ char *known = lessons_known(course);
            return grading_fail(g, str_printf("there is no lesson '%s' in this course; "
                                              "lessons are: %s", g->opt->lessons[i],
                                              str_or_empty(known)),
                                "there is no such lesson in this course");
        }
        bool seen = false;
        for (size_t j = 0; j < g->n_chosen; j++)
            seen |= g->chosen[j] == lesson;
        if (!seen)
            g->chosen[g->n_chosen++] = lesson;
    }
    for (size_t i = 0; g->opt->n_lessons == 0 && i < course->n_lessons; i++)
        g->chosen[g->n_chosen++] = &course->lessons[i];
    return 0;
}

/* A mistyped --exercise is a usage error, with the names it was near. */
static int exercise_check(struct grading *g)
{
    const char *wanted = g->opt->exercise;
    for (size_t i = 0; wanted && i < g->n_chosen; i++) {
        for (char *const *ex = g->chosen[i]->exercises; *ex; ex++) {
            if (strcmp(*ex, wanted) == 0)
                return 0;
        }
    }
    if (!wanted)
        return 0;
    return grading_fail(g, discovery_unknown_exercise(&g->course, g->chosen, g->n_chosen,
                                                      wanted),
                        "there is no such exercise in the chosen lessons");
}

/* Root's own: sandboxes may pass through (0711) to their exercise's
 * directory, which only they and root can enter, but list nothing. */
static int work_root_make(struct grading *g)
{
    char made[] = "/tmp/grader-XXXXXX";
    _Static_assert(sizeof(made) <= sizeof(g->work_root), "work_root holds the path");
    if (!mkdtemp(made))
        return grading_fail(g, NULL, "cannot create a work directory in /tmp");
    memcpy(g->work_root, made, sizeof(made));
    if (chmod(g->work_root, 0711) != 0)
        return grading_fail(g, NULL, "cannot create a work directory in /tmp");
    return 0;
}

/* Whether some chosen lesson (or --fast) runs AddressSanitizer. */
static bool sanitizer_wanted(const struct grading *g)
{
    bool sanitizer = g->opt->fast;
    for (size_t i = 0; i < g->n_chosen; i++)
        sanitizer |= g->chosen[i]->asan;
    return sanitizer;
}

/* Finds each exercise's file in whatever shape the submission has, and
 * copies the found files, never through a link, into root's own tree. */
static int submission_take(struct grading *g)
{
    if (discover_submission(g->submission, &g->course, &g->found) != 0)
        return grading_fail(g, NULL, "the submission folder cannot be read");
    g->discovered = true;
    /* The limits this grader inherited: it never raises one, so it says at
     * once, in one line, which is too small. */
    char *too_small = sandbox_limits_check(sanitizer_wanted(g));
    if (too_small)
        return grading_fail(g, too_small, "a resource limit is too small");
    g->materialized = str_printf("%s/submission", g->work_root);
    if (!g->materialized || discovery_materialize(&g->found, g->materialized) != 0)
        return grading_fail(g, NULL, "the submission's files could not be copied");
    return 0;
}

/* The harness objects are course code: `make` prebuilds them beside the
 * grader (build/harness); without them, they are built for this run. */
static int harness_find(struct grading *g)
{
    g->harness_dir = build_prebuilt_harness();
    if (!g->harness_dir) {
        g->harness_dir = str_printf("%s/harness", g->work_root);
        if (!g->harness_dir)
            return grading_fail(g, NULL, "out of memory");
        char *error = build_harness(g->course_root, g->harness_dir, sanitizer_wanted(g));
        return error ? grading_fail(g, error, "the harness did not build") : 0;
    }
    /* Compiled course objects are kept beside it, one folder a course; a
     * grading with hidden tests has objects of its own. Without a cache
     * (out of memory), every object is compiled afresh: slower, same grade. */
    _cleanup_free_ char *key = str_replace_all(g->course_root, "/", "_");
    _cleanup_free_ char *hidden_key = g->overlay_dir ? str_replace_all(g->overlay_dir, "/", "_")
                                                     : NULL;
    if (key && (!g->overlay_dir || hidden_key))
        g->cache_dir = str_printf("%s/../course-cache/%s%s%s", g->harness_dir, key,
                                  hidden_key ? "+hidden" : "", str_or_empty(hidden_key));
    return 0;
}

/* A unit's directory: root's, entered only by its own sandbox (group). */
static int unit_dir_make(const char *dir, const struct sandbox *box)
{
    if (dir_make_mode(dir, 0711) != 0)
        return -1;
    if (box->privileged && chown(dir, 0, box->uid) != 0)
        return -1;
    return chmod(dir, box->privileged ? 0750 : 0700);
}

/* Unit @p k's sandbox, directories and places in the results. */
static int unit_prepare(struct grading *g, size_t k, size_t part, bool namespaces)
{
    struct unit *unit = &g->units[k];
    struct sandbox *box = &g->boxes[k];
    unit->dir = str_printf("%s/%s/part-%zu", g->work_root, unit->lesson->slug, part);
    unit->work_dirs = calloc(unit->n_exercises, sizeof(*unit->work_dirs));
    unit->missing_why = calloc(unit->n_exercises, sizeof(*unit->missing_why));
    if (!unit->dir || !unit->work_dirs || !unit->missing_why)
        return grading_fail(g, NULL, "cannot plan the grading (out of memory)");
    sandbox_init(box, (unsigned)k);
    if (g->opt->fast)
        box->max_memory = 0;
    box->namespaces = namespaces;
    box->keep_dir = unit->dir;
    box->hide_dirs[0] = g->course_root;
    box->hide_dirs[1] = g->overlay_dir;
    if (unit_dir_make(unit->dir, box) != 0)
        return grading_fail(g, NULL, "cannot create the exercises' work directories");
    for (size_t e = 0; e < unit->n_exercises; e++) {
        const struct discovered *file = discovery_find(&g->found, unit->lesson->slug,
                                                       unit->exercises[e]);
        unit->missing_why[e] = file ? file->why : NULL;
        unit->work_dirs[e] = str_printf("%s/%s", unit->dir, unit->exercises[e]);
        if (!unit->work_dirs[e] || dir_make_mode(unit->work_dirs[e], 0755) != 0)
            return grading_fail(g, NULL, "cannot create the exercises' work directories");
        if (json_array_append_new(g->results, json_null()) != 0)
            return grading_fail(g, NULL, "cannot plan the grading (out of memory)");
        g->n_exercises++;
    }
    return 0;
}

/* The units, their sandboxes and directories, and a place for each
 * exercise's result. */
static int units_prepare(struct grading *g)
{
    g->units = units_plan(g->course_root, g->chosen, g->n_chosen, g->opt->exercise,
                          (size_t)g->opt->jobs, &g->n_units);
    if (!g->units)
        return grading_fail(g, NULL, "cannot plan the grading (out of memory)");
    if (g->n_units == 0)
        return grading_fail(g, NULL, "no exercise matches --exercise in the chosen lessons");
    g->boxes = calloc(g->n_units, sizeof(*g->boxes));
    g->results = json_array();
    if (!g->boxes || !g->results)
        return grading_fail(g, NULL, "cannot plan the grading (out of memory)");
    bool namespaces = false;
    g->isolation = sandbox_probe(&namespaces);
    for (size_t k = 0, part = 0; k < g->n_units; k++) {
        part = k > 0 && g->units[k - 1].lesson == g->units[k].lesson ? part + 1 : 0;
        if (unit_prepare(g, k, part, namespaces) != 0)
            return -1;
    }
    return 0;
}

/* Says where an exercise's file was found when that is not where the course
 * keeps it, or that it is missing. */
static void discovery_report_file(const struct discovered *file, const char *slug,
                                  const char *exercise)
{
    if (!file)
        return;
    char *usual = str_printf("%s/%s.c", slug, exercise);
    char *tree = str_printf("exercises/%s", usual ? usual : "");
    if (!file->relative)
        fprintf(stderr, "  MISSING: %s\n", file->why ? file->why : "missing");
    else if (usual && tree && strcmp(file->relative, usual) != 0
             && strcmp(file->relative, tree) != 0)
        fprintf(stderr, "  found %s at %s\n", usual, file->relative);
    free(usual), free(tree);
}

/* Says where the graded exercises were found when that is not where the
 * course keeps them, which are missing, and what was refused or ignored. */
static void discovery_report(const struct discovery *found, const struct unit *units,
                             size_t n_units)
{
    for (size_t u = 0; u < n_units; u++) {
        for (size_t e = 0; e < units[u].n_exercises; e++)
            discovery_report_file(discovery_find(found, units[u].lesson->slug,
                                                 units[u].exercises[e]),
                                  units[u].lesson->slug, units[u].exercises[e]);
    }
    for (size_t i = 0; i < found->n_notes; i++) {
        enum discovery_note_kind kind = found->notes[i].kind;
        if (kind == DISCOVERY_REFUSED || kind == DISCOVERY_AMBIGUOUS
            || kind == DISCOVERY_LIMIT || kind == DISCOVERY_IGNORED)
            fprintf(stderr, "  %s\n", found->notes[i].text);
    }
}

/* Adds to each exercise result what the reports need to explain it
 * (report_notes()): "file", its file as the learner submitted it, below
 * @p shown_root when given (the submission as the learner named it), and,
 * when no file was taken, "discovery": missing, misnamed (a "did you mean"),
 * ambiguous or refused. When no file was found at all, the first result
 * gets "submission_note": what the submission held instead (an archive,
 * files of other names). */
static void results_annotate(json_t *results, const struct discovery *found,
                             const char *shown_root)
{
    size_t i;
    json_t *result;
    json_array_foreach(results, i, result) {
        const struct discovered *file = discovery_find(found, json_string_value(
                                                           json_object_get(result, "lesson")),
                                                       json_string_value(json_object_get(
                                                           result, "exercise")));
        if (!file)
            continue;
        if (file->relative) {
            bool prefix = shown_root && *shown_root && strcmp(shown_root, ".") != 0;
            size_t len = prefix ? strlen(shown_root) : 0;
            while (len > 1 && shown_root[len - 1] == '/')
                len--;
            json_object_set_new(result, "file",
                                prefix ? json_sprintf("%.*s/%s", (int)len, shown_root,
                                                      file->relative)
                                       : json_string(file->relative));
            continue;
        }
        const char *kind = "missing";
        for (size_t n = 0; file->why && n < found->n_notes; n++) {
            if (strcmp(found->notes[n].text, file->why) != 0)
                continue;
            if (found->notes[n].kind == DISCOVERY_AMBIGUOUS)
                kind = "ambiguous";
            else if (found->notes[n].kind == DISCOVERY_REFUSED)
                kind = "refused";
            else if (strstr(file->why, "did you mean"))
                kind = "misnamed";
        }
        json_object_set_new(result, "discovery", json_string(kind));
    }
    if (found->n_found > 0 || json_array_size(results) == 0)
        return;
    char *note = NULL;
    for (size_t n = 0, shown = 0; n < found->n_notes && shown < 3; n++) {
        enum discovery_note_kind kind = found->notes[n].kind;
        if (kind != DISCOVERY_IGNORED && kind != DISCOVERY_LIMIT)
            continue;
        char *longer = note ? str_printf("%s; %s", note, found->notes[n].text)
                            : strdup(found->notes[n].text);
        free(note);
        note = longer;
        shown++;
    }
    if (note)
        json_object_set_new(json_array_get(results, 0), "submission_note", json_string(note));
    free(note);
}

int grading_prepare(struct grading *g)
{
    if (g->error)
        return -1;
    if (course_open(g) != 0 || submission_find(g) != 0 || overlay_open(g) != 0
        || lessons_choose(g) != 0 || exercise_check(g) != 0)
        return -1;
    if (g->opt->check_only || g->opt->describe)
        return 0;
    if (work_root_make(g) != 0 || submission_take(g) != 0 || harness_find(g) != 0
        || units_prepare(g) != 0)
        return -1;
    discovery_report(&g->found, g->units, g->n_units);
    return 0;
}

/* ---------- Step 2: run ---------- */

/* The worker process: grades one unit and writes each exercise's
 * result.json in its directory; exits 0 only when every one was written. */
_Noreturn static void worker_main(const struct grading *g, const struct unit *unit,
                                  const struct sandbox *box)
{
    struct exercise_job job = { .course_root = g->course_root,
                                .submission_root = g->materialized,
                                .harness_dir = g->harness_dir, .cache_dir = g->cache_dir,
                                .overlay_dir = g->overlay_dir, .dir = unit->dir,
                                .lesson = unit->lesson, .n_exercises = unit->n_exercises,
                                .exercises = unit->exercises,
                                .work_dirs = (const char *const *)unit->work_dirs,
                                .missing_why = unit->missing_why,
                                .fast = g->opt->fast, .until_lost = g->opt->until_lost,
                                .sandbox = box };
    json_t *results = exercise_grade_group(&job);
    int err = json_array_size(results) == unit->n_exercises ? 0 : 1;
    for (size_t e = 0; e < unit->n_exercises && err == 0; e++) {
        _cleanup_free_ char *path = str_printf("%s/result.json", unit->work_dirs[e]);
        err = path && json_dump_file(json_array_get(results, e), path, JSON_COMPACT) == 0
                  ? 0 : 1;
    }
    _exit(err);
}

/* The result of exercise @p e of a worker that died: every test the
 * exercise has still counts, at 0, so that a dead worker never shrinks the
 * denominator. */
static json_t *unit_result_dead(const struct unit *unit, size_t e, int status)
{
    _cleanup_free_ char *why = WIFSIGNALED(status)
        ? str_printf("the grading worker died with signal %d", WTERMSIG(status))
        : str_printf("the grading worker failed (status %d)", WEXITSTATUS(status));
    const char *said = why ? why : "worker failed";
    json_t *made = json_pack("{s:s, s:s, s:n, s:s, s:[]}", "lesson", unit->lesson->slug,
                             "exercise", unit->exercises[e], "build_log", "error", said,
                             "tests");
    _cleanup_free_ char *catalogue_path = str_printf("%s/catalogue.json", unit->work_dirs[e]);
    struct catalogue catalogue = { 0 };
    if (made && catalogue_path
        && catalogue_load(catalogue_path, CATALOGUE_MAX_BYTES, &catalogue) == 0) {
        for (size_t i = 0; i < catalogue.n; i++)
            json_array_append_new(json_object_get(made, "tests"),
                                  verdict_unbuilt(&catalogue.tests[i], said));
    }
    catalogue_done(&catalogue);
    return made;
}

/* Loads exercise @p e's result from a finished worker, or makes one that
 * explains the worker's death. */
static json_t *unit_result(const struct unit *unit, size_t e, int status)
{
    _cleanup_free_ char *path = str_printf("%s/result.json", unit->work_dirs[e]);
    json_error_t parse_error;
    json_t *result = path ? json_load_file(path, 0, &parse_error) : NULL;
    if (json_is_object(result) && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return result;
    json_decref(result);
    return unit_result_dead(unit, e, status);
}

/* Records unit @p k's results once its worker ended with @p status; shows
 * progress for a worker that ran. */
static void unit_finish(struct grading *g, size_t k, int status, bool ran, size_t *graded)
{
    const struct unit *unit = &g->units[k];
    for (size_t e = 0; e < unit->n_exercises; e++) {
        json_t *result = unit_result(unit, e, status);
        json_array_set_new(g->results, unit->first + e, result);
        ++*graded;
        if (ran)
            report_progress(stderr, *graded, g->n_exercises, result);
    }
}

/* Kills every worker and every sandbox after a stop signal: only our own
 * workers by the pids fork() gave us, then every process of every sandbox
 * by uid. */
static void units_stop(struct grading *g)
{
    for (size_t i = 0; i < g->n_units; i++) {
        if (g->units[i].worker > 0)
            kill(g->units[i].worker, SIGKILL);
    }
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        ;
    for (size_t i = 0; i < g->n_units; i++)
        sandbox_kill(&g->boxes[i], 0);
}

/* Starts workers while fewer than --jobs run; a unit whose fork() fails is
 * finished at once. */
static void workers_start(struct grading *g, const size_t *order, size_t *next,
                          size_t *running, size_t *done, size_t *graded)
{
    while (*running < (size_t)g->opt->jobs && *next < g->n_units) {
        size_t k = order ? order[*next] : *next;
        struct unit *u = &g->units[k];
        u->worker = fork();
        if (u->worker == 0)
            worker_main(g, u, &g->boxes[k]);
        if (u->worker < 0) {
            unit_finish(g, k, FORK_FAILED_STATUS, false, graded);
            ++*done;
        } else {
            ++*running;
        }
        ++*next;
    }
}

int grading_run(struct grading *g)
{
    if (g->error)
        return -1;
    fprintf(stderr, "grading %s (%s), %zu exercise%s in %zu unit%s, %ld at a time\n%s\n",
            g->submission,
            g->opt->fast ? "fast AddressSanitizer + UndefinedBehaviorSanitizer check, NOT "
                           "the grade"
                         : "under Valgrind",
            g->n_exercises, g->n_exercises == 1 ? "" : "s", g->n_units,
            g->n_units == 1 ? "" : "s", g->opt->jobs, g->isolation);
    report_progress(stderr, 0, g->n_exercises, NULL);
    _cleanup_free_ size_t *order = units_start_order(g->units, g->n_units);
    size_t next = 0, done = 0, running = 0, graded = 0;
    while (done < g->n_units && !stop_signal) {
        workers_start(g, order, &next, &running, &done, &graded);
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == ECHILD)
            break;
        for (size_t i = 0; pid > 0 && !stop_signal && i < g->n_units; i++) {
            if (g->units[i].worker != pid)
                continue;
            g->units[i].worker = 0;
            sandbox_kill(&g->boxes[i], 0);
            unit_finish(g, i, status, true, &graded);
            running--;
            done++;
        }
    }
    if (stop_signal)
        units_stop(g);
    report_progress_end(stderr);
    if (stop_signal)
        return grading_fail(g, NULL, "grading was interrupted (signal): nothing was graded");
    return 0;
}

/* ---------- Step 3: report ---------- */

/* Writes every requested report; used for success and failure alike. */
static int write_reports(const struct grading_options *opt, json_t *exercises,
                         const char *error, double seconds)
{
    int failed = 0;
    if (opt->json_path && report_gradescope(opt->json_path, exercises, error, seconds) != 0)
        failed = fprintf(stderr, "grade: cannot write %s\n", opt->json_path);
    if (opt->junit_path && report_junit(opt->junit_path, exercises, error) != 0)
        failed = fprintf(stderr, "grade: cannot write %s\n", opt->junit_path);
    if (opt->tap_path && report_tap(opt->tap_path, exercises, error) != 0)
        failed = fprintf(stderr, "grade: cannot write %s\n", opt->tap_path);
    if (opt->pl_path && report_prairielearn(opt->pl_path, exercises, error) != 0)
        failed = fprintf(stderr, "grade: cannot write %s\n", opt->pl_path);
    return failed;
}

/* The work directory removed, once. */
static void work_root_remove(struct grading *g)
{
    if (g->work_root[0])
        dir_remove(g->work_root);
    g->work_root[0] = '\0';
}

/* An infrastructure error: the reports say it, with no exercise. */
static int report_error(struct grading *g)
{
    work_root_remove(g);
    fprintf(stderr, "grade: %s\n", g->error);
    json_t *none = json_array();
    write_reports(g->opt, none, g->error, clock_seconds() - g->started);
    json_decref(none);
    return 2;
}

int grading_report(struct grading *g)
{
    const struct grading_options *opt = g->opt;
    if (g->error)
        return report_error(g);
    if (opt->describe)
        return course_describe(stdout, &g->course, g->chosen, g->n_chosen, opt->exercise) == 0
                   ? 0 : 2;
    if (opt->check_only) {
        fprintf(stderr, "grade: ready: %zu lesson%s%s\n", g->n_chosen,
                g->n_chosen == 1 ? "" : "s", g->overlay_dir ? ", hidden tests checked" : "");
        return 0;
    }
    /* On a platform, files are named as the learner submitted them (below
     * the submission); in a terminal or CI, as the path they gave. */
    bool hosted = opt->platform && strcmp(opt->platform, "terminal") != 0;
    bool relative_only = hosted && strcmp(opt->platform, "ci") != 0;
    results_annotate(g->results, &g->found, relative_only ? NULL : g->submission_shown);

    double seconds = clock_seconds() - g->started;
    int report_failed = write_reports(opt, g->results, NULL, seconds);
    struct report_totals totals = report_sum(g->results);
    fprintf(stderr, "graded in %.1f s\n", seconds);
    fflush(stderr);
    /* The report comes last: its final line says what to do next. */
    struct report_style style = { .verbose = opt->verbose, .color = report_color_wanted(stdout),
                                  .submission = g->submission_shown, .hosted = hosted };
    report_text_styled(stdout, g->results, &style);
    if (report_failed || totals.errors)
        return 2;
    return totals.score == totals.max_score ? 0 : 1;
}

void grading_done(struct grading *g)
{
    if (g->work_root[0] && g->opt->keep)
        fprintf(stderr, "work directory kept: %s\n", g->work_root);
    else
        work_root_remove(g);
    units_free(g->units, g->n_units);
    free(g->boxes), free(g->chosen), free(g->harness_dir), free(g->cache_dir);
    free(g->materialized), free(g->error_owned);
    if (g->discovered)
        discovery_done(&g->found);
    if (g->course_loaded)
        course_done(&g->course);
    json_decref(g->results);
    *g = (struct grading){ 0 };
}
