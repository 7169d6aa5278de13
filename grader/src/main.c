/**
 * @file main.c
 * @brief grader/grade: grades a submission, lesson by lesson, in parallel.
 *
 * Each exercise is graded by its own worker process (at most `--jobs` at a
 * time), which writes its verdicts to a JSON file; the main process only
 * schedules, shows progress and writes the reports. A worker that dies
 * costs its own exercise, never the run: every report is always written.
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
    const char *exercise;     /**< `--exercise`: only this exercise of the lessons */
    const char *build_harness; /**< `--build-harness DIR`: only build the harness there */
    const char *overlay;      /**< `--tests-overlay DIR`: the instructor's hidden tests */
    char *cache_dir;          /**< Not an option: the course objects' cache, or NULL */
    bool fast;                /**< `--fast` */
    bool verbose;             /**< `--verbose` */
    bool keep;                /**< `--keep`: leave the work directory */
    long jobs;                /**< `--jobs` */
};

/** One unit of work: an exercise of a lesson. */
struct unit {
    const struct lesson *lesson; /**< the lesson; borrowed from the course */
    const char *exercise;        /**< exercise name; borrowed from the lesson */
    char *work_dir;              /**< private directory of its worker; owned */
    const char *missing_why;     /**< why its file was not found; borrowed, or NULL */
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

/* build/harness beside this grader's binary, when `make` has built it
 * (its stamp is written last); NULL otherwise. */
static char *prebuilt_harness(void)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0)
        return NULL;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char *dir = str_printf("%s/../harness", exe);
    char *stamp = str_printf("%s/.stamp", dir);
    bool ready = stamp && path_exists(stamp);
    free(stamp);
    if (!ready) {
        free(dir);
        return NULL;
    }
    return dir;
}

/* Says where the graded exercises were found when that is not where the
 * course keeps them, which are missing, and what was refused or ignored. */
static void discovery_report(const struct discovery *found, const struct unit *units,
                             size_t n_units)
{
    for (size_t i = 0; i < n_units; i++) {
        const struct discovered *file = discovery_find(found, units[i].lesson->slug,
                                                       units[i].exercise);
        if (!file)
            continue;
        char *usual = str_printf("%s/%s.c", units[i].lesson->slug, units[i].exercise);
        char *tree = str_printf("exercises/%s", usual ? usual : "");
        if (!file->relative)
            fprintf(stderr, "  MISSING: %s\n", file->why ? file->why : "missing");
        else if (usual && tree && strcmp(file->relative, usual) != 0
                 && strcmp(file->relative, tree) != 0)
            fprintf(stderr, "  found %s at %s\n", usual, file->relative);
        free(usual), free(tree);
    }
    for (size_t i = 0; i < found->n_notes; i++) {
        enum discovery_note_kind kind = found->notes[i].kind;
        if (kind == DISCOVERY_REFUSED || kind == DISCOVERY_AMBIGUOUS
            || kind == DISCOVERY_LIMIT || kind == DISCOVERY_IGNORED)
            fprintf(stderr, "  %s\n", found->notes[i].text);
    }
}

/* An exercise's directory: root's, entered only by its own sandbox (group). */
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
          "  --submission DIR  a tree shaped like exercises/ (default: exercises/)\n"
          "  --lesson NAME     02 or 02-heap; repeatable; default: every lesson\n"
          "  --json FILE       Gradescope results.json\n"
          "  --junit FILE      JUnit XML;  --tap FILE  TAP version 13\n"
          "  --exercise NAME   only this exercise of the chosen lessons\n"
          "  --tests-overlay DIR  also run the instructor's hidden tests,\n"
          "                    DIR/SLUG/EXERCISE_test.c (see grader/src/overlay.h)\n"
          "  --fast            AddressSanitizer build, no Valgrind: quick, NOT the grade\n"
          "  --jobs N          exercises graded at once (default: number of cores)\n"
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

