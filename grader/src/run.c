/**
 * @file run.c
 * @brief Starting the harness under Valgrind, deadlines, restarts.
 *
 * The harness writes one JSON line per event on fd 3: "start" (with the
 * test child's pid) and "end" (its verdict). Reading them here, outside
 * Valgrind and outside the learner's reach, the grader keeps the clock.
 */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/** Valgrind runs code 10-50 times slower than native. */
#define VALGRIND_SLOWDOWN 10.0
/** AddressSanitizer runs code about 2-3 times slower. */
#define ASAN_SLOWDOWN 3.0
/** Added to every deadline for process start-up and reports. */
#define DEADLINE_GRACE_S 3.0
/** How much of the harness's own output explains why it could not start. */
#define HARNESS_LOG_MAX_BYTES 2048
/** The harness must report its first test within this time of starting. */
#define STARTUP_LIMIT_S 60.0

double run_deadline(double declared_s, bool fast)
{
    return declared_s * (fast ? ASAN_SLOWDOWN : VALGRIND_SLOWDOWN) + DEADLINE_GRACE_S;
}

/** The state of one harness process while it runs. */
struct harness_run {
    pid_t pid;         /**< harness (and Valgrind) process, also its group */
    int events_fd;     /**< read end of fd 3 */
    long current;      /**< index of the running test, -1 between tests */
    pid_t current_pid; /**< its child */
    double deadline;   /**< when the running test is out of time */
    bool killed_current; /**< the grader killed it for time */
};

static const char *const valgrind_options[] = {
    "valgrind", "--tool=memcheck", "--xml=yes", "--leak-check=full",
    "--show-leak-kinds=definite,indirect,possible",
    "--errors-for-leak-kinds=definite,possible", "--track-origins=yes",
    "--num-callers=30", "--child-silent-after-fork=no", NULL,
};

/* A test still waiting for a result has an empty object in @p results. */
static bool is_pending(json_t *results, size_t index)
{
    return json_object_size(json_array_get(results, index)) == 0;
}

static size_t count_pending(json_t *results)
{
    size_t pending = 0;
    for (size_t i = 0; i < json_array_size(results); i++)
        pending += is_pending(results, i);
    return pending;
}

static pid_t harness_start(const struct run_plan *plan, json_t *results, int *events_fd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    size_t n_tests = json_array_size(plan->catalogue);
    const char **argv = calloc(n_tests + 32, sizeof(*argv));
    char **owned = calloc(n_tests + 8, sizeof(*owned));
    size_t n = 0, n_owned = 0;
    if (!argv || !owned) {
        free(argv), free(owned);
        close(fds[0]), close(fds[1]);
        return -ENOMEM;
    }
    if (!plan->fast) {
        for (const char *const *p = valgrind_options; *p; p++)
            argv[n++] = *p;
        /* Only --xml-file: given --log-file=%p too, Valgrind 3.19 re-opens
         * just the log in a forked child, and its XML report is lost. */
        argv[n++] = owned[n_owned++] = str_printf("--xml-file=%s/xml/%%p.xml", plan->run_dir);
    }
    argv[n++] = plan->test_bin;
    argv[n++] = "--run";
    argv[n++] = owned[n_owned++] = str_printf("%s/logs", plan->run_dir);
    if (plan->fast)
        argv[n++] = "--fast";
    for (size_t i = 0; i < n_tests; i++) {
        if (is_pending(results, i))
            argv[n++] = owned[n_owned++] = str_printf("%zu", i);
    }
    argv[n] = NULL;

    /* No detect_stack_use_after_return: it moves locals to a heap "fake
     * stack", and lesson 01 measures where real frames are. */
    static const char *const asan_env[] = {
        "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86",
        "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1", NULL,
    };
    char *out = str_printf("%s/harness.log", plan->run_dir);
    struct spawn spawn = { .argv = argv, .cwd = plan->run_dir, .output_path = out,
                           .result_fd = fds[1], .env_extra = plan->fast ? asan_env : NULL };
    pid_t pid = sandbox_start(plan->sandbox, &spawn);
    close(fds[1]);
    free(out);
    for (size_t i = 0; i < n_owned; i++)
        free(owned[i]);
    free(owned), free(argv);
    if (pid < 0) {
        close(fds[0]);
        return pid;
    }
    *events_fd = fds[0];
    return pid;
}

