/*
 * The simulated sbrk() under mm.c: one private mapping of MEM_MAX_HEAP
 * bytes and a break that only moves up, as in the CS:APP malloc lab.
 *
 * Course code: under Valgrind it tells memcheck that bytes past the break
 * are off limits, and that bytes a mem_sbrk() call gives out are
 * addressable but undefined (so an allocator that reads a header it never
 * wrote is reported).
 *
 * The region is reserved whole (PROT_NONE) and its pages are made readable
 * and writable only as the break first reaches them. Why: every test is a
 * process of its own, and under memcheck a fully usable 20 MiB mapping
 * cost each test about 0.4 s of CPU (measured: 0.55 s a test of mm with
 * the 20 MiB usable, 0.15 s with 2 MiB); a test pays now for the pages
 * its heap used. Natively, too, a write past the break's page faults.
 */
#include "memlib.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

/* The one simulated heap. */
static struct {
    char *start;      /* First byte of the mapping; NULL until mem_init(). */
    size_t brk;       /* Bytes given out so far, from start. */
    size_t limit;     /* mem_sbrk() refuses to go past this many bytes. */
    size_t committed; /* Bytes from start that are readable and writable:
                         whole pages, at least brk. */
} heap;

/* Makes the pages up to @p end bytes from the start usable (and, for
 * memcheck, off limits until mem_sbrk() gives them out). */
static int commit_to(size_t end)
{
    if (end <= heap.committed)
        return 0; /* the usual case: asked before every mem_sbrk() */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t want = (end + page - 1) / page * page;
    if (mprotect(heap.start + heap.committed, want - heap.committed,
                 PROT_READ | PROT_WRITE) != 0)
        return -1;
    VALGRIND_MAKE_MEM_NOACCESS(heap.start + heap.committed, want - heap.committed);
    heap.committed = want;
    return 0;
}

int mem_init(void)
{
    if (!heap.start) {
        void *region = mmap(NULL, MEM_MAX_HEAP, PROT_NONE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (region == MAP_FAILED)
            return -ENOMEM;
        heap.start = region;
    }
    mem_reset_brk();
    return 0;
}

void mem_reset_brk(void)
{
    heap.brk = 0;
    heap.limit = MEM_MAX_HEAP;
    if (heap.start)
        VALGRIND_MAKE_MEM_NOACCESS(heap.start, heap.committed);
}

void mem_set_limit(size_t bytes)
{
    heap.limit = bytes < MEM_MAX_HEAP ? bytes : MEM_MAX_HEAP;
}

void *mem_sbrk(intptr_t incr)
{
    if (incr < 0) {
        errno = EINVAL;
        return (void *)-1;
    }
    if (!heap.start || heap.brk > heap.limit
        || (size_t)incr > heap.limit - heap.brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    if (commit_to(heap.brk + (size_t)incr) != 0) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = heap.start + heap.brk;
    heap.brk += (size_t)incr;
    VALGRIND_MAKE_MEM_UNDEFINED(old, (size_t)incr);
    return old;
}

void *mem_heap_lo(void)
{
    return heap.start;
}

void *mem_heap_hi(void)
{
    return heap.start + heap.brk - 1;
}

size_t mem_heapsize(void)
{
    return heap.brk;
}