/* The worker process: grades one unit and writes result.json. */
_Noreturn static void worker_main(const struct options *opt, const char *course_root,
                                  const char *harness_dir, const struct unit *unit,
                                  const struct sandbox *box)
{
    struct exercise_job job = { .course_root = course_root,
                                .submission_root = opt->submission,
                                .harness_dir = harness_dir, .cache_dir = opt->cache_dir,
                                .missing_why = unit->missing_why,
                                .overlay_dir = opt->overlay,
                                .work_dir = unit->work_dir,
                                .lesson = unit->lesson, .exercise = unit->exercise,
                                .fast = opt->fast, .sandbox = box };
    json_t *result = exercise_grade(&job);
    char *path = str_printf("%s/result.json", unit->work_dir);
    int err = path && json_dump_file(result, path, JSON_COMPACT) == 0 ? 0 : 1;
    _exit(err);
}

/* Loads a finished worker's result, or makes one that explains its death. */
static json_t *unit_result(const struct unit *unit, int status)
{
    char *path = str_printf("%s/result.json", unit->work_dir);
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
                             "exercise", unit->exercise, "build_log", "error",
                             why ? why : "worker failed", "tests");
    /* Every test the exercise has still counts, at 0: a worker that died
     * must not shrink the denominator. */
    char *catalogue_path = str_printf("%s/catalogue.json", unit->work_dir);
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

/* How long a unit is expected to take, for scheduling only: the size of its
 * test file, twice for a lesson that also runs AddressSanitizer. */
static off_t unit_weight(const char *course_root, const struct unit *unit)
{
    char *path = str_printf("%s/lessons/%s/tests/%s_test.c", course_root, unit->lesson->slug,
                            unit->exercise);
    struct stat st;
    off_t weight = path && stat(path, &st) == 0 ? st.st_size : 0;
    free(path);
    return unit->lesson->asan ? 2 * weight : weight;
}

/* The units in the order to start them, longest first, so that no core
 * idles at the end waiting for one long exercise; NULL keeps course order. */
