/**
 * @file build.c
 * @brief Compiling and linking exercises, course side and learner side.
 *
 * Steps for exercise X of lesson L (build_exercise()):
 *  1. course: tests/X_test.c -> test.o; catalogue binary = harness + test.o,
 *     learner symbols left unresolved (it only ever lists the tests);
 *  2. learner: copy X.c and the course's headers into the work directory
 *     (a submission never supplies headers), compile to assembly in the
 *     sandbox, refuse inline assembly, assemble, refuse forbidden sections
 *     and symbols, rename allocator and exit calls.
 * Then the test binary is linked: harness + the lesson's support objects
 * once + test.o and learner object of each exercise of a group
 * (build_link_group()), so that Valgrind starts once for the group; or of
 * one exercise alone (build_link_exercise()), which also tells the learner
 * why a link failed.
 */
#define _GNU_SOURCE
#include "build.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "argv.h"
#include "course_protocol.h"
#include "scan.h"
#include "util.h"

/** Longest compiler output kept for a learner. */
#define LOG_MAX_BYTES 8192
/** Largest source file a submission may have. */
#define SOURCE_MAX_BYTES (1 << 20)
/** Largest object file the compiler may make of it. */
#define OBJECT_MAX_BYTES (16 << 20)

static const char *const harness_sources[] = { "harness", "alloc_faults", "exit_guard",
                                               "fs_guard", "mem_guard", NULL };
/** The number of harness sources, without the terminating NULL. */
#define N_HARNESS_SOURCES (sizeof(harness_sources) / sizeof(*harness_sources) - 1)

/** Compiler flags for every file the grader compiles: debug info for Valgrind's
 *  line numbers, no optimisation, frame pointers, the usual warnings. */
#define BASE_CFLAGS "-g", "-O0", "-fno-omit-frame-pointer", "-Wall", "-Wextra"
/** Compiler flags added in `--fast` mode: AddressSanitizer and
 *  UndefinedBehaviorSanitizer, stopping at the first undefined behaviour. */
#define SANITIZE_FLAGS "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"

/* Runs a command to completion; on failure returns its output as a message.
 * A NULL @p argv is a command that ran out of memory while it was built. */
