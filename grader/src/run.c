/**
 * @file run.c
 * @brief Starting the harness under Valgrind, deadlines, restarts.
 *
 * The harness writes one JSON line per event on fd 3: "start" (with the
 * test child's pid) and "end" (its verdict). Reading them here, outside
 * Valgrind and outside the learner's reach, the grader keeps the clock.
 *
 * Time is CPU time (course_protocol.h). The harness keeps each test's
 * allowance; this module charges the CPU that the whole harness process
 * tree uses (Valgrind, the zygote, every test child and what they started)
 * to the exercise whose test is running, and stops an exercise whose
 * budget (struct run_group) is spent. Wall-clock time only backs that up:
 * a harness that falls silent, or a run that outlasts its budgets
 * #PROTO_WALL_FACTOR times over, was starved by the machine, and its tests
 * are reported as the host's problem (host_busy), never as the learner's.
 * A test that the harness reports starved is run once more.
 *
 * One binary may hold several exercises' tests (struct run_group): each
 * exercise keeps its own budget, so that an exercise is graded as if it had
 * the binary to itself.
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

#include "argv.h"
#include "course_protocol.h"
#include "util.h"

/** CPU seconds that starting the harness may take before its first test
 *  (Valgrind reads the debug info of 20 libraries), for the backstop. */
#define START_CPU_S 10.0
/** How often the harness's CPU is read, in milliseconds. */
#define CPU_POLL_MS 250
/** How much of the harness's own output explains why it could not start. */
#define HARNESS_LOG_MAX_BYTES 2048
/** Longest event line accepted from the harness. */
#define EVENT_MAX_BYTES (256 * 1024)

/* The least CPU seconds a test gets in this mode. */
static double mode_floor(bool fast)
{
    return fast ? PROTO_FLOOR_S * PROTO_ASAN_FLOOR_FRACTION : PROTO_FLOOR_S;
}

double run_allowance(double declared_s, bool fast)
{
    double declared = declared_s * PROTO_TIMEOUT_SCALE;
    double floor = mode_floor(fast);
    return declared > floor ? declared : floor;
}

/** The state of one harness process while it runs. */
struct harness_run {
    pid_t pid;          /**< harness (and Valgrind) process, also its group:
                             forked here, never read from the harness */
    int events_fd;      /**< read end of fd 3 */
    long current;       /**< index of the running test, -1 between tests */
    size_t group;       /**< the exercise being charged for the CPU used */
    double charged;     /**< CPU seconds of the harness tree charged so far */
    double quiet_until; /**< wall clock: the harness must report again by then */
    double backstop;    /**< wall clock: the whole run must end by then */
    bool over_budget;   /**< the grader stopped the run for a budget */
    bool host_busy;     /**< the grader stopped it at a wall-clock backstop */
    bool stopped;       /**< ... while the harness was stopped (SIGSTOP): not
                             the host's doing but the code's */
    bool lost;          /**< with run_plan::until_lost: a test failed, its
                             exercise stops there */
};

/** What run_tests() knows across the harness starts of one run. */
struct run_state {
    struct test_outcome *results;   /**< one per catalogue index; OUTCOME_PENDING while
                                         pending */
    size_t n_tests;                 /**< number of @ref results */
    const struct run_group *groups; /**< the exercises of the run; borrowed */
    size_t n_groups;                /**< number of @ref groups */
    long *group_of;                 /**< each catalogue index's group, -1 for none */
    double *spent;                  /**< CPU seconds each group has used */
    bool *retried;                  /**< each index: run again once for a busy host */
    size_t settled;                 /**< results and retries so far: progress */
    const struct catalogue *catalogue; /**< the binary's tests; borrowed */
    bool until_lost;                /**< run_plan::until_lost */
};

