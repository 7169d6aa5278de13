/**
 * @file run.c
 * @brief Starting the harness under Valgrind, deadlines, restarts.
 *
 * The harness writes one JSON line per event on fd 3: "start" (with the
 * test child's pid) and "end" (its verdict). Reading them here, outside
 * Valgrind and outside the learner's reach, the grader keeps the clock.
 *
 * One binary may hold several exercises' tests (struct run_group): each
 * exercise keeps its own count of timeouts (the harness's `--group=N`) and
 * its own wall-clock budget, charged while its tests run, so that an
 * exercise is graded as if it had the binary to itself.
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

/** A test's declared timeout is native seconds (1 s when it declares none);
 *  under Valgrind it may take this many times as long. The course's tests
 *  take well under a tenth of their timeout natively. */
#define VALGRIND_SCALE 3.0
/** The same factor for AddressSanitizer, which costs about 2 times. */
#define ASAN_SCALE 3.0
/** Added to every test's deadline for process start-up and reports. */
#define DEADLINE_GRACE_S 1.0
/** The whole deadline of every test after one test of the exercise has timed
 *  out: code that loops once is likely to loop again, and grading must end. */
#define SHORT_DEADLINE_VALGRIND_S 1.0
/** #SHORT_DEADLINE_VALGRIND_S without Valgrind. */
#define SHORT_DEADLINE_ASAN_S 0.25
/** Wall-clock budget of one exercise's tests, whatever they or the learner's
 *  code do: the grader stops that exercise's tests when it is spent. A
 *  binary that holds several exercises gives each its own, so that one that
 *  loops never starves the others. */
#define EXERCISE_BUDGET_S 45.0
/** The harness must report within this time of the previous report, beyond
 *  the running test's own deadline (Valgrind start-up and leak checks). */
#define SILENCE_LIMIT_S 30.0
/** How much of the harness's own output explains why it could not start. */
#define HARNESS_LOG_MAX_BYTES 2048
/** Longest event line accepted from the harness. */
#define EVENT_MAX_BYTES (256 * 1024)

double run_deadline(double declared_s, bool fast)
{
    return declared_s * (fast ? ASAN_SCALE : VALGRIND_SCALE) + DEADLINE_GRACE_S;
}

double run_short_deadline(bool fast)
{
    return fast ? SHORT_DEADLINE_ASAN_S : SHORT_DEADLINE_VALGRIND_S;
}

/** The state of one harness process while it runs. */
struct harness_run {
    pid_t pid;          /**< harness (and Valgrind) process, also its group:
                             forked here, never read from the harness */
    int events_fd;      /**< read end of fd 3 */
    long current;       /**< index of the running test, -1 between tests */
    size_t group;       /**< the exercise being charged for the time that passes */
    double charged;     /**< time up to which the exercises have been charged */
    double quiet_until; /**< the harness must report again by then */
    double budget_end;  /**< the whole run's budget (every exercise's) runs out then */
    bool over_budget;   /**< the grader stopped the run for a budget */
};