static char *run_step(const struct sandbox *box, const char *const *argv,
                      const char *cwd, const char *log_path, bool *ok)
{
    *ok = false;
    if (!argv || !log_path)
        return strdup("the grader ran out of memory building a command");
    int status = 0;
    struct spawn spawn = { .argv = argv, .cwd = cwd, .output_path = log_path,
                           .result_fd = -1 };
    int err = sandbox_run(box, &spawn, PROTO_COMPILE_CPU_S, &status);
    *ok = err == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    char *log = file_read_tail(log_path, LOG_MAX_BYTES);
    if (err == -ETIMEDOUT || err == -EBUSY) {
        free(log);
        return err == -ETIMEDOUT
                   ? str_printf("%s used more than %.0f s of CPU and was stopped", argv[0],
                                PROTO_COMPILE_CPU_S)
                   : str_printf("%s was stopped after %.0f s: the machine gave it too "
                                "little CPU (grade again when it is less busy)", argv[0],
                                PROTO_COMPILE_CPU_S * PROTO_WALL_FACTOR);
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
    static const char *const base[] = { "gcc", "-std=gnu11", BASE_CFLAGS, NULL };
    static const char *const sanitizers[] = { SANITIZE_FLAGS, NULL };
    char *error = NULL;
    for (const char *const *name = harness_sources; *name && !error; name++) {
        struct argv_builder args = { 0 };
        argv_add_all(&args, base);
        argv_add_all(&args, sanitize ? sanitizers : NULL);
        argv_addf(&args, "-I%s/grader/include", course_root);
        argv_add(&args, "-c");
        argv_addf(&args, "%s/grader/harness/%s.c", course_root, *name);
        argv_add(&args, "-o");
        argv_addf(&args, "%s/%s.o", dir, *name);
        char *log = str_printf("%s/%s.log", dir, *name);
        bool ok = false;
        char *out = run_step(sandbox_trusted(), argv_get(&args), dir, log, &ok);
        if (!ok)
            error = str_printf("the grader's harness did not compile:\n%s", out ? out : "");
        free(out), free(log);
        argv_done(&args);
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

/* Appends one compile command to @p args:
 * gcc STD BASE_CFLAGS [sanitizers] LESSON_CFLAGS INCLUDES STEP SRC -o OUT. */
static void compile_args(struct argv_builder *args, const char *std, bool sanitize,
                         const struct lesson *lesson, const char *const *includes,
                         size_t n_includes, const char *step, const char *src,
                         const char *out)
{
    static const char *const sanitizers[] = { SANITIZE_FLAGS, NULL };
    const char *const head[] = { "gcc", std, BASE_CFLAGS, NULL };
    argv_add_all(args, head);
    argv_add_all(args, sanitize ? sanitizers : NULL);
    argv_add_all(args, (const char *const *)lesson->cflags);
    for (size_t i = 0; i < n_includes; i++)
        argv_add(args, includes[i]); /* a NULL, out of memory, loses the command */
    argv_add(args, step);
    argv_add(args, src);
    argv_add(args, "-o");
    argv_add(args, out);
}

/* The course's sources for an exercise, in link order: its test file, the
 * lesson's support files, then the instructor's hidden test file when the
 * grading has an overlay that holds one. */
static strv course_sources(const struct build_env *env, const struct lesson *lesson,
                           const char *exercise)
{
    size_t n_support = strv_len(lesson->support);
    strv sources = calloc(n_support + 3, sizeof(*sources));
    if (!sources)
        return NULL;
    size_t n = 0;
    sources[n++] = str_printf("%s/lessons/%s/tests/%s_test.c", env->course_root, lesson->slug,
                              exercise);
    for (size_t i = 0; i < n_support; i++)
        sources[n++] = str_printf("%s/exercises/%s/support/%s", env->course_root, lesson->slug,
                                  lesson->support[i]);
    char *hidden = env->overlay_dir ? str_printf("%s/%s/%s_test.c", env->overlay_dir,
                                                 lesson->slug, exercise)
                                    : NULL;
    if (hidden && path_exists(hidden))
        sources[n++] = hidden;
    else
        free(hidden);
    for (size_t i = 0; i < n; i++) {
        if (!sources[i])
            return strv_free(sources);
    }
    return sources;
}

/* Whether course source @p index of @p lesson is the overlay's hidden test. */
static bool course_source_hidden(const struct lesson *lesson, size_t index)
{
    return index > strv_len(lesson->support);
}

/* The object of course source @p index (see course_sources()). */
static char *course_obj(const char *work_dir, const struct lesson *lesson, size_t index,
                        bool sanitize)
{
    const char *tail = sanitize ? "-fast" : "";
    if (index == 0)
        return str_printf("%s/test%s.o", work_dir, tail);
    if (course_source_hidden(lesson, index))
        return str_printf("%s/hidden%s.o", work_dir, tail);
    return str_printf("%s/support-%zu%s.o", work_dir, index, tail);
}

/* Whether GNU gold is installed where the sandbox's PATH finds it. It links
 * a sanitized test binary in a third of ld.bfd's CPU time (measured: 50
 * against 170 ms), on the learner's every save; Debian 13 ships it apart
 * (binutils-gold), so ld.bfd stays the fallback. */
static bool gold_available(void)
{
    static int known = -1;
    if (known < 0)
        known = access("/usr/bin/ld.gold", X_OK) == 0 || access("/bin/ld.gold", X_OK) == 0;
    return known;
}

/* Links DIR/OUT_NAME from the harness, the lesson's support objects once,
 * and each member's test objects and learner object, in that order. Members
 * without a learner object make the catalogue binary, which only lists the
 * tests and leaves the learner's functions unresolved. Returns the binary's
 * path, or NULL with the linker's messages (DIR/LOG_NAME) in *message. */
static char *link_binary(const struct build_env *env, const struct lesson *lesson,
                         const struct build_member *members, size_t n_members,
                         const char *dir, const char *out_name, const char *log_name,
                         char **message)
{
    *message = NULL;
    if (n_members == 0)
        return NULL;
    bool learner = members[0].learner_obj != NULL;
    bool sanitize = env->fast && learner;
    size_t n_support = strv_len(lesson->support);
    struct argv_builder args = { 0 };
    argv_add(&args, "gcc");
    if (sanitize)
        argv_add(&args, "-fsanitize=address,undefined");
    if (sanitize && gold_available())
        argv_add(&args, "-fuse-ld=gold"); /* 50 ms against ld.bfd's 170 ms */
    char *bin_path = str_printf("%s/%s", dir, out_name);
    argv_add(&args, "-o");
    argv_add(&args, bin_path);
    for (size_t i = 0; i < N_HARNESS_SOURCES; i++)
        argv_addf(&args, "%s/%s/%s.o", env->harness_dir, sanitize ? "fast" : "plain",
                  harness_sources[i]);
    for (size_t m = 0; m < n_members; m++) {
        strv sources = course_sources(env, lesson, members[m].exercise);
        size_t n_course = strv_len(sources);
        strv_free(sources);
        if (n_course == 0)
            args.oom = true; /* not even its test file: out of memory */
        for (size_t i = 0; i < n_course; i++) {
            /* The lesson's support objects are the same for every member:
             * linked once, from the first. */
            bool support = i > 0 && !course_source_hidden(lesson, i) && i <= n_support;
            if (support && m > 0)
                continue;
            char *obj = course_obj(members[m].work_dir, lesson, i, sanitize);
            argv_add(&args, obj);
            free(obj);
        }
        if (members[m].learner_obj)
            argv_add(&args, members[m].learner_obj);
    }
    if (!learner) {
        /* Only lists tests, never calls learner code; a position-dependent
         * binary can leave those calls unresolved, a PIE cannot. */
        argv_add(&args, "-no-pie");
        argv_add(&args, "-Wl,--unresolved-symbols=ignore-all");
    }
    argv_add(&args, "-lcriterion");
    argv_add(&args, "-ljansson");
    argv_add_all(&args, (const char *const *)lesson->ldlibs);
    char *log_path = str_printf("%s/%s", dir, log_name);
    bool ok = false;
    char *output = run_step(sandbox_trusted(), argv_get(&args), dir, log_path, &ok);
    argv_done(&args);
    free(log_path);
    if (!ok) {
        free(bin_path);
        *message = output;
        return NULL;
    }
    free(output);
    return bin_path;
}

/* Compiles the exercise's test files and the lesson's support files. */
static char *compile_tests(const struct build_env *env, const struct lesson *lesson,
                           const char *exercise, const char *work_dir, bool sanitize)
{
    char *inc_grader = str_printf("-I%s/grader/include", env->course_root);
    char *inc_lesson = str_printf("-I%s/exercises/%s", env->course_root, lesson->slug);
    char *inc_support = str_printf("-I%s/exercises/%s/support", env->course_root, lesson->slug);
    char *inc_hidden = env->overlay_dir ? str_printf("-I%s/%s", env->overlay_dir, lesson->slug)
                                        : NULL;
    char *log = str_printf("%s/test-compile.log", work_dir);
    const char *includes[] = { inc_grader, inc_lesson, inc_support, inc_hidden,
                               "-DCOURSE_TEST_OVERLAY" };
    strv sources = course_sources(env, lesson, exercise);
    char *error = sources ? NULL : strdup("out of memory listing the course's test files");
    for (size_t i = 0; !error && sources[i]; i++) {
        /* A hidden test file may have headers of its own beside it, and its
         * tests default to Gradescope's "after_due_date" (course_test.h). */
        bool hidden = course_source_hidden(lesson, i);
        char *obj = course_obj(work_dir, lesson, i, sanitize);
        struct argv_builder args = { 0 };
        compile_args(&args, "-std=gnu11", sanitize, lesson, includes, hidden ? 5 : 3, "-c",
                     sources[i], obj);
        bool ok = false;
        char *message = run_step(sandbox_trusted(), argv_get(&args), work_dir, log, &ok);
        argv_done(&args);
        if (!ok)
            error = str_printf("the course's file %s did not compile:\n%s", sources[i],
                               message ? message : "");
        free(message), free(obj);
    }
    strv_free(sources);
    free(inc_grader), free(inc_lesson), free(inc_support), free(inc_hidden), free(log);
    return error;
}

/* Writes @p len bytes to a new file at @p to, in a directory of root's. */
static int bytes_write(const char *to, const char *data, size_t len)
{
    FILE *out = fopen(to, "wbx");
    if (!out)
        return -errno;
    int err = fwrite(data, 1, len, out) == len ? 0 : -EIO;
    if (fclose(out) != 0 && err == 0)
        err = -errno;
    return err;
}

/* Copies a file that learner code could have touched into one of root's. */
static int untrusted_copy(const char *from, const char *to, size_t max_bytes)
{
    size_t len = 0;
    char *data = file_read_capped(from, max_bytes, &len);
    if (!data)
        return -EINVAL;
    int err = bytes_write(to, data, len);
    free(data);
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
        /* A header with a name: not a hidden ".h". */
        if (strlen(entry->d_name) < 3 || !str_ends_with(entry->d_name, ".h"))
            continue;
        char *from = str_printf("%s/%s", from_dir, entry->d_name);
        char *to = str_printf("%s/%s", to_dir, entry->d_name);
        size_t size = 0;
        char *data = from ? file_read_course(from, SOURCE_MAX_BYTES, &size) : NULL;
        err = data && to ? bytes_write(to, data, size) : -EINVAL;
        free(data);
        free(from), free(to);
    }
    closedir(dir);
    free(from_dir);
    return err;
}

/* Says why the submission's file cannot be taken, in the learner's words. */
static char *submission_problem(const char *path, const char *shown)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return str_printf("%s is missing from the submission", shown);
    if (S_ISLNK(st.st_mode))
        return str_printf("%s is a symbolic link: submit the file itself", shown);
    if (!S_ISREG(st.st_mode))
        return str_printf("%s is not a regular file", shown);
    if (st.st_size > SOURCE_MAX_BYTES)
        return str_printf("%s is larger than %d KiB", shown, SOURCE_MAX_BYTES >> 10);
    return str_printf("%s cannot be read (is a folder on its path a symbolic link?)", shown);
}

/* The names the exercise's header declares, from gcc's -aux-info (which
 * lists every function prototype with the file that declared it). */
static strv header_names(const struct build_env *env, const struct lesson *lesson,
                         const char *exercise, const char *work_dir)
{
    char *header = str_printf("%s/exercises/%s/%s.h", env->course_root, lesson->slug, exercise);
    char *info = str_printf("%s/header.aux", work_dir);
    char *log = str_printf("%s/header.log", work_dir);
    struct argv_builder args = { 0 };
    argv_add_all(&args, (const char *const[]){ "gcc", "-std=gnu11", "-fsyntax-only",
                                               "-aux-info", NULL });
    argv_add(&args, info);
    argv_add_all(&args, (const char *const *)lesson->cflags);
    argv_add_all(&args, (const char *const[]){ "-x", "c", NULL });
    argv_add(&args, header);
    bool ok = false;
    free(run_step(sandbox_trusted(), argv_get(&args), work_dir, log, &ok));
    argv_done(&args);
    char *text = ok ? file_read_capped(info, 1 << 20, NULL) : NULL;
    strv names = calloc(1, sizeof(*names));
    size_t count = 0;
    char *save = NULL;
    for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line && names;
         line = strtok_r(NULL, "\n", &save)) {
        /* "/\* /path/x.h:12:NC *\/ extern int x_new (void);" */
        char *close = strstr(line, "*/");
        if (!close || !strstr(line, header) || strstr(line, " static "))
            continue;
        char *paren = close + 2;
        while ((paren = strchr(paren, '(')) != NULL && paren[1] == '*')
            paren++;
        if (!paren)
            continue;
        char *end = paren;
        while (end > close && end[-1] == ' ')
            end--;
        char *begin = end;
        while (begin > close && (isalnum((unsigned char)begin[-1]) || begin[-1] == '_'))
            begin--;
        if (begin == end)
            continue;
        strv grown = realloc(names, (count + 2) * sizeof(*names));
        if (!grown)
            break;
        names = grown;
        names[count++] = strndup(begin, (size_t)(end - begin));
        names[count] = NULL;
    }
    free(text), free(header), free(info), free(log);
    return names;
}