static size_t *start_order(const char *course_root, const struct unit *units, size_t n_units)
{
    size_t *order = calloc(n_units, sizeof(*order));
    off_t *weight = calloc(n_units, sizeof(*weight));
    if (!order || !weight) {
        free(order), free(weight);
        return NULL;
    }
    for (size_t i = 0; i < n_units; i++) {
        weight[i] = unit_weight(course_root, &units[i]);
        size_t j = i;
        for (; j > 0 && weight[order[j - 1]] < weight[i]; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    free(weight);
    return order;
}

/* Runs every unit with at most opt->jobs workers; fills results in order. */
static void run_units(const struct options *opt, const char *course_root,
                      const char *harness_dir, struct unit *units, size_t n_units,
                      json_t *results, const struct sandbox *boxes)
{
    size_t *order = start_order(course_root, units, n_units);
    size_t next = 0, done = 0, running = 0;
    while (done < n_units) {
        while (running < (size_t)opt->jobs && next < n_units) {
            size_t k = order ? order[next] : next;
            struct unit *u = &units[k];
            u->worker = fork();
            if (u->worker == 0)
                worker_main(opt, course_root, harness_dir, u, &boxes[k]);
            if (u->worker < 0) {
                json_array_set_new(results, k, unit_result(u, 1 << 8));
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
            json_t *result = unit_result(&units[i], status);
            json_array_set_new(results, i, result);
            running--;
            report_progress(stderr, ++done, n_units, result);
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
    double started = clock_seconds();
    stop_signals_catch();
    struct options opt;
    if (parse_options(argc, argv, &opt) != 0) {
        usage(stderr);
        /* Even a bad command line gets its results.json, if it named one. */
        for (int i = 1; i + 1 < argc; i++) {
            if (strcmp(argv[i], "--json") == 0)
                opt.json_path = argv[i + 1];
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
    char *materialized = str_printf("%s/submission", work_root);
    if (!materialized || discovery_materialize(&found, materialized) != 0)
        return fail(&opt, "the submission's files could not be copied", started);
    opt.submission = materialized;
    /* The harness objects are course code: `make` prebuilds them beside the
     * grader (build/harness); without them, they are built for this run. */
    char *harness_dir = prebuilt_harness();
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
        bool sanitized = opt.fast;
        for (size_t i = 0; i < n_chosen; i++)
            sanitized |= chosen[i]->asan;
        char *harness_error = build_harness(course_root, harness_dir, sanitized);
        if (harness_error)
            return fail(&opt, harness_error, started);
    }

    size_t n_units = 0;
    for (size_t i = 0; i < n_chosen; i++) {
        for (char **ex = chosen[i]->exercises; *ex; ex++)
            n_units += !opt.exercise || strcmp(*ex, opt.exercise) == 0;
    }
    if (n_units == 0)
        return fail(&opt, "no exercise matches --exercise in the chosen lessons", started);
    struct unit *units = calloc(n_units, sizeof(*units));
    struct sandbox *boxes = calloc(n_units, sizeof(*boxes));
    json_t *results = json_array();
    bool namespaces = false;
    const char *isolation = sandbox_probe(&namespaces);
    size_t k = 0;
    for (size_t i = 0; i < n_chosen; i++) {
        for (char **ex = chosen[i]->exercises; *ex; ex++) {
            if (opt.exercise && strcmp(*ex, opt.exercise) != 0)
                continue;
            const struct discovered *file = discovery_find(&found, chosen[i]->slug, *ex);
            units[k] = (struct unit){ .lesson = chosen[i], .exercise = *ex,
                                      .missing_why = file ? file->why : NULL,
                                      .work_dir = str_printf("%s/%s/%s", work_root,
                                                             chosen[i]->slug, *ex) };
            sandbox_init(&boxes[k], (unsigned)k);
            if (opt.fast)
                boxes[k].max_memory = 0;
            boxes[k].namespaces = namespaces;
            boxes[k].keep_dir = units[k].work_dir;
            boxes[k].hide_dirs[0] = course_root;
            boxes[k].hide_dirs[1] = opt.overlay;
            if (unit_dir_make(units[k].work_dir, &boxes[k]) != 0)
                return fail(&opt, "cannot create the exercises' work directories", started);
            json_array_append_new(results, json_null());
            k++;
        }
    }
    discovery_report(&found, units, n_units);
    fprintf(stderr, "grading %s (%s), %zu exercises, %ld at a time\n%s\n", submission,
            opt.fast ? "fast AddressSanitizer check, NOT the grade" : "under Valgrind",
            n_units, opt.jobs, isolation);
    report_progress(stderr, 0, n_units, NULL);
    run_units(&opt, course_root, harness_dir, units, n_units, results, boxes);
    report_progress_end(stderr);
    if (stop_signal) {
        json_decref(results);
        return fail(&opt, "grading was interrupted (signal): nothing was graded", started);
    }

    double seconds = clock_seconds() - started;
    int report_failed = write_reports(&opt, results, NULL, seconds);
    struct report_totals totals = report_sum(results);
    fprintf(stderr, "graded in %.1f s\n", seconds);
    fflush(stderr);
    /* The report comes last: its final line says what to do next. */
    struct report_style style = { .verbose = opt.verbose, .color = report_color_wanted(stdout),
                                  .submission = submission_arg };
    report_text_styled(stdout, results, &style);

    cleanup_root = NULL;
    if (!opt.keep)
        dir_remove(work_root);
    else
        fprintf(stderr, "work directory kept: %s\n", work_root);
    for (size_t i = 0; i < n_units; i++)
        free(units[i].work_dir);
    free(units), free(boxes), free(chosen), free(default_submission), free(harness_dir);
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