/** What run_tests() knows across the harness starts of one run. */
struct run_state {
    json_t *results;                /**< one object per catalogue index; {} while pending */
    const struct run_group *groups; /**< the exercises of the run; borrowed */
    size_t n_groups;                /**< number of @ref groups */
    long *group_of;                 /**< each catalogue index's group, -1 for none */
    double *spent;                  /**< wall-clock seconds each group has used */
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

/* How many tests of group @p g have already timed out. */
static int count_timed_out(const struct run_state *state, size_t g)
{
    int count = 0;
    for (size_t t = 0; t < state->groups[g].n_tests; t++) {
        json_t *outcome = json_array_get(state->results, state->groups[g].tests[t]);
        count += json_is_true(json_object_get(outcome, "timed_out"));
    }
    return count;
}

/* The first group, in running order, that still has a pending test. */
static size_t first_pending_group(const struct run_state *state)
{
    for (size_t g = 0; g < state->n_groups; g++) {
        for (size_t t = 0; t < state->groups[g].n_tests; t++) {
            if (is_pending(state->results, state->groups[g].tests[t]))
                return g;
        }
    }
    return 0;
}

/* Starts the harness for every pending test, each exercise's after a
 * `--group=N` that carries its own count of timeouts. */
static pid_t harness_start(const struct run_plan *plan, const struct run_state *state,
                           int *events_fd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    size_t n_tests = json_array_size(plan->catalogue);
    size_t n_args = n_tests + state->n_groups;
    const char **argv = calloc(n_args + 40, sizeof(*argv));
    char **owned = calloc(n_args + 16, sizeof(*owned));
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
    argv[n++] = owned[n_owned++] = str_printf("%s/scratch", plan->run_dir);
    argv[n++] = owned[n_owned++] = str_printf("%g", plan->fast ? ASAN_SCALE : VALGRIND_SCALE);
    argv[n++] = owned[n_owned++] = str_printf("%g", DEADLINE_GRACE_S);
    argv[n++] = owned[n_owned++] = str_printf("%g", run_short_deadline(plan->fast));
    if (plan->fast)
        argv[n++] = "--fast";
    if (plan->sandbox->privileged)
        argv[n++] = "--own-uid";
    for (size_t g = 0; g < state->n_groups; g++) {
        bool first = true;
        for (size_t t = 0; t < state->groups[g].n_tests; t++) {
            size_t index = state->groups[g].tests[t];
            if (!is_pending(state->results, index))
                continue;
            if (first)
                argv[n++] = owned[n_owned++] = str_printf("--group=%d",
                                                          count_timed_out(state, g));
            first = false;
            argv[n++] = owned[n_owned++] = str_printf("%zu", index);
        }
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

static void event_handle(struct harness_run *run, const struct run_state *state,
                         const char *line)
{
    json_t *results = state->results;
    json_t *event = json_loads(line, 0, NULL);
    const char *kind = json_string_value(json_object_get(event, "event"));
    json_int_t index = json_integer_value(json_object_get(event, "index"));
    if (!kind || index < 0 || (size_t)index >= json_array_size(results)
        || !is_pending(results, (size_t)index)) {
        json_decref(event);
        return;
    }
    double now = clock_seconds();
    if (strcmp(kind, "start") == 0) {
        /* The harness keeps each test's clock; this one only checks that
         * the harness itself goes on reporting. */
        double allowed = json_real_value(json_object_get(event, "allowed"));
        if (allowed < 0 || allowed > EXERCISE_BUDGET_S)
            allowed = EXERCISE_BUDGET_S;
        run->current = (long)index;
        if (state->group_of[index] >= 0)
            run->group = (size_t)state->group_of[index];
        run->quiet_until = now + allowed + SILENCE_LIMIT_S;
    } else if (strcmp(kind, "end") == 0 || strcmp(kind, "error") == 0) {
        json_array_set(results, (size_t)index, event);
        run->current = -1;
        run->quiet_until = now + SILENCE_LIMIT_S;
    }
    json_decref(event);
}

/* Reads events until the harness closes fd 3, it falls silent, or the
 * budget of the exercise it runs is spent. The time that passes is charged
 * to the exercise of the last test started (at first, to the first one). */
static void harness_watch(struct harness_run *run, struct run_state *state)
{
    char *line = malloc(EVENT_MAX_BYTES + 1);
    size_t used = 0;
    run->quiet_until = run->budget_end; /* start-up: only the budget bounds it */
    while (line) {
        double now = clock_seconds();
        state->spent[run->group] += now - run->charged;
        run->charged = now;
        if (state->spent[run->group] > EXERCISE_BUDGET_S || now > run->budget_end) {
            run->over_budget = true;
            break;
        }
        if (now > run->quiet_until)
            break;
        struct pollfd pfd = { .fd = run->events_fd, .events = POLLIN };
        if (poll(&pfd, 1, 100) <= 0)
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
static json_t *not_run_for_budget(void)
{
    char *why = str_printf("the exercise's time budget (%.0f s) ran out before this test "
                           "could run", EXERCISE_BUDGET_S);
    json_t *outcome = json_pack("{s:s, s:s}", "not_run", why ? why : "not run", "log", "");
    free(why);
    return outcome;
}

/* Settles an exercise whose budget is spent: the test that was running
 * lost it, the tests that did not start never ran. */
static void group_settle_over_budget(struct run_state *state, size_t g, long current)
{
    if (current >= 0)
        json_array_set_new(state->results, (size_t)current,
                           json_pack("{s:b, s:b}", "runner_died", 0, "over_budget", 1));
    for (size_t t = 0; t < state->groups[g].n_tests; t++) {
        size_t index = state->groups[g].tests[t];
        if (is_pending(state->results, index))
            json_array_set_new(state->results, index, not_run_for_budget());
    }
}

json_t *run_tests(const struct run_plan *plan)
{
    size_t n_tests = json_array_size(plan->catalogue);
    /* Without groups, the whole catalogue is one exercise. */
    size_t *every = NULL;
    struct run_group whole = { 0 };
    struct run_state state = { .results = json_array(), .groups = plan->groups,
                               .n_groups = plan->n_groups };
    if (!plan->groups) {
        every = calloc(n_tests ? n_tests : 1, sizeof(*every));
        for (size_t i = 0; every && i < n_tests; i++)
            every[i] = i;
        whole = (struct run_group){ .tests = every, .n_tests = every ? n_tests : 0 };
        state.groups = &whole;
        state.n_groups = 1;
    }
    state.group_of = calloc(n_tests ? n_tests : 1, sizeof(*state.group_of));
    state.spent = calloc(state.n_groups ? state.n_groups : 1, sizeof(*state.spent));
    if (!state.results || !state.group_of || !state.spent) {
        free(every), free(state.group_of), free(state.spent);
        return state.results;
    }
    for (size_t i = 0; i < n_tests; i++)
        state.group_of[i] = -1;
    for (size_t g = 0; g < state.n_groups; g++) {
        for (size_t t = 0; t < state.groups[g].n_tests; t++) {
            if (state.groups[g].tests[t] < n_tests)
                state.group_of[state.groups[g].tests[t]] = (long)g;
        }
    }
    json_t *results = state.results;
    for (size_t i = 0; i < n_tests; i++) {
        bool disabled = json_is_true(json_object_get(json_array_get(plan->catalogue, i),
                                                     "disabled"));
        json_array_append_new(results, disabled ? json_pack("{s:s}", "not_run", "disabled")
                                       : state.group_of[i] < 0
                                           ? json_pack("{s:s}", "not_run", "not in this run")
                                           : json_object());
    }
    dir_make_mode(plan->run_dir, 0700);
    sandbox_give(plan->sandbox, plan->run_dir);
    const char *subdirs[] = { "xml", "logs", "scratch", NULL };
    for (const char *const *sub = subdirs; *sub; sub++) {
        char *dir = str_printf("%s/%s", plan->run_dir, *sub);
        dir_make_mode(dir, 0700);
        sandbox_give(plan->sandbox, dir);
        free(dir);
    }

    /* Each pass runs every test still without a result; a pass that dies
     * mid-test settles that test, and one that runs out of an exercise's
     * budget settles that exercise, so passes are bounded by the test count.
     * The whole run may take no longer than every exercise's budget. */
    double budget_end = clock_seconds() + EXERCISE_BUDGET_S * (double)state.n_groups;
    bool out_of_time = false;
    for (size_t pass = 0; pass <= n_tests && !out_of_time; pass++) {
        size_t pending = count_pending(results);
        if (pending == 0)
            break;
        struct harness_run run = { .current = -1, .budget_end = budget_end,
                                   .group = first_pending_group(&state) };
        run.pid = harness_start(plan, &state, &run.events_fd);
        if (run.pid < 0)
            break;
        run.charged = clock_seconds();
        harness_watch(&run, &state);
        sandbox_kill(plan->sandbox, run.pid);
        int status;
        waitpid(run.pid, &status, 0);
        if (run.over_budget) {
            out_of_time = clock_seconds() > budget_end;
            group_settle_over_budget(&state, run.group, run.current);
        } else if (run.current >= 0) {
            json_array_set_new(results, (size_t)run.current,
                               json_pack("{s:b, s:b}", "runner_died", 1, "over_budget", 0));
        } else if (count_pending(results) == pending) {
            break; /* no progress: the harness cannot start */
        }
    }
    if (count_pending(results) > 0) {
        char *log_path = str_printf("%s/harness.log", plan->run_dir);
        char *log = log_path && !out_of_time ? file_read_tail(log_path, HARNESS_LOG_MAX_BYTES)
                                             : NULL;
        for (size_t i = 0; i < n_tests; i++) {
            if (!is_pending(results, i))
                continue;
            json_array_set_new(results, i, out_of_time
                                   ? not_run_for_budget()
                                   : json_pack("{s:s, s:s}", "not_run",
                                               "the test binary could not be started", "log",
                                               log ? log : ""));
        }
        free(log), free(log_path);
    }
    free(every), free(state.group_of), free(state.spent);
    return results;
}