/* Appends a copy of @p name to @p names (of *count, room for *cap). */
static strv names_add(strv names, size_t *count, size_t *cap, const char *name)
{
    if (!names)
        return NULL;
    if (*count == *cap) {
        size_t bigger = *cap ? 2 * *cap : 64;
        strv grown = realloc(names, (bigger + 1) * sizeof(*names));
        if (!grown)
            return strv_free(names);
        names = grown;
        *cap = bigger;
    }
    if (!(names[*count] = strdup(name)))
        return strv_free(names);
    names[++*count] = NULL;
    return names;
}

/* Appends the functions of group @p group ("@files") of learner.syms: the
 * first word of each line after its "# @files" line, up to the next group.
 * learner.syms is the one list of the calls the harness guards; a lesson
 * allows them by the group's name, so that a call guarded is a call
 * allowed, never one kept in sync by hand. */
static strv names_add_group(strv names, size_t *count, size_t *cap, const char *group,
                            const char *syms_text)
{
    bool inside = false;
    for (const char *line = syms_text; names && line && *line;) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, "# @", 3) == 0) {
            size_t name_len = strcspn(line + 2, " \t\n");
            inside = name_len == strlen(group) && strncmp(line + 2, group, name_len) == 0;
        } else if (inside && line[0] != '#' && len > 0) {
            char *word = strndup(line, strcspn(line, " \t\n"));
            names = word ? names_add(names, count, cap, word) : strv_free(names);
            free(word);
        }
        line = line[len] ? line + len + 1 : NULL;
    }
    return names;
}

