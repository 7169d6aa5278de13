/*
 * The course's wrappers around the learner's mm: memcheck annotations.
 *
 * Between calls into mm, memcheck sees only the live payloads as
 * addressable; headers, footers and free blocks are off limits, as
 * malloc()'s own bookkeeping is. The wrappers remember every live block
 * (its payload and the size asked for) so that, on entry to mm, they can
 * open the gaps between payloads, and on the way out, close them again.
 *
 * Closing a gap forgets whether its bytes were defined, so the wrappers
 * keep that first: on the way out they copy the gaps' V bits (memcheck's
 * per-bit "defined" flags) into a shadow buffer, and on entry they put
 * them back. A header mm never wrote stays undefined across calls, and
 * reading it is reported wherever it happens. A freed payload's bits are
 * kept the same way, and realloc copies the kept bytes' bits to the new
 * block, as memcheck's own realloc does.
 * Natively (not under Valgrind) they only forward the calls.
 */
#include "mm_course.h"
#include "memlib.h"
#include "mm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

/* Support files are linked into every test binary of the lesson, most of
 * which have no mm.o: weak references let those link (mm_ functions are
 * then NULL and never called). */
#pragma weak mm_init
#pragma weak mm_malloc
#pragma weak mm_free
#pragma weak mm_realloc
#pragma weak mm_check

/** One live block, as its user sees it. */
struct live {
    char *payload; /**< What mm returned. */
    size_t size;   /**< Bytes the user asked for. */
};

/* Every block the user holds. */
static struct {
    bool quiet;          /* Skip the gap marking (course_mm_annotate()). */
    struct live *blocks; /* Unsorted; allocated with the real malloc(). */
    size_t count;        /* Blocks in use. */
    size_t capacity;     /* Blocks the array can hold. */
    char *vbits;         /* V bits of heap byte i at vbits[i], saved for
                            the gaps; real malloc(). */
    size_t vbits_size;   /* Bytes vbits holds. */
} live;

/* Makes the shadow buffer cover the heap as it is now. */
static void vbits_reserve(void)
{
    size_t need = mem_heapsize();
    if (need <= live.vbits_size)
        return;
    char *grown = realloc(live.vbits, need);
    if (!grown)
        abort(); /* the course's own memory: nothing sensible to do */
    live.vbits = grown;
    live.vbits_size = need;
}

/* Saves the V bits of @p n bytes at @p at. They must be addressable; if
 * some are not (a bug here), they are saved as defined: a report that
 * blamed mm for the course's mistake would be worse than none. */
static void vbits_save(char *at, size_t n)
{
    vbits_reserve();
    char *bits = live.vbits + (at - (char *)mem_heap_lo());
    if (VALGRIND_GET_VBITS(at, bits, n) != 1)
        memset(bits, 0, n); /* a V bit of 0 means defined */
}

/* Makes @p n bytes at @p at addressable with their saved V bits. */
static void vbits_restore(char *at, size_t n)
{
    VALGRIND_MAKE_MEM_DEFINED(at, n);
    VALGRIND_SET_VBITS(at, live.vbits + (at - (char *)mem_heap_lo()), n);
}

static int by_address(const void *a, const void *b)
{
    const char *x = ((const struct live *)a)->payload;
    const char *y = ((const struct live *)b)->payload;
    return (x > y) - (x < y);
}

/* Opens every heap byte outside the live payloads, in [lo, brk), with the
 * V bits it had when it was closed; or saves those bits and closes them. */
static void mark_gaps(bool open)
{
    if (!RUNNING_ON_VALGRIND || live.quiet)
        return;
    char *at = mem_heap_lo();
    char *end = (char *)mem_heap_hi() + 1;
    qsort(live.blocks, live.count, sizeof(*live.blocks), by_address);
    for (size_t i = 0; i <= live.count; i++) {
        char *stop = i < live.count ? live.blocks[i].payload : end;
        if (stop > at) {
            if (open) {
                vbits_restore(at, (size_t)(stop - at));
            } else {
                vbits_save(at, (size_t)(stop - at));
                VALGRIND_MAKE_MEM_NOACCESS(at, (size_t)(stop - at));
            }
        }
        if (i < live.count && live.blocks[i].payload + live.blocks[i].size > at)
            at = live.blocks[i].payload + live.blocks[i].size;
    }
}