static const char *const valgrind_options[] = {
    "valgrind", "--tool=memcheck", "--xml=yes", "--leak-check=full",
    "--show-leak-kinds=definite,indirect,possible",
    "--errors-for-leak-kinds=definite,possible", "--track-origins=yes",
    /* Every error in a test's process counts wherever its frames are, so
     * frames only explain: 16 reach the learner's code in every course
     * test, and recording fewer makes each malloc cheaper. Learner code is
     * built at -O0: nothing of it is inlined. */
    "--num-callers=16", "--read-inline-info=no", "--child-silent-after-fork=no", NULL,
};

static void failures_free(struct test_failure *failures, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(failures[i].text), free(failures[i].file);
    free(failures);
}

/* Frees what @p outcome owns and leaves it pending. */
static void outcome_done(struct test_outcome *outcome)
{
    failures_free(outcome->failures, outcome->n_failures);
    vg_stack_done(&outcome->stack);
    free(outcome->reason), free(outcome->detail);
    *outcome = (struct test_outcome){ .kind = OUTCOME_PENDING };
}

struct test_outcome *outcomes_free(struct test_outcome *outcomes, size_t n)
{
    for (size_t i = 0; outcomes && i < n; i++)
        outcome_done(&outcomes[i]);
    free(outcomes);
    return NULL;
}

void outcome_move(struct test_outcome *to, struct test_outcome *from)
{
    *to = *from;
    *from = (struct test_outcome){ .kind = OUTCOME_PENDING };
}

/* What a test gets when the grader ran out of memory reading its outcome. */
static struct test_outcome out_of_memory(void)
{
    return (struct test_outcome){ .kind = OUTCOME_ERROR,
                                  .reason = strdup("the grader ran out of memory reading "
                                                   "the test's outcome") };
}

static bool is_pending(const struct run_state *state, size_t index)
{
    return state->results[index].kind == OUTCOME_PENDING;
}

static size_t count_pending(const struct run_state *state)
{
    size_t pending = 0;
    for (size_t i = 0; i < state->n_tests; i++)
        pending += is_pending(state, i);
    return pending;
}

/* Settles test @p index with an outcome of the grader's own. */
static void settle(struct run_state *state, size_t index, struct test_outcome outcome)
{
    outcome_move(&state->results[index], &outcome);
}

/* The first group, in running order, that still has a pending test. */
static size_t first_pending_group(const struct run_state *state)
{
    for (size_t g = 0; g < state->n_groups; g++) {
        for (size_t t = 0; t < state->groups[g].n_tests; t++) {
            if (is_pending(state, state->groups[g].tests[t]))
                return g;
        }
    }
    return 0;
}

/* Starts the harness for every pending test, in each exercise's order. */
static pid_t harness_start(const struct run_plan *plan, const struct run_state *state,
                           int *events_fd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    struct argv_builder args = { 0 };
    if (!plan->fast) {
        argv_add_all(&args, valgrind_options);
        /* Only --xml-file: given --log-file=%p too, Valgrind 3.19 re-opens
         * just the log in a forked child, and its XML report is lost. */
        argv_addf(&args, "--xml-file=%s/" PROTO_RUN_XML "/%%p.xml", plan->run_dir);
    }
    argv_add(&args, plan->test_bin);
    argv_add(&args, "--run");
    argv_addf(&args, "%s/" PROTO_RUN_LOGS, plan->run_dir);
    argv_addf(&args, "%s/" PROTO_RUN_SCRATCH, plan->run_dir);
    argv_addf(&args, "%g", PROTO_TIMEOUT_SCALE);
    argv_addf(&args, "%g", mode_floor(plan->fast));
    if (plan->fast)
        argv_add(&args, "--fast");
    if (plan->sandbox->privileged)
        argv_add(&args, "--own-uid");
    for (size_t g = 0; g < state->n_groups; g++) {
        for (size_t t = 0; t < state->groups[g].n_tests; t++) {
            size_t index = state->groups[g].tests[t];
            if (is_pending(state, index))
                argv_addf(&args, "%zu", index);
        }
    }
    const char *const *argv = argv_get(&args);
    if (!argv) {
        argv_done(&args);
        close(fds[0]), close(fds[1]);
        return -ENOMEM;
    }

    /* detect_stack_use_after_return off, said, not assumed: it moves locals
     * to a heap "fake stack", and lesson 01 measures where real frames are;
     * gcc 14's AddressSanitizer (Debian 13) turns it on by default. */
    static const char *const asan_env[] = {
        "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0:"
        "exitcode=" PROTO_ASAN_EXIT_CODE_TEXT,
        "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1", NULL,
    };
    char *out = str_printf("%s/harness.log", plan->run_dir);
    struct spawn spawn = { .argv = argv, .cwd = plan->run_dir, .output_path = out,
                           .result_fd = fds[1], .env_extra = plan->fast ? asan_env : NULL };
    pid_t pid = out ? sandbox_start(plan->sandbox, &spawn) : -ENOMEM;
    close(fds[1]);
    free(out);
    argv_done(&args);
    if (pid < 0) {
        close(fds[0]);
        return pid;
    }
    *events_fd = fds[0];
    return pid;
}

