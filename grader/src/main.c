/**
 * @file main.c
 * @brief grader/grade: grades a submission, lesson by lesson, in parallel.
 *
 * The exercises are graded in units: a group of exercises of one lesson,
 * graded by one worker process in one sandbox, whose tests run in one test
 * binary, so that Valgrind starts once a unit (about a second of CPU each)
 * instead of once an exercise. By default a unit is a whole lesson; when
 * `--jobs` asks for more units than lessons (one lesson graded on two
 * cores), the heaviest lessons are cut into contiguous parts. At most
 * `--jobs` workers run at a time, longest first; each writes one JSON file
 * of verdicts an exercise, and the main process only schedules, shows
 * progress and writes the reports. A worker that dies costs its own
 * exercises (every test at 0), never the run: every report is always
 * written.
 *
 * Exit status: 0 when every graded test earned full points, 1 when any did
 * not, 2 for a usage or infrastructure error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "course.h"
#include "discover.h"
#include "exercise.h"
#include "overlay.h"
#include "report.h"
#include "sandbox.h"
#include "show.h"
#include "util.h"
#include "verdict.h"


/** Command-line options. */
struct options {
    const char *course_root;  /**< `--course` */
    const char *submission;   /**< `--submission` */
    const char **lessons;     /**< `--lesson`, repeatable */
    size_t n_lessons;         /**< number of `--lesson` names given */
    const char *json_path;    /**< `--json` */
    const char *junit_path;   /**< `--junit` */
    const char *tap_path;     /**< `--tap` */
    const char *pl_path;      /**< `--prairielearn`: PrairieLearn's results.json */
    const char *platform;     /**< `--platform`: where the learner reads the report */
    bool check_only;          /**< `--check`: check the course, lessons and hidden tests */
    bool describe;            /**< `--describe`: print the course as JSON */
    const char *exercise;     /**< `--exercise`: only this exercise of the lessons */
    const char *build_harness; /**< `--build-harness DIR`: only build the harness there */
    const char *overlay;      /**< `--tests-overlay DIR`: the instructor's hidden tests */
    char *cache_dir;          /**< Not an option: the course objects' cache, or NULL */
    bool fast;                /**< `--fast` */
    bool verbose;             /**< `--verbose` */
    bool keep;                /**< `--keep`: leave the work directory */
    long jobs;                /**< `--jobs` */
};

/** One unit of work: contiguous exercises of one lesson, graded together. */
struct unit {
    const struct lesson *lesson; /**< the lesson; borrowed from the course */
    const char **exercises;      /**< exercise names; owned array of names borrowed from
                                      the lesson */
    size_t n_exercises;          /**< number of @ref exercises, at least 1 */
    size_t first;                /**< index of its first exercise in the results */
    char *dir;                   /**< private directory of its worker; owned */
    char **work_dirs;            /**< each exercise's directory, inside @ref dir; owned */
    const char **missing_why;    /**< why each file was not found; owned array of
                                      borrowed strings or NULLs */
    off_t weight;                /**< expected cost, for the start order only */
    pid_t worker;                /**< the worker grading it; 0 once reaped, < 0 if fork() failed */
};

/** The work directory to remove if grading stops early; NULL once handled. */
static const char *cleanup_root;
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

/* A unit's directory: root's, entered only by its own sandbox (group). */
static int unit_dir_make(const char *dir, const struct sandbox *box)
{
    if (dir_make_mode(dir, 0711) != 0)
        return -1;
    if (box->privileged && chown(dir, 0, box->uid) != 0)
        return -1;
    return chmod(dir, box->privileged ? 0750 : 0700);
}