/* imports.base, then the lesson's own imports; an "@group" among them stands
 * for the functions of that group of learner.syms. */
static strv import_names(const struct build_env *env, const struct lesson *lesson)
{
    char *path = str_printf("%s/grader/harness/imports.base", env->course_root);
    char *text = path ? file_read_course(path, 1 << 20, NULL) : NULL;
    char *syms_path = str_printf("%s/grader/harness/learner.syms", env->course_root);
    char *syms = syms_path ? file_read_course(syms_path, 1 << 20, NULL) : NULL;
    free(path), free(syms_path);
    size_t count = 0, cap = 256;
    strv names = calloc(cap + 1, sizeof(*names));
    strv words = calloc(1, sizeof(*words));
    size_t n_words = 0, words_cap = 0;
    char *save = NULL;
    for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line && words;
         line = strtok_r(NULL, "\n", &save)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *word_save = NULL;
        for (char *word = strtok_r(line, " \t", &word_save); word && words;
             word = strtok_r(NULL, " \t", &word_save))
            words = names_add(words, &n_words, &words_cap, word);
    }
    for (size_t i = 0; words && lesson->imports[i]; i++)
        words = names_add(words, &n_words, &words_cap, lesson->imports[i]);
    for (size_t i = 0; names && words && words[i]; i++) {
        names = words[i][0] == '@'
                    ? names_add_group(names, &count, &cap, words[i], syms ? syms : "")
                    : names_add(names, &count, &cap, words[i]);
    }
    if (!words)
        names = strv_free(names);
    strv_free(words);
    free(text), free(syms);
    return names;
}