static void enter(void)
{
    mark_gaps(true);
}

static void leave(void)
{
    mark_gaps(false);
}

static void remember(void *payload, size_t size)
{
    if (live.count == live.capacity) {
        size_t grown = live.capacity ? 2 * live.capacity : 64;
        struct live *blocks = realloc(live.blocks, grown * sizeof(*blocks));
        if (!blocks)
            abort(); /* the course's own memory: nothing sensible to do */
        live.blocks = blocks;
        live.capacity = grown;
    }
    live.blocks[live.count++] = (struct live){ payload, size };
    VALGRIND_MALLOCLIKE_BLOCK(payload, size, 0, 0);
}

static void forget(void *payload)
{
    for (size_t i = 0; i < live.count; i++) {
        if (live.blocks[i].payload == payload) {
            size_t size = live.blocks[i].size;
            /* The payload joins a gap: keep its bits as the user left them. */
            if (RUNNING_ON_VALGRIND && !live.quiet)
                vbits_save(payload, size);
            live.blocks[i] = live.blocks[--live.count];
            VALGRIND_FREELIKE_BLOCK(payload, 0);
            /* Now part of a gap, open as gaps are during a call into mm
             * (mm keeps its links there). */
            if (live.quiet)
                VALGRIND_MAKE_MEM_DEFINED(payload, size);
            else if (RUNNING_ON_VALGRIND)
                vbits_restore(payload, size);
            return;
        }
    }
}

/* The simulated heap is mapped before the first test starts, in the test
 * program's first process, whose children (the tests) inherit it. Why:
 * under memcheck with --track-origins=yes (the grade's settings), mapping
 * the 20 MiB region in each test cost that test about 0.4 s of CPU
 * (measured: 0.55 s a test of mm, 0.15 s with the mapping made before
 * the fork); made once here, it is paid once. Only where mm is linked:
 * the lesson's other test programs have no mm_init. */
__attribute__((constructor)) static void heap_map_early(void)
{
    if (mm_init)
        (void)mem_init(); /* on failure, each test's mem_init() says so */
}

void course_mm_annotate(bool gaps)
{
    if (gaps) {
        live.quiet = false;
        mark_gaps(false);
    } else {
        mark_gaps(true); /* leave the heap open */
        live.quiet = true;
    }
}

int course_mm_init(void)
{
    for (size_t i = 0; i < live.count; i++)
        VALGRIND_FREELIKE_BLOCK(live.blocks[i].payload, 0);
    live.count = 0;
    if (mem_init() != 0)
        return -ENOMEM;
    int err = mm_init();
    leave();
    return err;
}

void *course_mm_malloc(size_t size)
{
    enter();
    void *payload = mm_malloc(size);
    if (payload)
        remember(payload, size);
    leave();
    return payload;
}

void course_mm_free(void *ptr)
{
    enter();
    if (ptr)
        forget(ptr);
    mm_free(ptr);
    leave();
}

void *course_mm_realloc(void *ptr, size_t size)
{
    size_t old_size = 0;
    for (size_t i = 0; ptr && i < live.count; i++)
        if (live.blocks[i].payload == ptr)
            old_size = live.blocks[i].size;
    size_t kept = old_size < size ? old_size : size;
    /* The kept bytes' V bits, to give the new block (mm may move it). */
    char *bits = kept && RUNNING_ON_VALGRIND ? malloc(kept) : NULL;
    if (bits)
        VALGRIND_GET_VBITS(ptr, bits, kept);

    enter();
    void *moved = mm_realloc(ptr, size);
    if (moved || size == 0) {
        if (ptr)
            forget(ptr);
        if (moved) {
            remember(moved, size);
            if (bits)
                VALGRIND_SET_VBITS(moved, bits, kept);
            else
                VALGRIND_MAKE_MEM_DEFINED(moved, kept);
        }
    }
    leave();
    free(bits);
    return moved;
}

bool course_mm_check(void)
{
    enter();
    bool ok = mm_check();
    leave();
    return ok;
}

void course_mm_poke(void *at, uint64_t value)
{
    enter();
    memcpy(at, &value, sizeof(value));
    leave();
}

uint64_t course_mm_peek(const void *at)
{
    uint64_t value;
    enter();
    memcpy(&value, at, sizeof(value));
    leave();
    return value;
}
