/**
 * @file build.c
 * @brief Compiling and linking one exercise, course side and learner side.
 *
 * Steps for exercise X of lesson L:
 *  1. course: tests/X_test.c -> test.o; catalogue binary = harness + test.o,
 *     learner symbols left unresolved (it only ever lists the tests);
 *  2. learner: copy X.c and the course's headers into the work directory
 *     (a submission never supplies headers), compile to assembly in the
 *     sandbox, refuse inline assembly, assemble, refuse forbidden sections
 *     and symbols, rename allocator and exit calls;
 *  3. link harness + test.o + learner object into the test binary.
 */
#define _GNU_SOURCE
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "scan.h"
#include "util.h"

/** Compiling one file must never take longer than this (seconds). */
#define COMPILE_TIMEOUT_S 60.0

/** Longest compiler output kept for a learner. */
#define LOG_MAX_BYTES 8192

static const char *const harness_sources[] = { "harness", "alloc_faults", "exit_guard", NULL };

/** Compiler flags for every file the grader compiles: debug info for Valgrind's
 *  line numbers, no optimisation, frame pointers, the usual warnings. */
#define BASE_CFLAGS "-g", "-O0", "-fno-omit-frame-pointer", "-Wall", "-Wextra"
/** Compiler flags added in `--fast` mode: AddressSanitizer and
 *  UndefinedBehaviorSanitizer, stopping at the first undefined behaviour. */
#define SANITIZE_FLAGS "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"

/* Runs a command to completion; on failure returns its output as a message. */
static char *run_step(const struct sandbox *box, const char *const *argv,
                      const char *cwd, const char *log_path, bool *ok)
{
    int status = 0;
    struct spawn spawn = { .argv = argv, .cwd = cwd, .output_path = log_path,
                           .result_fd = -1 };
    int err = sandbox_run(box, &spawn, COMPILE_TIMEOUT_S, &status);
    *ok = err == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    char *log = file_read_tail(log_path, LOG_MAX_BYTES);
    if (err == -ETIMEDOUT) {
        free(log);
        return str_printf("%s took longer than %.0f s and was stopped", argv[0],
                          COMPILE_TIMEOUT_S);
    }
    if (log && log[0] == '\0') {
        free(log);
        log = NULL;
    }
    return log;
}

/* Compiles the harness sources into @p dir, sanitized or not. */
static char *build_harness_variant(const char *course_root, const char *dir, bool sanitize)
{
    if (dir_make(dir) != 0)
        return str_printf("cannot create %s", dir);
    char *error = NULL;
    for (const char *const *name = harness_sources; *name && !error; name++) {
        char *src = str_printf("%s/grader/harness/%s.c", course_root, *name);
        char *obj = str_printf("%s/%s.o", dir, *name);
        char *inc = str_printf("-I%s/grader/include", course_root);
        char *log = str_printf("%s/%s.log", dir, *name);
        const char *plain[] = { "gcc", "-std=gnu11", BASE_CFLAGS, inc, "-c", src, "-o", obj, NULL };
        const char *sanitized[] = { "gcc", "-std=gnu11", BASE_CFLAGS, SANITIZE_FLAGS, inc,
                                    "-c", src, "-o", obj, NULL };
        bool ok = false;
        char *out = run_step(sandbox_trusted(), sanitize ? sanitized : plain, dir, log, &ok);
        if (!ok)
            error = str_printf("the grader's harness did not compile:\n%s", out ? out : "");
        free(out);
        free(src), free(obj), free(inc), free(log);
    }
    return error;
}

char *build_harness(const char *course_root, const char *out_dir, bool fast)
{
    /* The catalogue binary is always plain: only a plain link may leave the
     * learner's functions unresolved. */
    char *plain = str_printf("%s/plain", out_dir);
    char *fast_dir = str_printf("%s/fast", out_dir);
    char *error = build_harness_variant(course_root, plain, false);
    if (!error && fast)
        error = build_harness_variant(course_root, fast_dir, true);
    free(plain), free(fast_dir);
    return error;
}

/* Appends the elements of @p extra to argv at *n. */
static void argv_append(const char **argv, size_t *n, const strv extra)
{
    for (size_t i = 0; extra && extra[i]; i++)
        argv[(*n)++] = extra[i];
}

/* Fills @p argv with one compile command:
 * gcc STD BASE_CFLAGS [sanitizers] LESSON_CFLAGS INCLUDES STEP SRC -o OUT. */
