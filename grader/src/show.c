/**
 * @file show.c
 * @brief `grader/grade --show TEST`: one test's memory, recorded under GDB.
 *
 * Rules:
 *  1. The learner's file goes the way of a grading: found and copied by
 *     discover.c (never through a link), compiled, scanned and renamed by
 *     build.c in the sandbox, linked with its exercise's tests.
 *  2. The recording runs in the same sandbox as grading (an unprivileged
 *     uid of its own when the grader is root, its limits, namespaces where
 *     the machine allows): GDB, its Python recorder (grader/show/record.py,
 *     copied beside the binary, since the sandbox hides the course) and the
 *     test's process all run as that uid.
 *  3. Bounds, all in CPU time: RLIMIT_CPU on GDB and on the test (prlimit,
 *     inherited), the CPU of the whole recording (sandbox_run()), the
 *     recorder's own step limits and its blocked rule (every thread of the
 *     test asleep, not held by GDB). The harness's own clocks are set out
 *     of the way (#SHOW_HARNESS_FLOOR): under GDB they would read a test
 *     held at a breakpoint as asleep. Wall-clock time is only the
 *     backstop, and reaching it is reported as a busy machine.
 *  4. What comes out of the sandbox (the trace) was written where learner
 *     code could write: it is read without following links, capped in size,
 *     and left for render.py to parse as hostile input.
 */
#define _GNU_SOURCE
#include "show.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "catalogue.h"
#include "course_protocol.h"
#include "course.h"
#include "discover.h"
#include "sandbox.h"
#include "util.h"

/** CPU seconds GDB and the test may each use (RLIMIT_CPU): the limit that
 *  decides. */
#define SHOW_CPU_S 30
/** CPU seconds of the whole recording (GDB, the harness, the test), for
 *  sandbox_run(); its wall-clock backstop is #PROTO_WALL_FACTOR times this,
 *  and reaching it means the machine was busy. */
#define SHOW_TREE_CPU_S 60.0
/** The harness's FLOOR, the CPU seconds any test may use. The zygote
 *  keeps a test's clock itself, and under GDB its rules would misjudge: a
 *  test child held at a breakpoint is not running, so to the zygote it
 *  "sleeps", and after twice its allowance in wall-clock time (2 s for a
 *  test that declares no timeout) it would be killed as blocked, in the
 *  middle of the recording, sooner the busier the machine. The floor is a
 *  day, so that none of the zygote's rules can fire before RLIMIT_CPU
 *  (#SHOW_CPU_S) or the recorder's own blocked rule do. */
#define SHOW_HARNESS_FLOOR "86400"
/** The harness's SCALE of declared timeouts: the floor above decides. */
#define SHOW_HARNESS_SCALE "1"
/** Largest trace copied out of the sandbox, in bytes. */
#define TRACE_MAX_BYTES (32u << 20)
/** Listing the tests runs no learner code. */
#define LIST_TIMEOUT_S 30.0

/** The command line of `--show`. */
struct show_options {
    const char *test;       /**< `--show TEST` */
    const char *exercise;   /**< `--exercise NAME` */
    const char *out_dir;    /**< `--show-out DIR` */
    const char *course;     /**< `--course DIR` */
    const char *submission; /**< `--submission DIR` */
};

static int parse(int argc, char **argv, struct show_options *opt)
{
    static const struct option longs[] = {
        { "show", required_argument, NULL, 'S' },
        { "exercise", required_argument, NULL, 'e' },
        { "show-out", required_argument, NULL, 'o' },
        { "course", required_argument, NULL, 'c' },
        { "submission", required_argument, NULL, 's' },
        { 0 },
    };
    *opt = (struct show_options){ 0 };
    int c;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'S': opt->test = optarg; break;
        case 'e': opt->exercise = optarg; break;
        case 'o': opt->out_dir = optarg; break;
        case 'c': opt->course = optarg; break;
        case 's': opt->submission = optarg; break;
        default: return -1;
        }
    }
    return optind == argc && opt->test && opt->exercise && opt->out_dir ? 0 : -1;
}

/* The lesson that has exercise @p name, or NULL. */
static const struct lesson *lesson_of(const struct course *course, const char *name)
{
    for (size_t i = 0; i < course->n_lessons; i++) {
        for (size_t e = 0; course->lessons[i].exercises && course->lessons[i].exercises[e]; e++) {
            if (strcmp(course->lessons[i].exercises[e], name) == 0)
                return &course->lessons[i];
        }
    }
    return NULL;
}


/* The catalogue index of test @p test (course code lists it), or -1. */
/** Largest `--list` output read (the test binary holds learner code). */
#define SHOW_LIST_MAX_BYTES (16 << 20)