static void event_handle(const struct run_plan *plan, struct harness_run *run,
                         json_t *results, const char *line)
{
    json_t *event = json_loads(line, 0, NULL);
    if (!event)
        return;
    const char *kind = json_string_value(json_object_get(event, "event"));
    json_int_t index = json_integer_value(json_object_get(event, "index"));
    if (!kind || index < 0 || (size_t)index >= json_array_size(results)) {
        json_decref(event);
        return;
    }
    json_t *test = json_array_get(plan->catalogue, (size_t)index);
    if (strcmp(kind, "start") == 0) {
        run->current = (long)index;
        run->current_pid = (pid_t)json_integer_value(json_object_get(event, "pid"));
        double declared = json_real_value(json_object_get(test, "timeout"));
        run->deadline = clock_seconds() + run_deadline(declared, plan->fast);
        run->killed_current = false;
    } else if (strcmp(kind, "end") == 0 || strcmp(kind, "error") == 0) {
        if (run->killed_current && run->current == (long)index)
            json_object_set_new(event, "timed_out", json_true());
        json_array_set(results, (size_t)index, event);
        run->current = -1;
    }
    json_decref(event);
}

/* Reads events until the harness closes fd 3, enforcing deadlines. */
static void harness_watch(const struct run_plan *plan, struct harness_run *run,
                          json_t *results)
{
    FILE *events = fdopen(run->events_fd, "r");
    if (!events) {
        close(run->events_fd);
        return;
    }
    char *line = NULL;
    size_t cap = 0, used = 0;
    double started = clock_seconds();
    bool any_event = false;
    for (;;) {
        struct pollfd pfd = { .fd = run->events_fd, .events = POLLIN };
        int ready = poll(&pfd, 1, 100);
        double now = clock_seconds();
        if (run->current >= 0 && !run->killed_current && now > run->deadline) {
            kill(-run->current_pid, SIGKILL);
            run->killed_current = true;
            run->deadline = now + STARTUP_LIMIT_S; /* the zygote must report the kill */
        } else if (run->current >= 0 && run->killed_current && now > run->deadline) {
            break; /* the zygote is stuck too */
        } else if (!any_event && now - started > STARTUP_LIMIT_S) {
            break;
        }
        if (ready <= 0)
            continue;
        char chunk[4096];
        ssize_t got = read(run->events_fd, chunk, sizeof(chunk));
        if (got <= 0)
            break;
        any_event = true;
        if (used + (size_t)got + 1 > cap) {
            cap = (used + (size_t)got + 1) * 2;
            char *grown = realloc(line, cap);
            if (!grown)
                break;
            line = grown;
        }
        memcpy(line + used, chunk, (size_t)got);
        used += (size_t)got;
        char *start = line, *newline;
        while ((newline = memchr(start, '\n', used - (size_t)(start - line))) != NULL) {
            *newline = '\0';
            event_handle(plan, run, results, start);
            start = newline + 1;
        }
        used -= (size_t)(start - line);
        memmove(line, start, used);
    }
    free(line);
    fclose(events);
}

json_t *run_tests(const struct run_plan *plan)
{
    size_t n_tests = json_array_size(plan->catalogue);
    json_t *results = json_array();
    for (size_t i = 0; i < n_tests; i++) {
        bool disabled = json_is_true(json_object_get(json_array_get(plan->catalogue, i),
                                                     "disabled"));
        json_array_append_new(results, disabled
                                  ? json_pack("{s:s}", "not_run", "disabled")
                                  : json_object());
    }
    char *xml_dir = str_printf("%s/xml", plan->run_dir);
    char *log_dir = str_printf("%s/logs", plan->run_dir);
    dir_make(xml_dir), dir_make(log_dir);
    sandbox_give(plan->sandbox, plan->run_dir);
    sandbox_give(plan->sandbox, xml_dir);
    sandbox_give(plan->sandbox, log_dir);
    free(xml_dir), free(log_dir);

    /* Each pass runs every test still without a result; a pass that dies
     * mid-test settles that test, so passes are bounded by the test count. */
    for (size_t pass = 0; pass <= n_tests; pass++) {
        size_t pending = count_pending(results);
        if (pending == 0)
            break;
        struct harness_run run = { .current = -1 };
        run.pid = harness_start(plan, results, &run.events_fd);
        if (run.pid < 0)
            break;
        harness_watch(plan, &run, results);
        sandbox_kill(plan->sandbox, run.pid);
        int status;
        waitpid(run.pid, &status, 0);
        if (run.current >= 0) {
            json_array_set_new(results, (size_t)run.current,
                               json_pack("{s:b, s:b}", "runner_died", 1,
                                         "timed_out", run.killed_current));
        } else if (count_pending(results) == pending) {
            break; /* no progress: the harness cannot start */
        }
    }
    if (count_pending(results) > 0) {
        char *log_path = str_printf("%s/harness.log", plan->run_dir);
        char *log = log_path ? file_read_tail(log_path, HARNESS_LOG_MAX_BYTES) : NULL;
        for (size_t i = 0; i < n_tests; i++) {
            if (is_pending(results, i))
                json_array_set_new(results, i, json_pack("{s:s, s:s}", "not_run",
                                   "the test binary could not be started", "log",
                                   log ? log : ""));
        }
        free(log), free(log_path);
    }
    return results;
}