/* The names the compiler's own runtime (libgcc.a) defines, read once from
 * the installed compiler: code may call them without naming them (gcc
 * lowers `__builtin_popcountll` to `__popcountdi2` without -mpopcnt).
 * NULL when the compiler does not say where its runtime is. */
static strv compiler_runtime_names(const char *work_dir)
{
    static strv names;
    static bool asked;
    if (asked)
        return names;
    asked = true;
    char *log_path = str_printf("%s/libgcc.path", work_dir);
    const char *argv[] = { "gcc", "-print-libgcc-file-name", NULL };
    bool ok = false;
    char *out = log_path ? run_step(sandbox_trusted(), argv, work_dir, log_path, &ok) : NULL;
    if (ok && out) {
        out[strcspn(out, "\n")] = '\0';
        names = scan_archive_definitions(out);
    }
    free(out), free(log_path);
    return names;
}

/* Runs one sandboxed step of the learner build; on failure its output
 * becomes (or joins) the learner's log. */
static bool learner_step(const struct build_env *env, const char *const *argv,
                         const char *dir, const char *log_path, char **log)
{
    bool ok = false;
    char *out = run_step(env->sandbox, argv, dir, log_path, &ok);
    /* Warnings of a later step count too: an earlier one may say nothing. */
    if (!ok || (out && *out && !(*log && **log))) {
        free(*log);
        *log = out;
    } else {
        free(out);
    }
    return ok;
}

/* Step 2: learner source to checked, renamed object. Returns the object path
 * or NULL with *log set to what the learner must read. */