static void compile_argv(const char **argv, const char *std, bool sanitize,
                         const struct lesson *lesson, const char *const *includes,
                         const char *step, const char *src, const char *out)
{
    size_t n = 0;
    const char *head[] = { "gcc", std, BASE_CFLAGS, NULL };
    for (const char *const *p = head; *p; p++)
        argv[n++] = *p;
    if (sanitize) {
        const char *sanitizers[] = { SANITIZE_FLAGS, NULL };
        for (const char *const *p = sanitizers; *p; p++)
            argv[n++] = *p;
    }
    argv_append(argv, &n, lesson->cflags);
    for (const char *const *p = includes; *p; p++)
        argv[n++] = *p;
    argv[n++] = step;
    argv[n++] = src;
    argv[n++] = "-o";
    argv[n++] = out;
    argv[n] = NULL;
}

static char *link_binary(const struct build_env *env, const struct lesson *lesson,
                         const char *work_dir, const char *learner_obj,
                         const char *out_name, bool *ok, const char *log_name)
{
    bool sanitize = env->fast && learner_obj;
    char *objs[3];
    for (int i = 0; i < 3; i++)
        objs[i] = str_printf("%s/%s/%s.o", env->harness_dir, sanitize ? "fast" : "plain",
                             harness_sources[i]);
    char *test_obj = str_printf("%s/%s", work_dir, sanitize ? "test-fast.o" : "test.o");
    char *bin = str_printf("%s/%s", work_dir, out_name);
    char *log = str_printf("%s/%s", work_dir, log_name);
    const char *argv[64];
    size_t n = 0;
    argv[n++] = "gcc";
    if (sanitize)
        argv[n++] = "-fsanitize=address,undefined";
    argv[n++] = "-o";
    argv[n++] = bin;
    for (int i = 0; i < 3; i++)
        argv[n++] = objs[i];
    argv[n++] = test_obj;
    if (learner_obj) {
        argv[n++] = learner_obj;
    } else {
        /* Only lists tests, never calls learner code; a position-dependent
         * binary can leave those calls unresolved, a PIE cannot. */
        argv[n++] = "-no-pie";
        argv[n++] = "-Wl,--unresolved-symbols=ignore-all";
    }
    argv[n++] = "-lcriterion";
    argv[n++] = "-ljansson";
    argv_append(argv, &n, lesson->ldlibs);
    argv[n] = NULL;
    char *message = run_step(sandbox_trusted(), argv, work_dir, log, ok);
    for (int i = 0; i < 3; i++)
        free(objs[i]);
    free(test_obj), free(log);
    if (!*ok) {
        free(bin);
        return message;
    }
    free(message);
    return bin;
}

static char *compile_tests(const struct build_env *env, const struct lesson *lesson,
                           const char *exercise, const char *work_dir, bool sanitize)
{
    char *src = str_printf("%s/lessons/%s/tests/%s_test.c", env->course_root,
                           lesson->slug, exercise);
    char *obj = str_printf("%s/%s", work_dir, sanitize ? "test-fast.o" : "test.o");
    char *inc_grader = str_printf("-I%s/grader/include", env->course_root);
    char *inc_lesson = str_printf("-I%s/exercises/%s", env->course_root, lesson->slug);
    char *log = str_printf("%s/test-compile.log", work_dir);
    const char *includes[] = { inc_grader, inc_lesson, NULL };
    const char *argv[64];
    compile_argv(argv, "-std=gnu11", sanitize, lesson, includes, "-c", src, obj);
    bool ok = false;
    char *message = run_step(sandbox_trusted(), argv, work_dir, log, &ok);
    char *error = ok ? NULL : str_printf("the course's tests %s did not compile:\n%s", src,
                                         message ? message : "");
    free(message);
    free(src), free(obj), free(inc_grader), free(inc_lesson), free(log);
    return error;
}

/* Copies a file byte for byte. */
static int file_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -errno;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -errno;
    }
    char buffer[65536];
    size_t got;
    int err = 0;
    while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0) {
        if (fwrite(buffer, 1, got, out) != got) {
            err = -EIO;
            break;
        }
    }
    fclose(in);
    if (fclose(out) != 0 && err == 0)
        err = -errno;
    return err;
}

/* Copies the course's headers of a lesson: a submission's own are ignored. */
static int copy_headers(const char *course_root, const char *slug, const char *to_dir)
{
    char *from_dir = str_printf("%s/exercises/%s", course_root, slug);
    DIR *dir = from_dir ? opendir(from_dir) : NULL;
    if (!dir) {
        free(from_dir);
        return -ENOENT;
    }
    int err = 0;
    struct dirent *entry;
    while (err == 0 && (entry = readdir(dir)) != NULL) {
        size_t len = strlen(entry->d_name);
        if (len < 3 || strcmp(entry->d_name + len - 2, ".h") != 0)
            continue;
        char *from = str_printf("%s/%s", from_dir, entry->d_name);
        char *to = str_printf("%s/%s", to_dir, entry->d_name);
        err = from && to ? file_copy(from, to) : -ENOMEM;
        free(from), free(to);
    }
    closedir(dir);
    free(from_dir);
    return err;
}