static void usage(FILE *out)
{
    fputs("usage: grader/grade [--submission DIR] [--lesson NAME]... [--json FILE]\n"
          "                    [--junit FILE] [--tap FILE] [--fast] [--jobs N]\n"
          "                    [--verbose] [--keep]\n"
          "  --submission DIR  the learner's files: a tree like exercises/, a flat folder,\n"
          "                    or a .zip (default: exercises/)\n"
          "  --lesson NAME     02 or 02-heap; repeatable; default: every lesson\n"
          "  --json FILE       Gradescope results.json\n"
          "  --junit FILE      JUnit XML;  --tap FILE  TAP version 13\n"
          "  --prairielearn FILE  PrairieLearn's external grader results.json\n"
          "  --platform NAME   where the learner reads the report: terminal (default),\n"
          "                    gradescope, prairielearn or ci (files named as\n"
          "                    submitted, no make command)\n"
          "  --check           check the course, --lesson names and --tests-overlay,\n"
          "                    grade nothing (exit 0 when ready, 2 otherwise)\n"
          "  --exercise NAME   only this exercise of the chosen lessons\n"
          "  --describe        print the chosen lessons (and --exercise) as JSON, for\n"
          "                    scripts: files, flags, sections; grade nothing\n"
          "  --tests-overlay DIR  also run the instructor's hidden tests,\n"
          "                    DIR/SLUG/EXERCISE_test.c (see grader/src/overlay.h)\n"
          "  --fast            AddressSanitizer + UndefinedBehaviorSanitizer build, no\n"
          "                    Valgrind: quick, NOT the grade\n"
          "  --jobs N          units (lessons, or parts of one) graded at once\n"
          "                    (default: number of cores)\n"
          "exit status: 0 all tests full marks, 1 some not, 2 usage or grader error\n",
          out);
}

static int parse_options(int argc, char **argv, struct options *opt)
{
    static const struct option longs[] = {
        { "course", required_argument, NULL, 'c' },
        { "submission", required_argument, NULL, 's' },
        { "lesson", required_argument, NULL, 'l' },
        { "json", required_argument, NULL, 'J' },
        { "junit", required_argument, NULL, 'U' },
        { "tap", required_argument, NULL, 'T' },
        { "exercise", required_argument, NULL, 'e' },
        { "fast", no_argument, NULL, 'f' },
        { "jobs", required_argument, NULL, 'j' },
        { "verbose", no_argument, NULL, 'v' },
        { "keep", no_argument, NULL, 'k' },
        { "build-harness", required_argument, NULL, 'B' },
        { "tests-overlay", required_argument, NULL, 'O' },
        { "prairielearn", required_argument, NULL, 'P' },
        { "platform", required_argument, NULL, 'p' },
        { "check", no_argument, NULL, 'C' },
        { "describe", no_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    *opt = (struct options){ .jobs = sysconf(_SC_NPROCESSORS_ONLN) };
    opt->lessons = calloc((size_t)argc, sizeof(*opt->lessons));
    if (!opt->lessons)
        return -ENOMEM;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "j:vh", longs, NULL)) != -1) {
        switch (c) {
        case 'c': opt->course_root = optarg; break;
        case 's': opt->submission = optarg; break;
        case 'l': opt->lessons[opt->n_lessons++] = optarg; break;
        case 'J': opt->json_path = optarg; break;
        case 'U': opt->junit_path = optarg; break;
        case 'T': opt->tap_path = optarg; break;
        case 'e': opt->exercise = optarg; break;
        case 'f': opt->fast = true; break;
        case 'v': opt->verbose = true; break;
        case 'k': opt->keep = true; break;
        case 'B': opt->build_harness = optarg; break;
        case 'O': opt->overlay = optarg; break;
        case 'P': opt->pl_path = optarg; break;
        case 'C': opt->check_only = true; break;
        case 'D': opt->describe = true; break;
        case 'p':
            if (strcmp(optarg, "terminal") != 0 && strcmp(optarg, "gradescope") != 0
                && strcmp(optarg, "prairielearn") != 0 && strcmp(optarg, "ci") != 0)
                return -EINVAL;
            opt->platform = optarg;
            break;
        case 'j':
            opt->jobs = strtol(optarg, &end, 10);
            if (*end || opt->jobs < 1 || opt->jobs > 64)
                return -EINVAL;
            break;
        case 'h': usage(stdout); exit(0);
        default: return -EINVAL;
        }
    }
    if (optind != argc)
        return -EINVAL;
    if (opt->jobs < 1)
        opt->jobs = 1;
    return 0;
}

