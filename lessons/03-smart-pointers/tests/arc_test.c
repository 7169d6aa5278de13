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
#include "alloc_faults.h"
#include "arc.h"

#include <pthread.h>
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
        cr_assert(eq(int, pthread_create(&threads[i], NULL, work, arg), 0),
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

/*
 * The stress run, in a process of its own that runs natively.
 *
 * Valgrind runs one thread at a time and switches threads only between
 * blocks of instructions, so under Valgrind `count++` is never cut in
 * half and never loses an update. The test therefore starts this program
 * again, without Valgrind (an exec'd program is not traced), and this
 * constructor runs the threads there, in parallel on every core, before
 * the test runner's main. Exit status: 0 all well; 1 destroy ran early (an
 * increment was lost); 2 the count is wrong; 3 the test could not start.
 */
__attribute__((constructor)) static void stress_child(void)
{
    if (!getenv(STRESS_ENV))
        return;

    pthread_t threads[THREADS];
    struct arc *arc = arc_new(8, count_destroy);

    if (!arc)
        _exit(3);
    for (size_t i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, churn, arc) != 0)
            _exit(3);
    for (size_t i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    if (atomic_load(&destroy_calls) != 0)
        _exit(1);
    if (arc_count(arc) != 1)
        _exit(2);
    arc_unref(arc);
    _exit(atomic_load(&destroy_calls) == 1 ? 0 : 2);
}

/* Runs stress_child() in a native process; returns its exit status
 * after asserting that it exited normally. */
static int run_native(void)
{
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);

    cr_assert(ne(sz, (size_t)len, (size_t)-1), "test setup: readlink "
              "/proc/self/exe failed");
    self[len] = '\0';
    pid_t pid = fork();
    cr_assert(ne(int, pid, -1), "test setup: fork failed");
    if (pid == 0) {
        setenv(STRESS_ENV, "1", 1);
        execl(self, self, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        ;
    int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    cr_assert(eq(int, signal, 0), "the threads crashed (signal %d): the "
              "buffer was freed while references were still in use, "
              "because an update of the count was lost", signal);
    cr_assert(ne(int, WEXITSTATUS(status), 127), "test setup: could not "
              "start the stress run");
    cr_assert(ne(int, WEXITSTATUS(status), 3), "arc_new or arc_ref failed "
              "in the stress run");
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
        status = run_native();
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

GRADED_TEST(arc, new_refuses_bad_sizes_and_failed_allocations, 1,
            .description = "arc_new refuses sizes above ARC_MAX_SIZE without "
                           "allocating, and returns NULL leaving nothing "
                           "when an allocation fails")
{
    struct arc *arc = NULL;
    size_t successes = 0;

    for (; successes < 8 && !arc; successes++) {
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