static char *compile_learner(const struct build_env *env, const struct lesson *lesson,
                             const char *exercise, const char *submission_root,
                             const char *work_dir, char **log)
{
    char *from = str_printf("%s/%s/%s.c", submission_root, lesson->slug, exercise);
    char *shown = str_printf("%s/%s.c", lesson->slug, exercise);
    char *dir = str_printf("%s/learner", work_dir);
    char *src = str_printf("%s/%s.c", dir, exercise);
    char *pre = str_printf("%s/%s.i", dir, exercise);
    char *as = str_printf("%s/%s.s", dir, exercise);
    char *obj = str_printf("%s/%s.o", dir, exercise);
    char *checked = str_printf("%s/learner.o", work_dir);
    char *inc = str_printf("-I%s", dir);
    char *header = str_printf("%s.h", exercise);
    char *step_log = str_printf("%s/compile.log", dir);
    strv definitions = header_names(env, lesson, exercise, work_dir);
    strv imports = import_names(env, lesson);
    struct scan_rules rules = { .definitions = definitions, .imports = imports,
                                .runtime = compiler_runtime_names(work_dir),
                                .header_name = header };
    char *result = NULL, *refused = NULL, *source = NULL;
    struct argv_builder args = { 0 };
    if (!from || !shown || !dir || !src || !pre || !as || !obj || !checked || !inc || !header
        || !step_log) {
        *log = strdup("the grader ran out of memory preparing the compilation");
        goto out;
    }

    size_t len = 0;
    source = file_read_capped(from, SOURCE_MAX_BYTES, &len);
    if (!source) {
        *log = env->missing_why && !path_exists(from) ? strdup(env->missing_why)
                                                      : submission_problem(from, shown);
        goto out;
    }
    if (dir_make_mode(dir, 0700) != 0 || bytes_write(src, source, len) != 0
        || copy_headers(env->course_root, lesson->slug, dir) != 0
        || sandbox_give(env->sandbox, dir) != 0) {
        *log = str_printf("the grader could not prepare %s for compiling", shown);
        goto out;
    }
    /* In --fast mode the sanitized object is the one that runs, so it is the
     * one built and checked; otherwise the plain one. */
    bool sanitize = env->fast;
    rules.sanitized = sanitize;
    const char *includes[] = { inc, "-Werror=trigraphs" };
    compile_args(&args, "-std=c11", sanitize, lesson, includes, 2, "-E", src, pre);
    if (!learner_step(env, argv_get(&args), dir, step_log, log))
        goto out;
    argv_done(&args);
    if ((refused = scan_source(src, pre, src)) != NULL)
        goto refuse;
    /* The snapshot just scanned is what is compiled: compiling the source
     * again could read other files (`__has_include`) than were scanned. */
    compile_args(&args, "-std=c11", sanitize, lesson, includes, 2, "-S", pre, as);
    if (!learner_step(env, argv_get(&args), dir, step_log, log))
        goto out;
    argv_done(&args);
    if ((refused = scan_assembly(as)) != NULL)
        goto refuse;
    const char *assemble[] = { "gcc", "-c", as, "-o", obj, NULL };
    if (!learner_step(env, assemble, dir, step_log, log))
        goto out;
    if (untrusted_copy(obj, checked, OBJECT_MAX_BYTES) != 0) {
        *log = str_printf("the compiled %s is missing or too large", shown);
        goto out;
    }
    if ((refused = scan_object(checked, &rules)) != NULL)
        goto refuse;
    argv_add(&args, "objcopy");
    argv_addf(&args, "--redefine-syms=%s/grader/harness/learner.syms", env->course_root);
    argv_add(&args, checked);
    char *rename_log_path = str_printf("%s/rename.log", work_dir);
    bool ok = false;
    free(run_step(sandbox_trusted(), argv_get(&args), work_dir, rename_log_path, &ok));
    free(rename_log_path);
    if (ok) {
        result = checked;
        checked = NULL;
    }
    goto out;
refuse:
    free(*log);
    *log = str_printf("%s was refused: %s.", shown, refused);
    free(refused);
out:
    argv_done(&args);
    free(source), free(from), free(shown), free(dir), free(src), free(pre), free(as);
    free(obj), free(checked), free(inc), free(header), free(step_log);
    strv_free(definitions), strv_free(imports);
    return result;
}

/* The course's side of an exercise: tests and support compiled, and the
 * catalogue binary that lists the tests. */