/* Copies the string member @p key of @p object (NULL when it is none);
 * sets *oom when the copy fails. */
static char *member_copy(json_t *object, const char *key, bool *oom)
{
    const char *text = json_string_value(json_object_get(object, key));
    char *copy = text ? strdup(text) : NULL;
    *oom |= text && !copy;
    return copy;
}

/* The failures of an "end" record; false when memory runs out. */
static bool failures_read(json_t *list, struct test_outcome *out)
{
    size_t n = json_array_size(list);
    if (n == 0)
        return true;
    out->failures = calloc(n, sizeof(*out->failures));
    if (!out->failures)
        return false;
    bool oom = false;
    for (size_t i = 0; i < n; i++) {
        json_t *failure = json_array_get(list, i);
        out->failures[i] = (struct test_failure){
            .text = member_copy(failure, "failure", &oom),
            .file = member_copy(failure, "file", &oom),
            .line = json_integer_value(json_object_get(failure, "line")),
        };
        out->n_failures++;
    }
    return !oom;
}

/** Most frames of a stopped test's stack that are kept. */
#define STACK_FRAMES_KEPT 16

/* The stack of an "end" record (a test the harness stopped); false when
 * memory runs out. */
static bool stack_read(json_t *list, struct test_outcome *out)
{
    size_t n = json_array_size(list);
    if (n > STACK_FRAMES_KEPT)
        n = STACK_FRAMES_KEPT;
    if (n == 0)
        return true;
    out->stack.frames = calloc(n, sizeof(*out->stack.frames));
    if (!out->stack.frames)
        return false;
    bool oom = false;
    for (size_t i = 0; i < n; i++) {
        json_t *frame = json_array_get(list, i);
        out->stack.frames[i] = (struct vg_frame){
            .fn = member_copy(frame, "fn", &oom),
            .file = member_copy(frame, "file", &oom),
            .line = (int)json_integer_value(json_object_get(frame, "line")),
        };
        out->stack.len++;
    }
    return !oom;
}

/* The harness's "end" or "error" record @p event as an outcome; false when
 * memory runs out. Members are read with the accessors that their readers
 * used on the record before it was typed. */