/* Writes every requested report; used for success and failure alike. */
static int write_reports(const struct options *opt, json_t *exercises, const char *error,
                         double seconds)
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

/* Stops grading with an infrastructure error, reports written. */
static int fail(const struct options *opt, const char *error, double started)
{
    if (cleanup_root)
        dir_remove(cleanup_root);
    cleanup_root = NULL;
    fprintf(stderr, "grade: %s\n", error);
    json_t *none = json_array();
    write_reports(opt, none, error, clock_seconds() - started);
    json_decref(none);
    return 2;
}

/* The worker process: grades one unit and writes each exercise's
 * result.json in its directory; exits 0 only when every one was written. */
_Noreturn static void worker_main(const struct options *opt, const char *course_root,
                                  const char *harness_dir, const struct unit *unit,
                                  const struct sandbox *box)
{
    struct exercise_job job = { .course_root = course_root,
                                .submission_root = opt->submission,
                                .harness_dir = harness_dir, .cache_dir = opt->cache_dir,
                                .overlay_dir = opt->overlay, .dir = unit->dir,
                                .lesson = unit->lesson, .n_exercises = unit->n_exercises,
                                .exercises = unit->exercises,
                                .work_dirs = (const char *const *)unit->work_dirs,
                                .missing_why = unit->missing_why,
                                .fast = opt->fast, .sandbox = box };
    json_t *results = exercise_grade_group(&job);
    int err = json_array_size(results) == unit->n_exercises ? 0 : 1;
    for (size_t e = 0; e < unit->n_exercises && err == 0; e++) {
        char *path = str_printf("%s/result.json", unit->work_dirs[e]);
        err = path && json_dump_file(json_array_get(results, e), path, JSON_COMPACT) == 0
                  ? 0 : 1;
        free(path);
    }
    _exit(err);
}

/* Loads exercise @p e's result from a finished worker, or makes one that
 * explains the worker's death. */