static char *course_build(const struct build_env *env, const struct lesson *lesson,
                          const char *exercise, const char *work_dir)
{
    char *error = compile_tests(env, lesson, exercise, work_dir, false);
    if (!error && env->fast)
        error = compile_tests(env, lesson, exercise, work_dir, true);
    if (error)
        return error;
    struct build_member alone = { .exercise = exercise, .work_dir = work_dir };
    char *message = NULL;
    char *made = link_binary(env, lesson, &alone, 1, work_dir, "catalogue", "catalogue.log",
                             &message);
    if (!made)
        error = str_printf("the catalogue of %s/%s did not link:\n%s", lesson->slug,
                           exercise, message ? message : "");
    free(made), free(message);
    return error;
}

/* The files course_build() makes, in the order they are cached. */
static strv course_files(const struct build_env *env, const struct lesson *lesson,
                         const char *exercise)
{
    strv sources = course_sources(env, lesson, exercise);
    size_t n_sources = strv_len(sources);
    strv_free(sources);
    strv names = n_sources ? calloc(2 * n_sources + 2, sizeof(*names)) : NULL;
    size_t n = 0;
    for (size_t i = 0; names && i < n_sources; i++) {
        names[n++] = course_obj(".", lesson, i, false);
        if (env->fast)
            names[n++] = course_obj(".", lesson, i, true);
    }
    if (names)
        names[n++] = strdup("./catalogue");
    return names;
}

/* The newest modification time among the course files an exercise's
 * course objects are made from, and the grader itself (its flags). */
static time_t course_sources_time(const struct build_env *env, const struct lesson *lesson,
                                  const char *exercise)
{
    char *dirs[] = { str_printf("%s/exercises/%s", env->course_root, lesson->slug),
                     str_printf("%s/exercises/%s/support", env->course_root, lesson->slug),
                     str_printf("%s/grader/include", env->course_root),
                     env->overlay_dir ? str_printf("%s/%s", env->overlay_dir, lesson->slug)
                                      : NULL };
    char *files[] = { str_printf("%s/lessons/%s/tests/%s_test.c", env->course_root,
                                 lesson->slug, exercise),
                      str_printf("%s/lessons/%s/lesson.json", env->course_root, lesson->slug),
                      strdup("/proc/self/exe") };
    /* The catalogue binary links the harness too. */
    char *harness = str_printf("%s/plain/harness.o", env->harness_dir);
    time_t newest = 0;
    struct stat st;
    if (harness && stat(harness, &st) == 0)
        newest = st.st_mtime;
    free(harness);
    for (size_t i = 0; i < 3; i++) {
        if (files[i] && stat(files[i], &st) == 0 && st.st_mtime > newest)
            newest = st.st_mtime;
        free(files[i]);
    }
    for (size_t i = 0; i < 4; i++) {
        /* The folder's own time too: a hidden test file removed counts. */
        if (dirs[i] && stat(dirs[i], &st) == 0 && st.st_mtime > newest)
            newest = st.st_mtime;
        DIR *dir = dirs[i] ? opendir(dirs[i]) : NULL;
        struct dirent *entry;
        while (dir && (entry = readdir(dir)) != NULL) {
            if (fstatat(dirfd(dir), entry->d_name, &st, 0) == 0 && st.st_mtime > newest)
                newest = st.st_mtime;
        }
        if (dir)
            closedir(dir);
        free(dirs[i]);
    }
    return newest;
}

/* Copies the cached course files into @p work_dir when the cache is newer
 * than every source; returns 0 when it did. */
static int course_cache_take(const struct build_env *env, const struct lesson *lesson,
                             const char *exercise, const char *cache, const char *work_dir)
{
    char *stamp = str_printf("%s/.stamp", cache);
    struct stat st;
    bool fresh = stamp && stat(stamp, &st) == 0
                 && st.st_mtime > course_sources_time(env, lesson, exercise);
    free(stamp);
    if (!fresh)
        return -ENOENT;
    strv names = course_files(env, lesson, exercise);
    int err = names ? 0 : -ENOMEM;
    for (size_t i = 0; err == 0 && names[i]; i++) {
        char *from = str_printf("%s/%s", cache, names[i]);
        char *to = str_printf("%s/%s", work_dir, names[i]);
        size_t len = 0;
        char *data = from ? file_read_course(from, OBJECT_MAX_BYTES, &len) : NULL;
        err = data && to ? bytes_write(to, data, len) : -ENOENT;
        if (err == 0 && strcmp(names[i], "./catalogue") == 0)
            err = chmod(to, 0755) == 0 ? 0 : -errno;
        free(data), free(from), free(to);
    }
    strv_free(names);
    return err;
}

