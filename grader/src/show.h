/**
 * @file show.h
 * @brief `grader/grade --show TEST`: records one test's memory, step by step.
 */
#ifndef GRADER_SHOW_H
#define GRADER_SHOW_H

/**
 * @brief The `--show` mode of grader/grade: builds one exercise as grading
 *        does, runs one of its tests under GDB with grader/show/record.py,
 *        in the grading sandbox, and copies the recorded trace out.
 *
 * `grader/grade --show TEST --exercise NAME --show-out DIR [--course DIR]
 * [--submission DIR]` writes DIR/trace.jsonl (the recorder's output, hostile
 * input for whoever reads it) and DIR/source.c (the learner's file as it was
 * built). grader/show/render.py turns them into a page.
 *
 * @param[in] argc number of command-line arguments.
 * @param[in] argv the arguments, argv[1] being "--show"; borrowed.
 * @return 0 when a trace was recorded, 1 when the test could not be shown
 *         (the learner's file does not build, no such test), 2 for a usage
 *         or infrastructure error.
 */
int show_main(int argc, char **argv);

#endif /* GRADER_SHOW_H */