static bool outcome_read(json_t *event, bool error, struct test_outcome *out)
{
    bool oom = false;
    if (error) {
        *out = (struct test_outcome){ .kind = OUTCOME_ERROR,
                                      .reason = member_copy(event, "reason", &oom),
                                      .detail = member_copy(event, "errno", &oom) };
        return !oom;
    }
    *out = (struct test_outcome){
        .kind = OUTCOME_ENDED,
        .pid = (int)json_integer_value(json_object_get(event, "pid")),
        .finished = json_is_true(json_object_get(event, "finished")),
        .exit_status = (int)json_integer_value(json_object_get(event, "exit_status")),
        .signal = (int)json_integer_value(json_object_get(event, "signal")),
        .leak = json_is_true(json_object_get(event, "leak")),
        .open_fds = (int)json_integer_value(json_object_get(event, "open_fds")),
        .timed_out = json_is_true(json_object_get(event, "timed_out")),
        .blocked = json_is_true(json_object_get(event, "blocked")),
        .host_busy = json_is_true(json_object_get(event, "host_busy")),
        .allowed = json_real_value(json_object_get(event, "allowed")),
        .cpu = json_number_value(json_object_get(event, "cpu")),
        .body_cpu = json_number_value(json_object_get(event, "body_cpu")),
        .seconds = json_number_value(json_object_get(event, "seconds")),
    };
    return failures_read(json_object_get(event, "failures"), out)
           && stack_read(json_object_get(event, "stack"), out);
}

enum functional_result outcome_functional(const struct test_outcome *outcome,
                                          int expected_signal)
{
    if (outcome->kind == OUTCOME_NOT_RUN || outcome->kind == OUTCOME_PENDING)
        return FUNCTIONAL_NOT_RUN;
    if (outcome->timed_out)
        return outcome->blocked ? FUNCTIONAL_BLOCKED : FUNCTIONAL_TIMED_OUT;
    if (outcome->kind == OUTCOME_OVER_BUDGET)
        return FUNCTIONAL_OVER_BUDGET;
    if (outcome->kind == OUTCOME_ERROR)
        return FUNCTIONAL_HARNESS_ERROR;
    if (outcome->host_busy)
        return FUNCTIONAL_HOST_BUSY;
    if (outcome->kind == OUTCOME_RUNNER_DIED)
        return FUNCTIONAL_RUNNER_DIED;
    if (outcome->n_failures > 0)
        return FUNCTIONAL_ASSERTION;
    if (outcome->signal != 0)
        return outcome->signal == expected_signal ? FUNCTIONAL_PASSED : FUNCTIONAL_CRASHED;
    if (!outcome->finished)
        return FUNCTIONAL_ENDED_EARLY;
    return expected_signal != 0 ? FUNCTIONAL_NO_SIGNAL : FUNCTIONAL_PASSED;
}

/* Whether the learner's code lost @p outcome's functional half, so that
 * --until-lost stops its exercise there. A test not graded (the harness's
 * error, a starved machine) is the grader's problem, never a stop. */
static bool functional_lost(const struct test_outcome *outcome, int expected_signal)
{
    enum functional_result result = outcome_functional(outcome, expected_signal);
    return result != FUNCTIONAL_PASSED && result != FUNCTIONAL_HARNESS_ERROR
           && result != FUNCTIONAL_HOST_BUSY;
}

static void event_handle(struct harness_run *run, struct run_state *state,
                         const char *line)
{
    json_t *event = json_loads(line, 0, NULL);
    const char *kind = json_string_value(json_object_get(event, "event"));
    json_int_t index = json_integer_value(json_object_get(event, "index"));
    if (!kind || index < 0 || (size_t)index >= state->n_tests
        || !is_pending(state, (size_t)index)) {
        json_decref(event);
        return;
    }
    double now = clock_seconds();
    bool error = strcmp(kind, "error") == 0;
    if (strcmp(kind, "start") == 0) {
        /* The harness keeps each test's clock; this one only checks that
         * the harness itself goes on reporting, by its wall-clock backstop. */
        double allowed = json_real_value(json_object_get(event, "allowed"));
        if (!(allowed > 0) || allowed > PROTO_LESSON_CPU_S)
            allowed = PROTO_LESSON_CPU_S;
        run->current = (long)index;
        if (state->group_of[index] >= 0)
            run->group = (size_t)state->group_of[index];
        run->quiet_until = now + (allowed + PROTO_EXIT_GRACE_S) * PROTO_WALL_FACTOR;
    } else if (strcmp(kind, "end") == 0 || error) {
        struct test_outcome outcome;
        bool read = outcome_read(event, error, &outcome);
        /* A test that the machine starved is run again, once. */
        bool again = outcome.host_busy && !state->retried[index];
        if (again)
            state->retried[index] = true;
        bool lost = read && !again && state->until_lost
                    && functional_lost(&outcome, state->catalogue->tests[index].signal);
        if (!read)
            outcome_done(&outcome), settle(state, (size_t)index, out_of_memory());
        else if (!again)
            settle(state, (size_t)index, outcome);
        else
            outcome_done(&outcome);
        run->lost |= lost;
        state->settled++;
        run->current = -1;
        run->quiet_until = now + START_CPU_S * PROTO_WALL_FACTOR;
    }
    json_decref(event);
}

