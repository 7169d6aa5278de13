/**
 * @file main.c
 * @brief grader/grade: reads the command line, then grades in three steps
 *        (grading.h): prepare, run, report.
 *
 * Exit status: 0 when every graded test earned full points, 1 when any did
 * not, 2 for a usage or infrastructure error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "grading.h"
#include "show.h"

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
          "  --until-lost      stop each exercise at its first failed test, the rest\n"
          "                    scored 0: proves a planted bug loses points, faster\n"
          "                    (a score is then a bound, not a grade)\n"
          "  --tests-overlay DIR  also run the instructor's hidden tests,\n"
          "                    DIR/SLUG/EXERCISE_test.c (see grader/src/overlay.h)\n"
          "  --fast            AddressSanitizer + UndefinedBehaviorSanitizer build, no\n"
          "                    Valgrind: quick, NOT the grade\n"
          "  --jobs N          units (lessons, or parts of one) graded at once\n"
          "                    (default: number of cores)\n"
          "exit status: 0 all tests full marks, 1 some not, 2 usage or grader error\n",
          out);
}

static int parse_options(int argc, char **argv, struct grading_options *opt)
{
    static const struct option longs[] = {
        { "course", required_argument, NULL, 'c' },
        { "submission", required_argument, NULL, 's' },
        { "lesson", required_argument, NULL, 'l' },
        { "json", required_argument, NULL, 'J' },
        { "junit", required_argument, NULL, 'U' },
        { "tap", required_argument, NULL, 'T' },
        { "exercise", required_argument, NULL, 'e' },
        { "describe", no_argument, NULL, 'D' },
        { "until-lost", no_argument, NULL, 'L' },
        { "fast", no_argument, NULL, 'f' },
        { "jobs", required_argument, NULL, 'j' },
        { "verbose", no_argument, NULL, 'v' },
        { "keep", no_argument, NULL, 'k' },
        { "build-harness", required_argument, NULL, 'B' },
        { "tests-overlay", required_argument, NULL, 'O' },
        { "prairielearn", required_argument, NULL, 'P' },
        { "platform", required_argument, NULL, 'p' },
        { "check", no_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    *opt = (struct grading_options){ .jobs = sysconf(_SC_NPROCESSORS_ONLN) };
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
        case 'L': opt->until_lost = true; break;
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

/* Even a bad command line gets its results.json, if it named one. */
static void options_salvage_reports(int argc, char **argv, struct grading_options *opt)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            opt->json_path = argv[i + 1];
        if (strcmp(argv[i], "--prairielearn") == 0)
            opt->pl_path = argv[i + 1];
    }
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--json=", 7) == 0)
            opt->json_path = argv[i] + 7;
    }
}

/* --build-harness DIR: only the harness objects, for `make`. */
static int harness_build_only(const struct grading_options *opt)
{
    char course_root[PATH_MAX];
    if (!realpath(opt->course_root ? opt->course_root : ".", course_root)) {
        fprintf(stderr, "grade: the course directory does not exist\n");
        return 2;
    }
    char *error = build_harness(course_root, opt->build_harness, true);
    if (error)
        fprintf(stderr, "grade: %s\n", error);
    free(error);
    return error ? 2 : 0;
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
    struct grading_options opt;
    struct grading grading;
    int parsed = parse_options(argc, argv, &opt);
    grading_init(&grading, &opt);
    if (parsed != 0) {
        usage(stderr);
        options_salvage_reports(argc, argv, &opt);
        grading_fail(&grading, NULL, parsed == -ENOMEM ? "out of memory"
                                     : "bad command line: see grader/grade --help");
    } else if (opt.build_harness) {
        free(opt.lessons);
        return harness_build_only(&opt);
    }
    if (grading_prepare(&grading) == 0 && !opt.check_only && !opt.describe)
        grading_run(&grading);
    int status = grading_report(&grading);
    grading_done(&grading);
    free(opt.lessons);
    return status;
}