static json_t *unit_result(const struct unit *unit, size_t e, int status)
{
    char *path = str_printf("%s/result.json", unit->work_dirs[e]);
    json_error_t parse_error;
    json_t *result = path ? json_load_file(path, 0, &parse_error) : NULL;
    free(path);
    if (json_is_object(result) && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return result;
    json_decref(result);
    char *why = WIFSIGNALED(status)
                    ? str_printf("the grading worker died with signal %d", WTERMSIG(status))
                    : str_printf("the grading worker failed (status %d)", WEXITSTATUS(status));
    json_t *made = json_pack("{s:s, s:s, s:n, s:s, s:[]}", "lesson", unit->lesson->slug,
                             "exercise", unit->exercises[e], "build_log", "error",
                             why ? why : "worker failed", "tests");
    /* Every test the exercise has still counts, at 0: a worker that died
     * must not shrink the denominator. */
    char *catalogue_path = str_printf("%s/catalogue.json", unit->work_dirs[e]);
    json_t *catalogue = catalogue_path ? json_load_file(catalogue_path, 0, &parse_error) : NULL;
    size_t i;
    json_t *entry;
    json_array_foreach(catalogue, i, entry) {
        json_array_append_new(json_object_get(made, "tests"),
                              verdict_unbuilt(entry, why ? why : "worker failed"));
    }
    json_decref(catalogue);
    free(catalogue_path);
    free(why);
    return made;
}

/* How long an exercise is expected to take, for scheduling only: the size
 * of its test file, twice for a lesson that also runs AddressSanitizer. */
static off_t exercise_weight(const char *course_root, const struct lesson *lesson,
                             const char *exercise)
{
    char *path = str_printf("%s/lessons/%s/tests/%s_test.c", course_root, lesson->slug,
                            exercise);
    struct stat st;
    off_t weight = path && stat(path, &st) == 0 ? st.st_size : 0;
    free(path);
    return lesson->asan ? 2 * weight : weight;
}

/* Frees the units' own arrays and strings, and @p units itself. */
static void units_free(struct unit *units, size_t n_units)
{
    for (size_t k = 0; units && k < n_units; k++) {
        for (size_t e = 0; units[k].work_dirs && e < units[k].n_exercises; e++)
            free(units[k].work_dirs[e]);
        free(units[k].work_dirs), free(units[k].missing_why), free(units[k].exercises);
        free(units[k].dir);
    }
    free(units);
}

/* The units in the order to start them, longest first, so that no core
 * idles at the end waiting for one long unit; NULL keeps course order. */
static size_t *start_order(const struct unit *units, size_t n_units)
{
    size_t *order = calloc(n_units, sizeof(*order));
    if (!order)
        return NULL;
    for (size_t i = 0; i < n_units; i++) {
        size_t j = i;
        for (; j > 0 && units[order[j - 1]].weight < units[i].weight; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    return order;
}

/* Cuts @p n exercises of weights @p weight into @p parts contiguous parts
 * of about equal weight, each at least one exercise: @p ends[k] is one past
 * the last exercise of part k. */
static void parts_cut(const off_t *weight, size_t n, size_t parts, size_t *ends)
{
    off_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += weight[i];
    size_t i = 0;
    off_t sum = 0;
    for (size_t k = 0; k < parts; k++) {
        off_t target = (off_t)((double)total * (double)(k + 1) / (double)parts);
        size_t left_after = parts - k - 1; /* parts that still need an exercise */
        sum += weight[i++]; /* every part gets one */
        /* Then more while that brings the sum closer to its share; the
         * last part takes the rest. */
        while (i + left_after < n
               && (k + 1 == parts
                   || llabs((long long)(sum + weight[i] - target))
                          < llabs((long long)(sum - target))))
            sum += weight[i++];
        ends[k] = i;
    }
}

/* Plans the units: the chosen lessons' exercises (only @p exercise's, when
 * set, each a unit of its own), one unit a lesson, with the heaviest lessons
 * cut into contiguous parts until there are at least @p jobs units, where
 * lessons have exercises enough. Returns the units in course order (each
 * with lesson, exercises, n_exercises, first and weight set), or NULL when
 * memory runs out; *n_units is 0 when no exercise matched. */
static struct unit *units_plan(const char *course_root, const struct lesson *const *chosen,
                               size_t n_chosen, const char *exercise, size_t jobs,
                               size_t *n_units)
{
    *n_units = 0;
    size_t *n_of = calloc(n_chosen + 1, sizeof(*n_of));     /* exercises of lesson i */
    size_t *parts = calloc(n_chosen + 1, sizeof(*parts));   /* units of lesson i */
    off_t *lesson_weight = calloc(n_chosen + 1, sizeof(*lesson_weight));
    off_t **weights = calloc(n_chosen + 1, sizeof(*weights));
    const char ***names = calloc(n_chosen + 1, sizeof(*names));
    struct unit *units = NULL;
    bool ok = n_of && parts && lesson_weight && weights && names;
    size_t n_total = 0;
    for (size_t i = 0; ok && i < n_chosen; i++) {
        size_t count = strv_len(chosen[i]->exercises);
        weights[i] = calloc(count + 1, sizeof(**weights));
        names[i] = calloc(count + 1, sizeof(**names));
        ok = weights[i] && names[i];
        for (size_t e = 0; ok && e < count; e++) {
            const char *name = chosen[i]->exercises[e];
            if (exercise && strcmp(name, exercise) != 0)
                continue;
            names[i][n_of[i]] = name;
            weights[i][n_of[i]] = exercise_weight(course_root, chosen[i], name);
            lesson_weight[i] += weights[i][n_of[i]];
            n_of[i]++;
        }
        /* --exercise: a unit of one exercise, as it was asked for. */
        parts[i] = n_of[i] == 0 ? 0 : exercise ? n_of[i] : 1;
        n_total += parts[i];
    }
    /* More units than lessons when there are more cores: the lesson whose
     * parts are heaviest is cut once more, until none can be. */
    while (ok && n_total < jobs) {
        size_t best = n_chosen;
        for (size_t i = 0; i < n_chosen; i++) {
            if (parts[i] == 0 || parts[i] >= n_of[i])
                continue;
            if (best == n_chosen
                || (double)lesson_weight[i] / (double)parts[i]
                       > (double)lesson_weight[best] / (double)parts[best])
                best = i;
        }
        if (best == n_chosen)
            break;
        parts[best]++;
        n_total++;
    }
    units = ok ? calloc(n_total ? n_total : 1, sizeof(*units)) : NULL;
    size_t k = 0, first = 0;
    size_t *ends = units ? calloc(n_total + 1, sizeof(*ends)) : NULL;
    if (!ends) {
        free(units);
        units = NULL;
    }
    for (size_t i = 0; units && i < n_chosen; i++) {
        if (parts[i])
            parts_cut(weights[i], n_of[i], parts[i], ends);
        for (size_t p = 0, begin = 0; p < parts[i]; begin = ends[p++], k++) {
            struct unit *unit = &units[k];
            *unit = (struct unit){ .lesson = chosen[i], .n_exercises = ends[p] - begin,
                                   .first = first };
            unit->exercises = calloc(unit->n_exercises, sizeof(*unit->exercises));
            if (!unit->exercises) {
                units_free(units, k);
                units = NULL;
                break;
            }
            for (size_t e = begin; e < ends[p]; e++) {
                unit->exercises[e - begin] = names[i][e];
                unit->weight += weights[i][e];
            }
            first += unit->n_exercises;
        }
    }
    if (units)
        *n_units = n_total;
    free(ends);
    for (size_t i = 0; i < n_chosen && weights && names; i++)
        free(weights[i]), free(names[i]);
    free(n_of), free(parts), free(lesson_weight), free(weights), free(names);
    return units;
}

/* Runs every unit with at most opt->jobs workers; fills results in order. */
static void run_units(const struct options *opt, const char *course_root,
                      const char *harness_dir, struct unit *units, size_t n_units,
                      json_t *results, const struct sandbox *boxes)
{
    size_t *order = start_order(units, n_units);
    size_t n_exercises = json_array_size(results);
    size_t next = 0, done = 0, running = 0, graded = 0;
    while (done < n_units) {
        while (running < (size_t)opt->jobs && next < n_units) {
            size_t k = order ? order[next] : next;
            struct unit *u = &units[k];
            u->worker = fork();
            if (u->worker == 0)
                worker_main(opt, course_root, harness_dir, u, &boxes[k]);
            if (u->worker < 0) {
                for (size_t e = 0; e < u->n_exercises; e++)
                    json_array_set_new(results, u->first + e, unit_result(u, e, 1 << 8));
                graded += u->n_exercises;
                done++;
            } else {
                running++;
            }
            next++;
        }
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == ECHILD)
            break;
        if (stop_signal) {
            /* Only our own workers by the pids fork() gave us, then every
             * process of every sandbox by uid. */
            for (size_t i = 0; i < n_units; i++) {
                if (units[i].worker > 0)
                    kill(units[i].worker, SIGKILL);
            }
            while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
                ;
            for (size_t i = 0; i < n_units; i++)
                sandbox_kill(&boxes[i], 0);
            free(order);
            return;
        }
        for (size_t i = 0; i < n_units; i++) {
            if (units[i].worker != pid || pid <= 0)
                continue;
            units[i].worker = 0;
            sandbox_kill(&boxes[i], 0);
            for (size_t e = 0; e < units[i].n_exercises; e++) {
                json_t *result = unit_result(&units[i], e, status);
                json_array_set_new(results, units[i].first + e, result);
                report_progress(stderr, ++graded, n_exercises, result);
            }
            running--;
            done++;
        }
    }
    free(order);
}

/**
 * @brief The `grader/grade` command: parses the options, grades the chosen
 *        exercises in parallel and writes the reports.
 * @param[in] argc number of command-line arguments.
 * @param[in] argv the arguments (`grader/grade --help` lists them); borrowed.
 * @return 0 when every graded test earned full points, 1 when any did not, 2
 *         for a usage or infrastructure error.
 */
int main(int argc, char **argv)
{
    /* --show TEST records one test's memory instead (show.h). */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--show") == 0)
            return show_main(argc, argv);
    }
    double started = clock_seconds();
    stop_signals_catch();
    struct options opt;
    if (parse_options(argc, argv, &opt) != 0) {
        usage(stderr);
        /* Even a bad command line gets its results.json, if it named one. */
        for (int i = 1; i + 1 < argc; i++) {
            if (strcmp(argv[i], "--json") == 0)
                opt.json_path = argv[i + 1];
            if (strcmp(argv[i], "--prairielearn") == 0)
                opt.pl_path = argv[i + 1];
        }
        for (int i = 1; i < argc; i++) {
            if (strncmp(argv[i], "--json=", 7) == 0)
                opt.json_path = argv[i] + 7;
        }
        return fail(&opt, "bad command line: see grader/grade --help", started);
    }
    char course_root[PATH_MAX];
    if (!realpath(opt.course_root ? opt.course_root : ".", course_root))
        return fail(&opt, "the course directory does not exist", started);
    if (opt.build_harness) {
        char *error = build_harness(course_root, opt.build_harness, true);
        if (error)
            fprintf(stderr, "grade: %s\n", error);
        return error ? 2 : 0;
    }
    struct course course;
    char *error = NULL;
    if (course_load(course_root, &course, &error) != 0) {
        int code = fail(&opt, error ? error : "cannot read the course", started);
        free(error);
        return code;
    }
    char *default_submission = str_printf("%s/exercises", course_root);
    char submission[PATH_MAX];
    if (!realpath(opt.submission ? opt.submission : default_submission, submission)) {
        char *why = str_printf("the submission directory %s does not exist",
                               opt.submission ? opt.submission : default_submission);
        return fail(&opt, why, started);
    }
    /* The hidden tests: every file must belong to an exercise, or a typo
     * would silently leave tests out. */
    char overlay[PATH_MAX];
    if (opt.overlay) {
        size_t n_hidden = 0;
        char *why = NULL;
        if (!realpath(opt.overlay, overlay))
            why = str_printf("the hidden tests' folder %s does not exist", opt.overlay);
        else if (overlay_check(&course, overlay, &n_hidden, &why) != 0 && !why)
            why = strdup("the hidden tests' folder cannot be checked");
        if (why)
            return fail(&opt, why, started);
        fprintf(stderr, "hidden tests: %zu file%s from %s\n", n_hidden, n_hidden == 1 ? "" : "s",
                overlay);
        opt.overlay = overlay;
    }
    /* The learner's own name for it, for the report's "next:" line. */
    const char *submission_arg = opt.submission ? opt.submission : "exercises";
    opt.submission = submission;

    /* Choose lessons; a name that matches none is a usage error. */
    const struct lesson **chosen = calloc(course.n_lessons + 1, sizeof(*chosen));
    size_t n_chosen = 0;
    for (size_t i = 0; i < opt.n_lessons; i++) {
        const struct lesson *lesson = course_find(&course, opt.lessons[i]);
        if (!lesson) {
            char *known = NULL;
            size_t size = 0;
            FILE *list = open_memstream(&known, &size);
            for (size_t j = 0; j < course.n_lessons; j++)
                fprintf(list, "%s%s", j ? ", " : "", course.lessons[j].slug);
            fclose(list);
            char *why = str_printf("there is no lesson '%s' in this course; lessons are: %s",
                                   opt.lessons[i], known);
            return fail(&opt, why, started);
        }
        bool seen = false;
        for (size_t j = 0; j < n_chosen; j++)
            seen |= chosen[j] == lesson;
        if (!seen)
            chosen[n_chosen++] = lesson;
    }
    if (opt.n_lessons == 0) {
        for (size_t i = 0; i < course.n_lessons; i++)
            chosen[n_chosen++] = &course.lessons[i];
    }
    /* A mistyped --exercise is a usage error, with the names it was near. */
    bool known = !opt.exercise;
    for (size_t i = 0; !known && i < n_chosen; i++) {
        for (char *const *ex = chosen[i]->exercises; *ex && !known; ex++)
            known = strcmp(*ex, opt.exercise) == 0;
    }
    if (!known) {
        char *why = discovery_unknown_exercise(&course, chosen, n_chosen, opt.exercise);
        return fail(&opt, why ? why : "no such exercise", started);
    }
    if (opt.describe) {
        int err = course_describe(stdout, &course, chosen, n_chosen, opt.exercise);
        free(chosen), free(default_submission), free(opt.lessons);
        course_done(&course);
        return err == 0 ? 0 : 2;
    }
    if (opt.check_only) {
        fprintf(stderr, "grade: ready: %zu lesson%s%s\n", n_chosen, n_chosen == 1 ? "" : "s",
                opt.overlay ? ", hidden tests checked" : "");
        free(chosen), free(default_submission), free(opt.lessons);
        course_done(&course);
        return 0;
    }

    /* Root's own: sandboxes may pass through (0711) to their exercise's
     * directory, which only they and root can enter, but list nothing. */
    char work_root[] = "/tmp/grader-XXXXXX";
    if (!mkdtemp(work_root) || chmod(work_root, 0711) != 0)
        return fail(&opt, "cannot create a work directory in /tmp", started);
    cleanup_root = work_root;

    /* Find each exercise's file in whatever shape the submission has, and
     * copy the found files, never through a link, into root's own tree. */
    struct discovery found;
    if (discover_submission(submission, &course, &found) != 0)
        return fail(&opt, "the submission folder cannot be read", started);
    /* The limits this grader inherited: it never raises one, so it says
     * at once, in one line, which is too small. */
    bool sanitizer = opt.fast;
    for (size_t i = 0; i < n_chosen; i++)
        sanitizer |= chosen[i]->asan;
    char *too_small = sandbox_limits_check(sanitizer);
    if (too_small) {
        int code = fail(&opt, too_small, started);
        free(too_small);
        return code;
    }
    char *materialized = str_printf("%s/submission", work_root);
    if (!materialized || discovery_materialize(&found, materialized) != 0)
        return fail(&opt, "the submission's files could not be copied", started);
    opt.submission = materialized;
    /* The harness objects are course code: `make` prebuilds them beside the
     * grader (build/harness); without them, they are built for this run. */
    char *harness_dir = build_prebuilt_harness();
    if (harness_dir) {
        /* Compiled course objects are kept beside it, one folder a course. */
        /* A grading with hidden tests has objects of its own. */
        char *key = str_replace_all(course_root, "/", "_");
        char *hidden_key = opt.overlay ? str_replace_all(opt.overlay, "/", "_") : NULL;
        if (key && (!opt.overlay || hidden_key))
            opt.cache_dir = str_printf("%s/../course-cache/%s%s%s", harness_dir, key,
                                       hidden_key ? "+hidden" : "", hidden_key ? hidden_key : "");
        free(key), free(hidden_key);
    } else {
        harness_dir = str_printf("%s/harness", work_root);
        char *harness_error = build_harness(course_root, harness_dir, sanitizer);
        if (harness_error)
            return fail(&opt, harness_error, started);
    }

    size_t n_units = 0, n_exercises = 0;
    struct unit *units = units_plan(course_root, chosen, n_chosen, opt.exercise,
                                    (size_t)opt.jobs, &n_units);
    if (!units)
        return fail(&opt, "cannot plan the grading (out of memory)", started);
    if (n_units == 0)
        return fail(&opt, "no exercise matches --exercise in the chosen lessons", started);
    struct sandbox *boxes = calloc(n_units, sizeof(*boxes));
    json_t *results = json_array();
    bool namespaces = false;
    const char *isolation = sandbox_probe(&namespaces);
    for (size_t k = 0, part = 0; k < n_units; k++) {
        struct unit *unit = &units[k];
        const struct lesson *lesson = unit->lesson;
        part = k > 0 && units[k - 1].lesson == lesson ? part + 1 : 0;
        unit->dir = str_printf("%s/%s/part-%zu", work_root, lesson->slug, part);
        unit->work_dirs = calloc(unit->n_exercises, sizeof(*unit->work_dirs));
        unit->missing_why = calloc(unit->n_exercises, sizeof(*unit->missing_why));
        if (!unit->dir || !unit->work_dirs || !unit->missing_why)
            return fail(&opt, "cannot plan the grading (out of memory)", started);
        sandbox_init(&boxes[k], (unsigned)k);
        if (opt.fast)
            boxes[k].max_memory = 0;
        boxes[k].namespaces = namespaces;
        boxes[k].keep_dir = unit->dir;
        boxes[k].hide_dirs[0] = course_root;
        boxes[k].hide_dirs[1] = opt.overlay;
        if (unit_dir_make(unit->dir, &boxes[k]) != 0)
            return fail(&opt, "cannot create the exercises' work directories", started);
        for (size_t e = 0; e < unit->n_exercises; e++) {
            const struct discovered *file = discovery_find(&found, lesson->slug,
                                                           unit->exercises[e]);
            unit->missing_why[e] = file ? file->why : NULL;
            unit->work_dirs[e] = str_printf("%s/%s", unit->dir, unit->exercises[e]);
            if (!unit->work_dirs[e] || dir_make_mode(unit->work_dirs[e], 0755) != 0)
                return fail(&opt, "cannot create the exercises' work directories", started);
            json_array_append_new(results, json_null());
            n_exercises++;
        }
    }
    discovery_report(&found, units, n_units);
    fprintf(stderr, "grading %s (%s), %zu exercise%s in %zu unit%s, %ld at a time\n%s\n",
            submission,
            opt.fast ? "fast AddressSanitizer + UndefinedBehaviorSanitizer check, NOT the grade"
                     : "under Valgrind",
            n_exercises, n_exercises == 1 ? "" : "s", n_units, n_units == 1 ? "" : "s",
            opt.jobs, isolation);
    report_progress(stderr, 0, n_exercises, NULL);
    run_units(&opt, course_root, harness_dir, units, n_units, results, boxes);
    report_progress_end(stderr);
    if (stop_signal) {
        json_decref(results);
        return fail(&opt, "grading was interrupted (signal): nothing was graded", started);
    }

    /* On a platform, files are named as the learner submitted them (below the
     * submission); in a terminal or CI, as the path they gave (exercises/...). */
    bool hosted = opt.platform && strcmp(opt.platform, "terminal") != 0;
    bool relative_only = hosted && strcmp(opt.platform, "ci") != 0;
    results_annotate(results, &found, relative_only ? NULL : submission_arg);

    double seconds = clock_seconds() - started;
    int report_failed = write_reports(&opt, results, NULL, seconds);
    struct report_totals totals = report_sum(results);
    fprintf(stderr, "graded in %.1f s\n", seconds);
    fflush(stderr);
    /* The report comes last: its final line says what to do next. */
    struct report_style style = { .verbose = opt.verbose, .color = report_color_wanted(stdout),
                                  .submission = submission_arg, .hosted = hosted };
    report_text_styled(stdout, results, &style);

    cleanup_root = NULL;
    if (!opt.keep)
        dir_remove(work_root);
    else
        fprintf(stderr, "work directory kept: %s\n", work_root);
    units_free(units, n_units);
    free(boxes), free(chosen), free(default_submission), free(harness_dir);
    discovery_done(&found);
    free(materialized);
    free(opt.cache_dir);
    json_decref(results);
    course_done(&course);
    free(opt.lessons);
    if (report_failed || totals.errors)
        return 2;
    return totals.score == totals.max_score ? 0 : 1;
}