/* Charges the CPU that the harness tree used since the last call to the
 * running exercise; decides whether the run must stop. */
static bool harness_charge(struct harness_run *run, struct run_state *state)
{
    char harness_state = '?';
    double cpu = sandbox_tree_cpu(run->pid, &harness_state);
    if (cpu > run->charged) {
        state->spent[run->group] += cpu - run->charged;
        run->charged = cpu;
    }
    double now = clock_seconds();
    if (state->spent[run->group] > state->groups[run->group].budget_s) {
        run->over_budget = true;
    } else if (now > run->quiet_until || now > run->backstop) {
        run->host_busy = true;
        run->stopped = harness_state == 'T' || harness_state == 't';
    }
    return run->over_budget || run->host_busy;
}

/* Reads events until the harness closes fd 3, the budget of the exercise
 * it runs is spent, or a wall-clock backstop is reached. The CPU used is
 * charged to the exercise of the last test started (at first, to the
 * first one). */
static void harness_watch(struct harness_run *run, struct run_state *state)
{
    char *line = malloc(EVENT_MAX_BYTES + 1);
    size_t used = 0;
    run->quiet_until = clock_seconds() + START_CPU_S * PROTO_WALL_FACTOR;
    while (line) {
        if (run->lost || harness_charge(run, state))
            break;
        struct pollfd pfd = { .fd = run->events_fd, .events = POLLIN };
        if (poll(&pfd, 1, CPU_POLL_MS) <= 0)
            continue;
        ssize_t got = read(run->events_fd, line + used, EVENT_MAX_BYTES - used);
        if (got <= 0)
            break;
        used += (size_t)got;
        char *start = line, *newline;
        while ((newline = memchr(start, '\n', used - (size_t)(start - line))) != NULL) {
            *newline = '\0';
            event_handle(run, state, start);
            start = newline + 1;
        }
        used -= (size_t)(start - line);
        memmove(line, start, used);
        if (used == EVENT_MAX_BYTES)
            break; /* a line this long is not the harness's */
    }
    free(line);
    close(run->events_fd);
}

/* The budget message of a test that never got to run. */
static struct test_outcome not_run_for_budget(double budget_s)
{
    char *why = str_printf("the exercise's time budget (%.1f s of CPU) ran out before this "
                           "test could run", budget_s);
    return (struct test_outcome){ .kind = OUTCOME_NOT_RUN,
                                  .reason = why ? why : strdup("not run") };
}

/* The outcome of a test that the machine starved: the host's problem. */
static struct test_outcome starved(void)
{
    return (struct test_outcome){ .kind = OUTCOME_HOST_BUSY, .host_busy = true };
}

/* Settles an exercise whose budget is spent: the test that was running
 * lost it, the tests that did not start never ran. */
static void group_settle_over_budget(struct run_state *state, size_t g, long current)
{
    if (current >= 0)
        settle(state, (size_t)current,
               (struct test_outcome){ .kind = OUTCOME_OVER_BUDGET,
                                      .budget = state->groups[g].budget_s });
    for (size_t t = 0; t < state->groups[g].n_tests; t++) {
        size_t index = state->groups[g].tests[t];
        if (is_pending(state, index))
            settle(state, index, not_run_for_budget(state->groups[g].budget_s));
    }
}