static long test_index(const char *catalogue_bin, const char *dir, const char *test)
{
    char *out = str_printf("%s/catalogue.json", dir);
    const char *argv[] = { catalogue_bin, "--list", NULL };
    struct spawn spawn = { .argv = argv, .cwd = dir, .output_path = out, .result_fd = -1 };
    int status = 0;
    long index = -1;
    struct catalogue tests = { 0 };
    if (out && sandbox_run(sandbox_trusted(), &spawn, LIST_TIMEOUT_S, &status) == 0
        && WIFEXITED(status) && WEXITSTATUS(status) == 0
        && catalogue_load(out, SHOW_LIST_MAX_BYTES, &tests) == 0) {
        for (size_t i = 0; i < tests.n; i++) {
            if (tests.tests[i].name && strcmp(tests.tests[i].name, test) == 0)
                index = (long)i;
        }
        if (index < 0) {
            fprintf(stderr, "show: no test '%s'; tests are:", test);
            for (size_t i = 0; i < tests.n; i++)
                fprintf(stderr, " %s", str_or_empty(tests.tests[i].name));
            fputc('\n', stderr);
        }
    }
    catalogue_done(&tests);
    free(out);
    return index;
}

/* Copies a course file (the recorder) into the sandbox's reach. */
static int course_file_copy(const char *from, const char *to)
{
    size_t len = 0;
    char *text = file_read_course(from, 1u << 20, &len);
    int err = text ? file_write(to, text) : -ENOENT;
    free(text);
    return err;
}

/* Copies the trace out of the sandbox: no link followed, size capped. */
static int trace_copy(const char *from, const char *to)
{
    size_t len = 0;
    char *data = file_read_capped(from, TRACE_MAX_BYTES, &len);
    if (!data)
        return -EINVAL;
    FILE *out = fopen(to, "w");
    int err = out && fwrite(data, 1, len, out) == len ? 0 : -EIO;
    if (out && fclose(out) != 0)
        err = -EIO;
    free(data);
    return err;
}

/** The recorder in the course tree; set by show_main(). */
static char *show_recorder_path;

/* Runs GDB with the recorder on test @p index of @p test_bin, in @p box. */
static int record(const struct sandbox *box, const char *work_dir, const char *test_bin,
                  const char *exercise, long index)
{
    char *run_dir = str_printf("%s/show", work_dir);
    char *script = str_printf("%s/record.py", run_dir);
    char *logs = str_printf("%s/logs", run_dir);
    char *scratch = str_printf("%s/scratch", run_dir);
    char *log = str_printf("%s/gdb.log", run_dir);
    char *index_arg = str_printf("%ld", index);
    char *learner_env = str_printf("SHOW_LEARNER=%s.c", exercise);
    char *cpu = str_printf("--cpu=%d", SHOW_CPU_S);
    int err = -ENOMEM;
    if (!run_dir || !script || !logs || !scratch || !log || !index_arg || !learner_env || !cpu)
        goto out;
    err = -EIO;
    if (dir_make_mode(run_dir, 0700) != 0 || sandbox_give(box, run_dir) != 0)
        goto out;
    const char *argv[] = { "prlimit", cpu, "gdb", "-batch", "-nx", "-x", "record.py", "--args",
                           test_bin, "--run", PROTO_RUN_LOGS, PROTO_RUN_SCRATCH, SHOW_HARNESS_SCALE,
                           SHOW_HARNESS_FLOOR, index_arg, NULL };
    const char *env[] = { learner_env, "SHOW_TRACE=trace.jsonl", NULL };
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    struct spawn spawn = { .argv = argv, .cwd = run_dir, .output_path = log,
                           .result_fd = devnull, .env_extra = env };
    /* The recorder, logs and scratch belong to the sandbox's uid. */
    if (devnull < 0 || course_file_copy(show_recorder_path, script) != 0
        || dir_make_mode(logs, 0700) != 0 || dir_make_mode(scratch, 0700) != 0
        || sandbox_give(box, logs) != 0 || sandbox_give(box, scratch) != 0) {
        if (devnull >= 0)
            close(devnull);
        goto out;
    }
    int status = 0;
    err = sandbox_run(box, &spawn, SHOW_TREE_CPU_S, &status);
    close(devnull);
    if (err == -ETIMEDOUT)
        fprintf(stderr, "show: the recording used its %.0f s of CPU and was stopped; "
                "the page shows the steps recorded until then\n", SHOW_TREE_CPU_S);
    else if (err == -EBUSY)
        fprintf(stderr, "show: the machine was too busy: in %.0f s of wall-clock time the "
                "recording did not get its CPU, and was stopped (this says nothing about "
                "your code); the page shows the steps recorded until then, or run make "
                "show again when the machine is less busy\n",
                SHOW_TREE_CPU_S * PROTO_WALL_FACTOR);
out:
    free(run_dir), free(script), free(logs), free(scratch), free(log), free(index_arg);
    free(learner_env), free(cpu);
    return err == -ETIMEDOUT || err == -EBUSY ? 0 : err;
}

