/*
 * Tests of arc.h, the atomically reference-counted buffer.
 *
 * The thread tests that run under Valgrind are small (four threads, a few
 * thousand operations) and check what Valgrind sees well: that exactly one
 * thread destroys and frees. Valgrind runs one thread at a time, so it
 * cannot see a lost update; concurrent_refs_lose_no_update runs its
 * threads natively, in parallel, where a count that is not updated
 * atomically loses updates: the count then ends wrong, or destroy runs
 * early or twice.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "course_thread.h"
#include "alloc_faults.h"
#include "arc.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4
#define STRESS_ROUNDS 100000 /* x 4 references x THREADS */
#define STRESS_ENV "COURSE_ARC_STRESS"

static atomic_int destroy_calls; /* destroy may run on any thread */

static void count_destroy(void *data)
{
    (void)data;
    atomic_fetch_add(&destroy_calls, 1);
}

/* Creates THREADS threads running work(arg) and waits for all of them. */
static void run_threads(void *(*work)(void *), void *arg)
{
    pthread_t threads[THREADS];

    for (size_t i = 0; i < THREADS; i++)
        cr_assert(eq(int, course_thread_start(&threads[i], work, arg), 0),
                  "test setup: pthread_create failed");
    for (size_t i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
}

GRADED_TEST(arc, new_holds_one_reference, 1,
            .description = "arc_new returns a count of 1 and zeroed data; "
                           "arc_ref returns its argument; the last arc_unref "
                           "destroys and frees")
{
    struct arc *arc = arc_new(24, count_destroy);

    cr_assert(ne(ptr, arc, NULL), "arc_new(24, destroy) returned NULL");
    cr_assert(eq(sz, arc_count(arc), 1), "a new buffer has count 1");
    unsigned char zeros[24] = { 0 };
    cr_assert(eq(int, memcmp(arc_data(arc), zeros, 24), 0), "the data is "
              "not zero-filled");
    cr_assert(eq(ptr, arc_ref(arc), arc), "arc_ref returns its argument");
    cr_assert(eq(sz, arc_count(arc), 2), "after arc_ref the count is 2");
    cr_assert(eq(ptr, arc_unref(arc), NULL), "arc_unref returns NULL");
    cr_assert(eq(int, atomic_load(&destroy_calls), 0), "destroy ran with a "
              "reference left");
    arc_unref(arc);
    cr_assert(eq(int, atomic_load(&destroy_calls), 1), "destroy should run "
              "once, at the last arc_unref");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the buffer was not freed");
    cr_assert(eq(ptr, arc_ref(NULL), NULL), "arc_ref(NULL) is NULL");
    cr_assert(eq(ptr, arc_unref(NULL), NULL), "arc_unref(NULL) is NULL");
    cr_assert(eq(sz, arc_count(NULL), 0), "arc_count(NULL) is 0");
    cr_assert(eq(ptr, arc_data(NULL), NULL), "arc_data(NULL) is NULL");
}

/* Work: takes and gives back references, four at a time, many times. */
static void *churn(void *arg)
{
    struct arc *shared = arg;
    struct arc *mine[4];

    for (int round = 0; round < STRESS_ROUNDS; round++) {
        for (int i = 0; i < 4; i++)
            mine[i] = arc_ref(shared);
        for (int i = 0; i < 4; i++)
            arc_unref(mine[i]);
    }
    return NULL;
}

/* ---------- Native runs ----------
 *
 * Valgrind runs one thread at a time and switches threads only between
 * blocks of instructions: under Valgrind `count++` is never cut in half,
 * and no thread ever runs between another's check and its add, or between
 * its decrement and a second load. So these checks run natively: the test
 * starts this program again (an exec'd program is not traced by Valgrind)
 * with STRESS_ENV naming the scenario, and the constructor below runs it
 * before the test runner's main. Its exit status is an enum native_status.
 *
 * Racing real threads finds a lost update quickly ("churn"), but the
 * windows of a check-then-add or of a second load are a few instructions
 * wide, and on a loaded machine two threads seldom run at the same moment.
 * "limit" and "last" do not wait for luck: they run one call of this
 * thread one instruction at a time (the x86 trap flag raises SIGTRAP after
 * every instruction), and make "the other thread" run its whole call at
 * each instruction boundary in turn, from the signal handler. Every
 * interleaving of the two calls is tried, once each, on every machine.
 */

/** What a native run found, as its exit status. */
enum native_status {
    STRESS_OK = 0,
    STRESS_EARLY_DESTROY = 1, /* destroy ran while references were held */
    STRESS_BAD_COUNT = 2,     /* the count ended wrong */
    STRESS_SETUP = 3,         /* arc_new, arc_ref or the setup failed */
    STRESS_OVER_LIMIT = 4,    /* more references than ARC_COUNT_MAX */
    STRESS_DESTROY_TWICE = 5, /* one buffer destroyed twice */
};

/* Scenario "churn": THREADS threads each take and give back 4 references
 * STRESS_ROUNDS times. A lost increment destroys the buffer early; a lost
 * decrement leaves the count above 1. */
static int stress_churn(void)
{
    pthread_t threads[THREADS];
    struct arc *arc = arc_new(8, count_destroy);

    if (!arc)
        return STRESS_SETUP;
    for (size_t i = 0; i < THREADS; i++)
        if (course_thread_start(&threads[i], churn, arc) != 0)
            return STRESS_SETUP;
    for (size_t i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    if (atomic_load(&destroy_calls) != 0)
        return STRESS_EARLY_DESTROY;
    if (arc_count(arc) != 1)
        return STRESS_BAD_COUNT;
    arc_unref(arc);
    return atomic_load(&destroy_calls) == 1 ? STRESS_OK : STRESS_BAD_COUNT;
}

/* One stepped call and the other thread's call, run at one of its steps. */
static struct {
    struct arc *arc;           /* the buffer both calls work on */
    volatile unsigned long steps;     /* instructions stepped so far */
    volatile unsigned long inject_at; /* run other() after this step; 0: never */
    void (*other)(void);       /* the other thread's whole call */
    struct arc *other_result;  /* what the other arc_ref returned */
    void *reclaimed;           /* see other_unref() */
    unsigned char copy[256];   /* the block when its count reached 0 */
    size_t copy_size;          /* bytes in copy; 0: none */
} stepped;

/* SIGTRAP, after each stepped instruction (the handler itself runs with
 * the trap flag clear, so the other call is not stepped). */
static void on_step(int sig)
{
    (void)sig;
    if (++stepped.steps == stepped.inject_at)
        stepped.other();
}

#if defined(__x86_64__)
/* Sets or clears the trap flag (bit 8 of RFLAGS). */
#define TRAP_FLAG_ON() __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq" ::: "memory", "cc")
#define TRAP_FLAG_OFF() __asm__ volatile("pushfq\n\tandq $~0x100, (%%rsp)\n\tpopfq" ::: "memory", "cc")
#define CAN_STEP 1
#else
#define TRAP_FLAG_ON() ((void)0)
#define TRAP_FLAG_OFF() ((void)0)
#define CAN_STEP 0
#endif

/* Runs call(arc) one instruction at a time, running the other call after
 * step inject_at (0: never); returns call's result and sets *steps. */
static struct arc *run_stepped(struct arc *(*call)(struct arc *),
                               unsigned long inject_at, unsigned long *steps)
{
    stepped.steps = 0;
    stepped.inject_at = inject_at;
    TRAP_FLAG_ON();
    struct arc *result = call(stepped.arc);
    TRAP_FLAG_OFF();
    *steps = stepped.steps;
    return result;
}

/* The other thread of "limit": one arc_ref. */
static void other_ref(void)
{
    stepped.other_result = arc_ref(stepped.arc);
}

/* A buffer holding count references (count >= 1), or NULL. */
static struct arc *arc_with_count(size_t count, arc_destroy_fn *destroy)
{
    struct arc *arc = arc_new(8, destroy);
    for (size_t i = 1; arc && i < count; i++)
        if (!arc_ref(arc))
            return NULL;
    return arc;
}

/* Gives back every reference of arc. */
static void unref_all(struct arc *arc)
{
    for (size_t count = arc_count(arc); count > 0; count--)
        arc_unref(arc);
}

/* Scenario "limit": at ARC_COUNT_MAX - 1, this thread's arc_ref and the
 * other's, in every interleaving: exactly one may succeed. A check-then-
 * add lets the other pass the check between this one's check and add. */
static int stress_limit(void)
{
    if (!CAN_STEP || signal(SIGTRAP, on_step) == SIG_ERR)
        return CAN_STEP ? STRESS_SETUP : STRESS_OK;
    stepped.other = other_ref;
    unsigned long steps = 0, last_step = 1;
    for (unsigned long at = 0; at <= last_step + 1; at++) {
        stepped.arc = arc_with_count(ARC_COUNT_MAX - 1, count_destroy);
        stepped.other_result = NULL;
        if (!stepped.arc)
            return STRESS_SETUP;
        struct arc *mine = run_stepped(arc_ref, at, &steps);
        if (at == 0)
            last_step = steps; /* the whole call, with nobody in between */
        else if (at > steps)
            other_ref(); /* after the call: no interleaving */
        size_t successes = (mine != NULL) + (stepped.other_result != NULL);
        size_t count = arc_count(stepped.arc);
        if (at > 0 && (successes != 1 || count > ARC_COUNT_MAX))
            return successes > 1 || count > ARC_COUNT_MAX ? STRESS_OVER_LIMIT
                                                          : STRESS_BAD_COUNT;
        if (count != ARC_COUNT_MAX - 1 + successes)
            return STRESS_BAD_COUNT;
        unref_all(stepped.arc);
    }
    return STRESS_OK;
}

/* The destroy function of "last": counts, and keeps a copy of the block
 * as it is when the count has just reached 0 (see other_unref()). */
static void copy_then_count_destroy(void *data)
{
    size_t size = alloc_block_size(stepped.arc);

    if (size <= sizeof stepped.copy) {
        memcpy(stepped.copy, stepped.arc, size);
        stepped.copy_size = size;
    }
    count_destroy(data);
}

/* The other thread of "last": gives back its reference. If that destroyed
 * the buffer, the stepped call must never look at it again. To make a look
 * visible, the freed block is taken back (malloc returns the block just
 * freed) and filled with what it held when the count reached 0: a second
 * load of the count then reads 0, as it would have if the free had come a
 * moment later. */
static void other_unref(void)
{
    stepped.copy_size = 0;
    arc_unref(stepped.arc);
    if (stepped.copy_size == 0)
        return; /* not destroyed, or a block of unknown size */
    void *block = malloc(stepped.copy_size);
    if (block == (void *)stepped.arc) {
        memcpy(block, stepped.copy, stepped.copy_size);
        stepped.reclaimed = block;
    } else {
        free(block);
    }
}

/* Scenario "last": two references, this thread's arc_unref and the
 * other's, in every interleaving: destroy runs exactly once. Deciding
 * "was I the last?" from a second load of the count, after the decrement,
 * lets both calls see 0. */
static int stress_last(void)
{
    if (!CAN_STEP || signal(SIGTRAP, on_step) == SIG_ERR)
        return CAN_STEP ? STRESS_SETUP : STRESS_OK;
    stepped.other = other_unref;
    /* Every function the calls use is bound before stepping begins. */
    stepped.arc = arc_with_count(2, copy_then_count_destroy);
    if (!stepped.arc)
        return STRESS_SETUP;
    unref_all(stepped.arc);
    unsigned long steps = 0, last_step = 1;
    for (unsigned long at = 0; at <= last_step + 1; at++) {
        int before = atomic_load(&destroy_calls);
        stepped.arc = arc_with_count(2, copy_then_count_destroy);
        stepped.reclaimed = NULL;
        if (!stepped.arc)
            return STRESS_SETUP;
        run_stepped(arc_unref, at, &steps);
        if (at == 0)
            last_step = steps;
        if (at == 0 || at > steps)
            other_unref(); /* after the call: no interleaving */
        int destroyed = atomic_load(&destroy_calls) - before;
        if (destroyed > 1)
            return STRESS_DESTROY_TWICE; /* and it freed our block too */
        free(stepped.reclaimed);
        if (destroyed != 1)
            return STRESS_BAD_COUNT;
    }
    return STRESS_OK;
}

__attribute__((constructor)) static void stress_child(void)
{
    const char *scenario = getenv(STRESS_ENV);

    if (!scenario)
        return;
    if (strcmp(scenario, "churn") == 0)
        _exit(stress_churn());
    if (strcmp(scenario, "limit") == 0)
        _exit(stress_limit());
    if (strcmp(scenario, "last") == 0)
        _exit(stress_last());
    _exit(STRESS_SETUP);
}

/* Runs a stress scenario in a native process; returns its exit status
 * after asserting that it exited normally. */
static int run_native(const char *scenario)
{
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);

    cr_assert(ne(sz, (size_t)len, (size_t)-1), "test setup: readlink "
              "/proc/self/exe failed");
    self[len] = '\0';
    pid_t pid = fork();
    cr_assert(ne(int, pid, -1), "test setup: fork failed");
    if (pid == 0) {
        setenv(STRESS_ENV, scenario, 1);
        execl(self, self, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        ;
    int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    cr_assert(eq(int, signal, 0), "the threads crashed (signal %d, %s): the "
              "buffer was freed while references were still in use, or "
              "freed twice", signal, strsignal(signal));
    cr_assert(ne(int, WEXITSTATUS(status), 127), "test setup: could not "
              "start the stress run");
    cr_assert(ne(int, WEXITSTATUS(status), STRESS_SETUP), "arc_new or "
              "arc_ref failed in the stress run");
    return WEXITSTATUS(status);
}

GRADED_TEST(arc, concurrent_refs_lose_no_update, 3, .timeout = 10,
            .description = "four threads running in parallel (natively, "
                           "not under Valgrind), each taking and giving back "
                           "400,000 references, leave the count at exactly "
                           "1 and the buffer alive")
{
    /* First the contract on one thread, so that a stub cannot pass. */
    struct arc *arc = arc_new(8, count_destroy);
    cr_assert(ne(ptr, arc, NULL), "arc_new returned NULL");
    cr_assert(eq(ptr, arc_ref(arc), arc), "arc_ref returns its argument");
    arc_unref(arc);
    arc_unref(arc);
    cr_assert(eq(int, atomic_load(&destroy_calls), 1), "destroy should run "
              "once");

    /* A lost update needs two threads inside the same few instructions:
     * likely in one run, near certain in three. */
    int status = 0;
    for (int run = 0; run < 3 && status == 0; run++)
        status = run_native("churn");
    cr_assert(ne(int, status, 1), "destroy ran while a reference was still "
              "held: an increment was lost. Is every change to the count "
              "one atomic operation?");
    cr_assert(eq(int, status, 0), "after the threads gave back every "
              "reference they took, the count was not 1: an update was "
              "lost (count++ is a load, an add and a store)");
}

/* Shared by the threads of one round of the hand-off test. */
struct handoff {
    pthread_barrier_t start; /* releases the threads together */
    struct arc *refs[THREADS]; /* one reference for each thread */
    atomic_size_t next;       /* which reference the next thread takes */
};

/* Work: takes its own reference, waits for the others, gives it back. */
static void *give_back(void *arg)
{
    struct handoff *h = arg;
    struct arc *mine = h->refs[atomic_fetch_add(&h->next, 1)];

    pthread_barrier_wait(&h->start);
    arc_unref(mine);
    return NULL;
}

GRADED_TEST(arc, last_unref_on_any_thread_destroys_once, 2, .timeout = 10,
            .description = "when four threads give back the last references "
                           "at the same moment, destroy runs exactly once "
                           "and the buffer is freed")
{
    for (int round = 1; round <= 20; round++) {
        struct handoff h = { .next = 0 };
        struct arc *arc = arc_new(8, count_destroy);

        cr_assert(ne(ptr, arc, NULL), "arc_new returned NULL");
        h.refs[0] = arc;
        for (size_t i = 1; i < THREADS; i++)
            h.refs[i] = arc_ref(arc);
        pthread_barrier_init(&h.start, NULL, THREADS);
        run_threads(give_back, &h);
        pthread_barrier_destroy(&h.start);
        cr_assert(eq(int, atomic_load(&destroy_calls), round), "after %d "
                  "buffers died, destroy ran %d times: exactly one thread "
                  "(the one that takes the count from 1 to 0) destroys",
                  round, atomic_load(&destroy_calls));
        cr_assert(eq(sz, alloc_live_blocks(), 0), "a buffer whose last "
                  "reference was given back was not freed");
    }
}

/* Work: tries 8 references on a buffer close to ARC_COUNT_MAX. */
static void *grab(void *arg)
{
    struct arc *shared = arg;

    for (int i = 0; i < 8; i++)
        arc_ref(shared);
    return NULL;
}

GRADED_TEST(arc, ref_refuses_past_the_maximum, 2, .timeout = 10,
            .description = "arc_ref succeeds up to ARC_COUNT_MAX references, "
                           "even with threads racing, and never past it")
{
    struct arc *arc = arc_new(8, count_destroy);

    cr_assert(ne(ptr, arc, NULL), "arc_new returned NULL");
    for (size_t count = 1; count < ARC_COUNT_MAX - 8; count++)
        cr_assert(eq(ptr, arc_ref(arc), arc), "arc_ref refused at count "
                  "%zu, below ARC_COUNT_MAX", count);
    run_threads(grab, arc); /* 32 tries, room for 8 */
    cr_assert(eq(sz, arc_count(arc), ARC_COUNT_MAX), "the count is %zu: "
              "it must stop at ARC_COUNT_MAX (%d), exactly",
              arc_count(arc), ARC_COUNT_MAX);
    cr_assert(eq(ptr, arc_ref(arc), NULL), "arc_ref at ARC_COUNT_MAX must "
              "return NULL");
    for (size_t count = ARC_COUNT_MAX; count > 0; count--)
        arc_unref(arc);
    cr_assert(eq(int, atomic_load(&destroy_calls), 1), "destroy should run "
              "once");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the buffer was not freed");
}

GRADED_TEST(arc, ref_at_the_maximum_is_one_atomic_step, 2, .timeout = 10,
            .description = "two arc_ref calls racing for the last reference "
                           "below ARC_COUNT_MAX: in every interleaving of "
                           "their instructions, exactly one succeeds")
{
    struct arc *arc = arc_new(8, count_destroy);
    cr_assert(ne(ptr, arc, NULL), "arc_new returned NULL");
    cr_assert(eq(ptr, arc_ref(arc), arc), "arc_ref returns its argument");
    arc_unref(arc);
    arc_unref(arc);

    int status = run_native("limit");
    cr_assert(ne(int, status, STRESS_OVER_LIMIT), "both arc_ref calls "
              "succeeded at ARC_COUNT_MAX - 1 when the second one ran "
              "between the first one's check of the count and its add: "
              "a check-then-add. Check and add in one atomic step: a "
              "compare-and-swap loop (atomic_compare_exchange_weak) that "
              "adds only to the value it checked");
    cr_assert(eq(int, status, STRESS_OK), "after the two calls the count "
              "was not ARC_COUNT_MAX - 1 plus the references they got: an "
              "update was lost, or neither call succeeded");
}

GRADED_TEST(arc, last_unref_is_decided_by_the_decrement, 2, .timeout = 10,
            .description = "two arc_unref calls giving back the last two "
                           "references: in every interleaving of their "
                           "instructions, destroy runs exactly once")
{
    struct arc *arc = arc_new(8, count_destroy);
    cr_assert(ne(ptr, arc, NULL), "arc_new returned NULL");
    arc_unref(arc);
    cr_assert(eq(int, atomic_load(&destroy_calls), 1), "destroy should run "
              "once, at the last arc_unref");

    int status = run_native("last");
    cr_assert(ne(int, status, STRESS_DESTROY_TWICE), "the buffer was "
              "destroyed twice when the second arc_unref ran between the "
              "first one's decrement and its next look at the count: both "
              "saw 0. Decide \"was I the last?\" from the value "
              "atomic_fetch_sub returned (1: you were), and never read the "
              "count again after the decrement");
    cr_assert(eq(int, status, STRESS_OK), "in some interleaving the buffer "
              "was not destroyed exactly once: an update was lost");
}

GRADED_TEST(arc, new_refuses_bad_sizes_and_failed_allocations, 1,
            .description = "arc_new refuses sizes above ARC_MAX_SIZE without "
                           "allocating, and returns NULL leaving nothing "
                           "when an allocation fails")
{
    struct arc *arc = NULL;
    size_t successes = 0;

    for (; successes < 64 && !arc; successes++) {
        alloc_fail_after(successes);
        arc = arc_new(16, count_destroy);
        alloc_fail_never();
        if (!arc)
            cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu "
                      "failed and arc_new left a block allocated",
                      successes + 1);
    }
    cr_assert(ne(ptr, arc, NULL), "arc_new never succeeded");
    arc_unref(arc);

    alloc_fail_after(0);
    size_t failed = alloc_stats().failed;
    cr_assert(eq(ptr, arc_new(ARC_MAX_SIZE + 1, NULL), NULL),
              "ARC_MAX_SIZE + 1 is refused");
    cr_assert(eq(sz, alloc_stats().failed, failed), "arc_new called the "
              "allocator for a size above ARC_MAX_SIZE");
    cr_assert(eq(ptr, arc_new(ARC_MAX_SIZE, NULL), NULL), "the allocator "
              "refused, so arc_new must return NULL");
    cr_assert(ne(sz, alloc_stats().failed, failed), "arc_new refused "
              "ARC_MAX_SIZE itself: the limit is inclusive");
}