/* With run_plan::until_lost: the tests of exercise @p g that did not run
 * after its first failure. */
static void group_settle_lost(struct run_state *state, size_t g)
{
    for (size_t t = 0; t < state->groups[g].n_tests; t++) {
        size_t index = state->groups[g].tests[t];
        if (is_pending(state, index))
            settle(state, index, (struct test_outcome){
                                     .kind = OUTCOME_NOT_RUN,
                                     .reason = strdup("--until-lost: an earlier test of "
                                                      "this exercise failed") });
    }
}

/* Settles what a stopped harness run leaves: returns false when the run
 * made no progress and must not be started again. */
static bool run_settle(struct run_state *state, const struct harness_run *run,
                       size_t settled_before)
{
    if (run->lost) {
        group_settle_lost(state, run->group);
    } else if (run->over_budget) {
        group_settle_over_budget(state, run->group, run->current);
    } else if (run->host_busy && !run->stopped) {
        for (size_t i = 0; i < state->n_tests; i++) {
            if (is_pending(state, i))
                settle(state, i, starved());
        }
    } else if (run->current >= 0) {
        settle(state, (size_t)run->current,
               (struct test_outcome){ .kind = OUTCOME_RUNNER_DIED });
    } else if (state->settled == settled_before) {
        return false; /* no progress: the harness cannot start */
    }
    return true;
}

/* The run's state with every catalogue index mapped to its group; false
 * when memory runs out. */
static bool state_init(struct run_state *state, const struct run_plan *plan,
                       struct run_group *whole, size_t **every)
{
    size_t n_tests = plan->catalogue->n;
    *state = (struct run_state){ .results = calloc(n_tests ? n_tests : 1,
                                                   sizeof(*state->results)),
                                 .n_tests = n_tests, .groups = plan->groups,
                                 .n_groups = plan->n_groups, .catalogue = plan->catalogue,
                                 .until_lost = plan->until_lost };
    if (!plan->groups) { /* the whole catalogue is one exercise */
        *every = calloc(n_tests ? n_tests : 1, sizeof(**every));
        for (size_t i = 0; *every && i < n_tests; i++)
            (*every)[i] = i;
        *whole = (struct run_group){ .tests = *every, .n_tests = *every ? n_tests : 0,
                                     .budget_s = plan->budget_s };
        state->groups = whole;
        state->n_groups = 1;
    }
    state->group_of = calloc(n_tests ? n_tests : 1, sizeof(*state->group_of));
    state->spent = calloc(state->n_groups ? state->n_groups : 1, sizeof(*state->spent));
    state->retried = calloc(n_tests ? n_tests : 1, sizeof(*state->retried));
    if (!state->results || !state->group_of || !state->spent || !state->retried)
        return false;
    for (size_t i = 0; i < n_tests; i++)
        state->group_of[i] = -1;
    for (size_t g = 0; g < state->n_groups; g++) {
        for (size_t t = 0; t < state->groups[g].n_tests; t++) {
            if (state->groups[g].tests[t] < n_tests)
                state->group_of[state->groups[g].tests[t]] = (long)g;
        }
    }
    for (size_t i = 0; i < n_tests; i++) {
        if (plan->catalogue->tests[i].disabled)
            state->results[i].kind = OUTCOME_DISABLED;
        else if (state->group_of[i] < 0)
            settle(state, i, (struct test_outcome){ .kind = OUTCOME_NOT_RUN,
                                                    .reason = strdup("not in this run") });
    }
    return true;
}

/* Makes @p dir with mode 0700 and gives it to the sandbox's uid; 0 or a
 * negative errno. */
static int dir_make_given(const struct sandbox *box, const char *dir)
{
    if (!dir)
        return -ENOMEM;
    int err = dir_make_mode(dir, 0700);
    return err != 0 ? err : sandbox_give(box, dir);
}