/* Builds the exercise in @p work_root and records the test; 0, 1 or 2. */
static int show_in(const struct show_options *opt, const char *course_root,
                   const struct course *course, const char *work_root)
{
    const struct lesson *lesson = lesson_of(course, opt->exercise);
    if (!lesson) {
        fprintf(stderr, "show: no exercise '%s' in this course\n", opt->exercise);
        return 2;
    }
    char submission[PATH_MAX];
    char *default_submission = str_printf("%s/exercises", course_root);
    const char *asked = opt->submission ? opt->submission : default_submission;
    if (!asked || !realpath(asked, submission)) {
        fprintf(stderr, "show: the submission directory %s does not exist\n", asked);
        free(default_submission);
        return 2;
    }
    free(default_submission);
    struct discovery found;
    if (discover_submission(submission, course, &found) != 0)
        return 2;
    char *copied = str_printf("%s/submission", work_root);
    char *unit = str_printf("%s/unit", work_root);
    char *work = str_printf("%s/unit/%s", work_root, opt->exercise);
    char *harness = build_prebuilt_harness();
    char *source = str_printf("%s/%s/%s.c", copied, lesson->slug, opt->exercise);
    int code = 2;
    struct sandbox box;
    sandbox_init(&box, 0);
    bool namespaces = false;
    sandbox_probe(&namespaces);
    box.namespaces = namespaces;
    box.keep_dir = unit;
    box.hide_dirs[0] = course_root;
    struct build_result built = { 0 };
    if (!copied || !unit || !work || !source || discovery_materialize(&found, copied) != 0
        || dir_make_mode(unit, 0711) != 0 || dir_make_mode(work, 0755) != 0)
        goto out;
    if (box.privileged && (chown(unit, 0, box.uid) != 0 || chmod(unit, 0750) != 0))
        goto out;
    if (!harness) {
        harness = str_printf("%s/harness", work_root);
        char *error = harness ? build_harness(course_root, harness, false) : NULL;
        if (!harness || error) {
            fprintf(stderr, "show: %s\n", error ? error : "out of memory");
            free(error);
            goto out;
        }
    }
    struct build_env env = { .course_root = course_root, .harness_dir = harness,
                             .sandbox = &box };
    build_exercise(&env, lesson, opt->exercise, copied, work, &built);
    if (built.course_error) {
        fprintf(stderr, "show: %s\n", built.course_error);
        goto out;
    }
    if (!built.learner_obj || !build_link_exercise(&env, lesson, opt->exercise, work, &built)) {
        fprintf(stderr, "show: %s.c does not build, so there is nothing to show:\n%s\n",
                opt->exercise, built.learner_log ? built.learner_log : "(missing)");
        code = 1;
        goto out;
    }
    long index = test_index(built.catalogue_bin, work, opt->test);
    if (index < 0) {
        code = 1;
        goto out;
    }
    if (record(&box, work, built.test_bin, opt->exercise, index) != 0) {
        fprintf(stderr, "show: the recording could not be started\n");
        goto out;
    }
    char *trace = str_printf("%s/show/trace.jsonl", work);
    char *trace_out = str_printf("%s/trace.jsonl", opt->out_dir);
    char *source_out = str_printf("%s/source.c", opt->out_dir);
    /* GDB's own log goes beside the trace, for whoever asks why a
     * recording ended where it did (not read by the page). */
    char *log_out = str_printf("%s/gdb.log", opt->out_dir);
    char *log_in = str_printf("%s/show/gdb.log", work);
    if (log_out && log_in && dir_make(opt->out_dir) == 0)
        trace_copy(log_in, log_out);
    free(log_out), free(log_in);
    if (trace && trace_out && source_out && dir_make(opt->out_dir) == 0
        && trace_copy(trace, trace_out) == 0 && course_file_copy(source, source_out) == 0) {
        code = 0;
    } else {
        char *log = str_printf("%s/show/gdb.log", work);
        char *tail = log ? file_read_tail(log, 2048) : NULL;
        fprintf(stderr, "show: no trace was recorded%s%s\n", tail ? ":\n" : "", tail ? tail : "");
        free(log), free(tail);
    }
    free(trace), free(trace_out), free(source_out);
out:
    build_result_done(&built);
    sandbox_kill(&box, 0);
    discovery_done(&found);
    free(copied), free(unit), free(work), free(harness), free(source);
    return code;
}

int show_main(int argc, char **argv)
{
    struct show_options opt;
    if (parse(argc, argv, &opt) != 0) {
        fputs("usage: grader/grade --show TEST --exercise NAME --show-out DIR\n"
              "                    [--course DIR] [--submission DIR]\n", stderr);
        return 2;
    }
    char course_root[PATH_MAX];
    if (!realpath(opt.course ? opt.course : ".", course_root)) {
        fputs("show: the course directory does not exist\n", stderr);
        return 2;
    }
    struct course course;
    char *error = NULL;
    if (course_load(course_root, &course, &error) != 0) {
        fprintf(stderr, "show: %s\n", error ? error : "cannot read the course");
        free(error);
        return 2;
    }
    show_recorder_path = str_printf("%s/grader/show/record.py", course_root);
    char work_root[] = "/tmp/grader-show-XXXXXX";
    int code = 2;
    if (show_recorder_path && mkdtemp(work_root) && chmod(work_root, 0711) == 0) {
        code = show_in(&opt, course_root, &course, work_root);
        dir_remove(work_root);
    }
    free(show_recorder_path);
    course_done(&course);
    return code;
}