/* Step 2: learner source to checked, renamed object. Returns the object path
 * or NULL with *log set to what the learner must read. */
static char *compile_learner(const struct build_env *env, const struct lesson *lesson,
                             const char *exercise, const char *submission_root,
                             const char *work_dir, char **log)
{
    char *from = str_printf("%s/%s/%s.c", submission_root, lesson->slug, exercise);
    char *dir = str_printf("%s/learner", work_dir);
    char *src = str_printf("%s/%s.c", dir, exercise);
    char *as = str_printf("%s/%s.s", dir, exercise);
    char *obj = str_printf("%s/%s.o", dir, exercise);
    char *inc = str_printf("-I%s", dir);
    char *step_log = str_printf("%s/compile.log", dir);
    char *result = NULL;
    bool ok = false;

    if (!path_exists(from)) {
        *log = str_printf("%s/%s.c is missing from the submission", lesson->slug, exercise);
        goto out;
    }
    if (dir_make(dir) != 0 || file_copy(from, src) != 0
        || copy_headers(env->course_root, lesson->slug, dir) != 0
        || sandbox_give(env->sandbox, dir) != 0) {
        *log = str_printf("the grader could not prepare %s for compiling", src);
        goto out;
    }
    const char *includes[] = { inc, NULL };
    const char *argv[64];
    compile_argv(argv, "-std=c11", false, lesson, includes, "-S", src, as);
    *log = run_step(env->sandbox, argv, dir, step_log, &ok);
    if (!ok)
        goto out;
    char *refused = scan_assembly(as);
    if (refused) {
        free(*log);
        *log = str_printf("%s.c was refused: %s.", exercise, refused);
        free(refused);
        goto out;
    }
    const char *assemble[] = { "gcc", "-c", as, "-o", obj, NULL };
    char *as_log = run_step(env->sandbox, assemble, dir, step_log, &ok);
    free(as_log);
    if (!ok)
        goto out;
    if ((refused = scan_object(obj)) != NULL) {
        free(*log);
        *log = str_printf("%s.c was refused: %s.", exercise, refused);
        free(refused);
        goto out;
    }
    if (env->fast) {
        /* The sanitized object is what runs; the plain one was only checked. */
        compile_argv(argv, "-std=c11", true, lesson, includes, "-c", src, obj);
        char *fast_log = run_step(env->sandbox, argv, dir, step_log, &ok);
        free(fast_log);
        if (!ok)
            goto out;
    }
    char *syms = str_printf("--redefine-syms=%s/grader/harness/learner.syms", env->course_root);
    const char *rename[] = { "objcopy", syms, obj, NULL };
    char *rename_log = run_step(sandbox_trusted(), rename, dir, step_log, &ok);
    free(rename_log);
    free(syms);
    if (ok) {
        result = obj;
        obj = NULL;
    }
out:
    free(from), free(dir), free(src), free(as), free(obj), free(inc), free(step_log);
    return result;
}

void build_exercise(const struct build_env *env, const struct lesson *lesson,
                    const char *exercise, const char *submission_root,
                    const char *work_dir, struct build_result *out)
{
    *out = (struct build_result){ 0 };
    if (dir_make(work_dir) != 0) {
        out->course_error = str_printf("cannot create %s", work_dir);
        return;
    }
    out->course_error = compile_tests(env, lesson, exercise, work_dir, false);
    if (!out->course_error && env->fast)
        out->course_error = compile_tests(env, lesson, exercise, work_dir, true);
    if (out->course_error)
        return;
    bool ok = false;
    char *made = link_binary(env, lesson, work_dir, NULL, "catalogue", &ok, "catalogue.log");
    if (!ok) {
        out->course_error = str_printf("the catalogue of %s/%s did not link:\n%s",
                                       lesson->slug, exercise, made ? made : "");
        free(made);
        return;
    }
    out->catalogue_bin = made;

    char *learner_obj = compile_learner(env, lesson, exercise, submission_root, work_dir,
                                        &out->learner_log);
    if (!learner_obj)
        return;
    made = link_binary(env, lesson, work_dir, learner_obj, "tests", &ok, "link.log");
    free(learner_obj);
    if (ok) {
        out->test_bin = made;
        return;
    }
    char *why = str_printf("%s%s%s.c compiled, but linking it with the tests failed "
                           "(a function missing or misnamed?):\n%s",
                           out->learner_log ? out->learner_log : "",
                           out->learner_log ? "\n" : "", exercise, made ? made : "");
    free(made);
    free(out->learner_log);
    out->learner_log = why;
}

void build_result_done(struct build_result *result)
{
    free(result->catalogue_bin);
    free(result->test_bin);
    free(result->learner_log);
    free(result->course_error);
    *result = (struct build_result){ 0 };
}