/* The run directory and its parts, owned by the sandbox's uid; 0 or a
 * negative errno. */
static int run_dir_make(const struct run_plan *plan)
{
    int err = dir_make_given(plan->sandbox, plan->run_dir);
    const char *subdirs[] = { PROTO_RUN_XML, PROTO_RUN_LOGS, PROTO_RUN_SCRATCH, NULL };
    for (const char *const *sub = subdirs; err == 0 && *sub; sub++) {
        char *dir = str_printf("%s/%s", plan->run_dir, *sub);
        err = dir_make_given(plan->sandbox, dir);
        free(dir);
    }
    return err;
}

/* Settles every pending test with what the grader itself could not do:
 * a grading error, never the learner's failure. */
static void settle_pending_as_error(struct run_state *state, const char *what, int err)
{
    for (size_t i = 0; i < state->n_tests; i++) {
        if (is_pending(state, i))
            settle(state, i, (struct test_outcome){ .kind = OUTCOME_ERROR,
                                                    .reason = strdup(what),
                                                    .detail = strdup(strerror(-err)) });
    }
}

/* Settles every test still pending after the last pass: the binary did not
 * start, and its own output (the harness's log) may say why. */
static void settle_unstarted(struct run_state *state, const struct run_plan *plan)
{
    char *log_path = str_printf("%s/harness.log", plan->run_dir);
    char *log = log_path ? file_read_tail(log_path, HARNESS_LOG_MAX_BYTES) : NULL;
    for (size_t i = 0; i < state->n_tests; i++) {
        if (is_pending(state, i))
            settle(state, i, (struct test_outcome){
                                 .kind = OUTCOME_NOT_RUN,
                                 .reason = strdup("the test binary could not be started"),
                                 .detail = log ? strdup(log) : NULL });
    }
    free(log), free(log_path);
}

/* Runs harness passes until every test has an outcome. Each pass runs every
 * test still without one; a pass that dies mid-test settles that test, and
 * one that runs out of an exercise's budget settles that exercise, so
 * passes are bounded by the test count (twice: a starved test runs once
 * more). The whole run's wall-clock backstop is every exercise's budget,
 * #PROTO_WALL_FACTOR times over. */
static void passes_run(struct run_state *state, const struct run_plan *plan)
{
    double budgets = START_CPU_S;
    for (size_t g = 0; g < state->n_groups; g++)
        budgets += state->groups[g].budget_s;
    double backstop = clock_seconds() + budgets * PROTO_WALL_FACTOR;
    for (size_t pass = 0; pass <= 2 * state->n_tests && count_pending(state) > 0; pass++) {
        size_t settled_before = state->settled;
        struct harness_run run = { .current = -1, .backstop = backstop,
                                   .group = first_pending_group(state) };
        run.pid = harness_start(plan, state, &run.events_fd);
        if (run.pid < 0)
            break;
        harness_watch(&run, state);
        sandbox_kill(plan->sandbox, run.pid);
        int status;
        waitpid(run.pid, &status, 0);
        if (!run_settle(state, &run, settled_before))
            break;
    }
}

struct test_outcome *run_tests(const struct run_plan *plan)
{
    size_t *every = NULL;
    struct run_group whole;
    struct run_state state;
    struct test_outcome *results = NULL;
    if (state_init(&state, plan, &whole, &every)) {
        int err = run_dir_make(plan);
        if (err != 0)
            settle_pending_as_error(&state, "the grader could not prepare the test's run "
                                            "directory", err);
        passes_run(&state, plan);
        if (count_pending(&state) > 0)
            settle_unstarted(&state, plan);
        for (size_t g = 0; plan->spent_s && g < state.n_groups; g++)
            plan->spent_s[g] = state.spent[g];
        results = state.results;
        state.results = NULL;
    }
    outcomes_free(state.results, state.n_tests);
    free(every), free(state.group_of), free(state.spent), free(state.retried);
    return results;
}