/* Stores the course files of @p work_dir in the cache: written aside, then
 * renamed into place, so that concurrent gradings never see half a cache. */
static void course_cache_put(const struct build_env *env, const struct lesson *lesson,
                             const char *exercise, const char *cache, const char *work_dir)
{
    char *aside = str_printf("%s.%d", cache, (int)getpid());
    char *parent = cache ? strdup(cache) : NULL;
    char *slash = parent ? strrchr(parent, '/') : NULL;
    if (slash)
        *slash = '\0';
    strv names = course_files(env, lesson, exercise);
    /* Hidden tests' objects are for the grader's eyes only. */
    mode_t mode = env->overlay_dir ? 0700 : 0755;
    int err = aside && parent && names && dir_make_mode(parent, mode) == 0
              && mkdir(aside, mode) == 0 ? 0 : -1;
    for (size_t i = 0; err == 0 && names[i]; i++) {
        char *from = str_printf("%s/%s", work_dir, names[i]);
        char *to = str_printf("%s/%s", aside, names[i]);
        size_t len = 0;
        char *data = from ? file_read_course(from, OBJECT_MAX_BYTES, &len) : NULL;
        err = data && to ? bytes_write(to, data, len) : -1;
        free(data), free(from), free(to);
    }
    char *stamp = aside ? str_printf("%s/.stamp", aside) : NULL;
    if (err == 0 && stamp && file_write(stamp, "") == 0) {
        dir_remove(cache);
        if (rename(aside, cache) != 0)
            err = -1;
    }
    if (aside && err != 0)
        dir_remove(aside);
    strv_free(names);
    free(stamp), free(aside), free(parent);
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
    char *cache = env->cache_dir ? str_printf("%s/%s/%s%s", env->cache_dir, lesson->slug,
                                              exercise, env->fast ? "-fast" : "")
                                 : NULL;
    if (!cache || course_cache_take(env, lesson, exercise, cache, work_dir) != 0) {
        out->course_error = course_build(env, lesson, exercise, work_dir);
        if (!out->course_error && cache)
            course_cache_put(env, lesson, exercise, cache, work_dir);
    }
    free(cache);
    if (out->course_error)
        return;
    out->catalogue_bin = str_printf("%s/catalogue", work_dir);
    out->learner_obj = compile_learner(env, lesson, exercise, submission_root, work_dir,
                                       &out->learner_log);
}

bool build_link_exercise(const struct build_env *env, const struct lesson *lesson,
                         const char *exercise, const char *work_dir, struct build_result *out)
{
    if (!out->learner_obj)
        return false;
    struct build_member alone = { .exercise = exercise, .work_dir = work_dir,
                                  .learner_obj = out->learner_obj };
    char *message = NULL;
    char *made = link_binary(env, lesson, &alone, 1, work_dir, "tests", "link.log", &message);
    if (made) {
        free(out->test_bin);
        out->test_bin = made;
        return true;
    }
    char *why = str_printf("%s%s%s.c compiled, but linking it with the tests failed "
                           "(a function missing or misnamed?):\n%s",
                           out->learner_log ? out->learner_log : "",
                           out->learner_log ? "\n" : "", exercise, message ? message : "");
    free(message);
    free(out->learner_log);
    out->learner_log = why;
    free(out->learner_obj);
    out->learner_obj = NULL;
    return false;
}

char *build_link_group(const struct build_env *env, const struct lesson *lesson,
                       const struct build_member *members, size_t n_members, const char *dir)
{
    for (size_t m = 0; m < n_members; m++) {
        if (!members[m].learner_obj)
            return NULL;
    }
    char *message = NULL;
    char *made = link_binary(env, lesson, members, n_members, dir, "tests", "link.log",
                             &message);
    free(message);
    return made;
}

void build_result_done(struct build_result *result)
{
    free(result->catalogue_bin);
    free(result->learner_obj);
    free(result->test_bin);
    free(result->learner_log);
    free(result->course_error);
    *result = (struct build_result){ 0 };
}

char *build_prebuilt_harness(void)
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
