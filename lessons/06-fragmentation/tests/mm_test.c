/*
 * Tests of mm.h: the allocator's contract, its checker, trace replays and
 * utilization.
 *
 * Every call goes through the course's wrappers (exercises/06-fragmentation/support/mm_course.h), so
 * memcheck knows mm's blocks. Tests that look at a block's header use the
 * format mm.h fixes: an 8-byte word just before the payload holding the
 * size (header included) with bit 0 set while allocated.
 */
#include "course_test.h"
#include "mm_course.h"
#include "memlib.h"
#include "mm.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* --- Helpers. -------------------------------------------------------------- */

static void setup(void)
{
    cr_assert(eq(int, course_mm_init(), 0), "mm_init failed on an empty heap");
}

static uint64_t header_of(const void *payload)
{
    return course_mm_peek((const char *)payload - 8);
}

static size_t block_size(const void *payload)
{
    return header_of(payload) & ~(uint64_t)7;
}

static void assert_consistent(const char *after)
{
    cr_assert(course_mm_check(), "mm_check found the heap inconsistent after "
              "%s (its message is on stderr): a bug in mm, or in mm_check", after);
}

/* Asserts that a new payload of @p size bytes is usable: aligned, inside
 * the heap. */
static void assert_usable(const void *p, size_t size, const char *what)
{
    const char *lo = mem_heap_lo(), *hi = mem_heap_hi();
    cr_assert(not(eq(ptr, (void *)p, NULL)), "%s returned NULL with the heap "
              "far from full", what);
    cr_assert(eq(sz, (uintptr_t)p % MM_ALIGNMENT, 0), "%s returned %p, not a "
              "multiple of %d: round block sizes up to MM_ALIGNMENT", what, p,
              MM_ALIGNMENT);
    bool inside = (const char *)p > lo && (const char *)p + size - 1 <= hi;
    cr_assert(inside, "%s returned a payload that is not inside the heap",
              what);
}

static unsigned char fill_byte(unsigned seed, size_t i)
{
    return (unsigned char)(seed * 31u + i * 7u + 1u);
}

static void fill(unsigned char *p, size_t size, unsigned seed)
{
    for (size_t i = 0; i < size; i++)
        p[i] = fill_byte(seed, i);
}

static bool intact(const unsigned char *p, size_t size, unsigned seed)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != fill_byte(seed, i))
            return false;
    return true;
}

/* Among @p n payloads of one size, finds two whose blocks touch: *first's
 * block ends where *second's begins. */
static void adjacent_pair(void **p, size_t n, void **first, void **second)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if ((char *)p[i] + block_size(p[i]) == (char *)p[j]) {
                *first = p[i];
                *second = p[j];
                return;
            }
    cr_fatal("none of %zu blocks allocated one after the other on a "
                   "fresh heap sits right after another: is the header's "
                   "size the whole block, header included?", n);
}

/* --- The contract. --------------------------------------------------------- */

/* Every mm test sets up a heap under Valgrind's eye: about 0.6 s of CPU
 * even for the smallest (course_protocol.h: allowances are 20 times that). */
TestSuite(mm, .timeout = 8);

GRADED_TEST(mm, init_gives_consistent_heap, 1, .init = setup,
            .description = "after mm_init the heap is consistent and one "
                           "block can be allocated")
{
    assert_consistent("mm_init");
    assert_usable(course_mm_malloc(1), 1, "mm_malloc(1)");
    assert_consistent("mm_malloc(1)");
}

GRADED_TEST(mm, malloc_blocks_are_aligned_and_disjoint, 3, .init = setup,
            .description = "blocks of many sizes are aligned, inside the "
                           "heap, and keep their data")
{
    enum { N = 60 };
    unsigned char *p[N];
    size_t sizes[N];
    for (unsigned i = 0; i < N; i++) {
        sizes[i] = i < 40 ? i + 1 : (size_t)(i - 39) * 97;
        p[i] = course_mm_malloc(sizes[i]);
        assert_usable(p[i], sizes[i], "mm_malloc");
        fill(p[i], sizes[i], i);
        assert_consistent("mm_malloc");
    }
    for (unsigned i = 0; i < N; i++)
        cr_assert(intact(p[i], sizes[i], i), "the data of block %u (%zu "
                  "bytes) was overwritten: blocks overlap, or a block is "
                  "smaller than asked (check the size rounding)", i, sizes[i]);
    for (unsigned i = 0; i < N; i++)
        course_mm_free(p[i]);
    assert_consistent("freeing everything");
}

GRADED_TEST(mm, malloc_zero_returns_null, 1, .init = setup,
            .description = "mm_malloc(0) returns NULL")
{
    assert_usable(course_mm_malloc(1), 1, "mm_malloc(1)");
    cr_assert(eq(ptr, course_mm_malloc(0), NULL), "mm_malloc(0) must return "
              "NULL");
    assert_consistent("mm_malloc(0)");
}

GRADED_TEST(mm, malloc_huge_returns_null, 2, .init = setup,
            .description = "requests near SIZE_MAX return NULL instead of "
                           "wrapping into small blocks")
{
    static const size_t huge[] = { SIZE_MAX, SIZE_MAX - 7, SIZE_MAX - 8,
                                   SIZE_MAX - 15, SIZE_MAX - 23,
                                   MEM_MAX_HEAP + 1 };
    void *big = course_mm_malloc((size_t)1 << 20);
    assert_usable(big, (size_t)1 << 20, "mm_malloc(1 MiB)");
    for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
        cr_assert(eq(ptr, course_mm_malloc(huge[i]), NULL), "mm_malloc(%zu) "
                  "cannot succeed: adding the header and rounding up wrapped "
                  "around? Check the size before the arithmetic", huge[i]);
        assert_consistent("a refused huge mm_malloc");
    }
    assert_usable(course_mm_malloc(100), 100, "mm_malloc(100) after refusals");
}

GRADED_TEST(mm, malloc_fails_cleanly_when_sbrk_refuses, 2, .init = setup,
            .description = "when mem_sbrk refuses, mm_malloc returns NULL, "
                           "the heap stays consistent and usable")
{
    unsigned char *a = course_mm_malloc(200);
    assert_usable(a, 200, "mm_malloc(200)");
    fill(a, 200, 1);
    mem_set_limit(mem_heapsize() + (64 << 10));
    cr_assert(eq(ptr, course_mm_malloc(1 << 20), NULL), "1 MiB cannot fit in "
              "a heap capped 64 KiB above its size: mm_malloc must return "
              "NULL when mem_sbrk returns (void *)-1");
    assert_consistent("a failed mm_malloc");
    unsigned char *b = course_mm_malloc(100);
    assert_usable(b, 100, "mm_malloc(100) after a failure");
    cr_assert(intact(a, 200, 1), "a failed mm_malloc damaged a live block");
}

GRADED_TEST(mm, free_null_does_nothing, 1, .init = setup,
            .description = "mm_free(NULL) does nothing")
{
    assert_usable(course_mm_malloc(10), 10, "mm_malloc(10)");
    course_mm_free(NULL);
    assert_consistent("mm_free(NULL)");
}

GRADED_TEST(mm, freed_space_is_reused, 2, .init = setup,
            .description = "a freed block's space serves a later request of "
                           "the same size without growing the heap")
{
    void *p[8];
    for (int i = 0; i < 8; i++)
        p[i] = course_mm_malloc(3000);
    course_mm_free(p[3]);
    assert_consistent("mm_free");
    size_t before = mem_heapsize();
    assert_usable(course_mm_malloc(3000), 3000, "mm_malloc after a free");
    cr_assert(eq(sz, mem_heapsize(), before), "the heap grew although a "
              "free block of the right size was there: does mm_free put the "
              "block back where mm_malloc searches?");
}

GRADED_TEST(mm, free_coalesces_with_next_block, 3, .init = setup,
            .description = "freeing a block whose next block is free merges "
                           "the two")
{
    void *p[4], *first = NULL, *second = NULL;
    for (int i = 0; i < 4; i++)
        p[i] = course_mm_malloc(1000);
    adjacent_pair(p, 4, &first, &second);
    size_t total = block_size(first) + block_size(second);
    course_mm_free(second);
    course_mm_free(first);
    cr_assert(eq(sz, header_of(first) & 1, 0), "the freed block's header "
              "must have bit 0 clear");
    cr_assert(le(sz, total, block_size(first)), "the block just freed is "
              "followed by a free block: its header should now give the "
              "size of both (%zu or more), not %zu. Coalesce with the next "
              "block", total, block_size(first));
    assert_consistent("freeing two neighbours, the later one first");
}

GRADED_TEST(mm, free_coalesces_with_previous_block, 3, .init = setup,
            .description = "freeing a block whose previous block is free "
                           "merges the two")
{
    void *p[4], *first = NULL, *second = NULL;
    for (int i = 0; i < 4; i++)
        p[i] = course_mm_malloc(1000);
    adjacent_pair(p, 4, &first, &second);
    size_t total = block_size(first) + block_size(second);
    course_mm_free(first);
    course_mm_free(second);
    cr_assert(le(sz, total, block_size(first)), "the block before the one "
              "just freed is free: the merged block starts there and its "
              "header should give the size of both (%zu or more), not %zu. "
              "Find the previous block through its footer", total,
              block_size(first));
    assert_consistent("freeing two neighbours, the earlier one first");
}

GRADED_TEST(mm, free_coalesces_both_sides, 2, .init = setup,
            .description = "freeing a block between two free blocks merges "
                           "all three")
{
    enum { N = 6 };
    void *p[N], *a = NULL, *b = NULL, *c = NULL;
    for (int i = 0; i < N; i++)
        p[i] = course_mm_malloc(512);
    /* Find three neighbours a, b, c among them. */
    for (int i = 0; i < N && !c; i++)
        for (int j = 0; j < N && !c; j++)
            for (int k = 0; k < N && !c; k++)
                if ((char *)p[i] + block_size(p[i]) == (char *)p[j]
                    && (char *)p[j] + block_size(p[j]) == (char *)p[k])
                    a = p[i], b = p[j], c = p[k];
    cr_assert(not(eq(ptr, c, NULL)), "of %d blocks allocated one after the "
              "other on a fresh heap, no three sit side by side: is the "
              "header's size the whole block, header included?", N);
    size_t total = block_size(a) + block_size(b) + block_size(c);
    course_mm_free(a);
    course_mm_free(c);
    course_mm_free(b);
    cr_assert(le(sz, total, block_size(a)), "freeing the middle of three "
              "neighbours, both free: one block of %zu bytes or more should "
              "start at the first, not %zu", total, block_size(a));
    assert_consistent("freeing three neighbours, the middle one last");
}

GRADED_TEST(mm, realloc_grows_keeping_data, 3, .init = setup,
            .description = "mm_realloc to a larger size keeps every old byte")
{
    unsigned char *guard = course_mm_malloc(64);
    unsigned char *p = course_mm_malloc(100);
    fill(p, 100, 7);
    fill(guard, 64, 8);
    size_t sizes[] = { 101, 300, 1000, 5000, 20000 };
    size_t old = 100;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        p = course_mm_realloc(p, sizes[i]);
        assert_usable(p, sizes[i], "mm_realloc");
        cr_assert(intact(p, old, 7), "mm_realloc from %zu to %zu bytes lost "
                  "data: copy the old payload (all of it, and only it)",
                  old, sizes[i]);
        fill(p, sizes[i], 7);
        old = sizes[i];
        assert_consistent("a growing mm_realloc");
        course_mm_malloc(16); /* a neighbour: growth cannot always be in place */
    }
    cr_assert(intact(guard, 64, 8), "mm_realloc damaged another block");
}

GRADED_TEST(mm, realloc_shrinks_keeping_prefix, 2, .init = setup,
            .description = "mm_realloc to a smaller size keeps the first "
                           "bytes")
{
    unsigned char *p = course_mm_malloc(4000);
    fill(p, 4000, 3);
    unsigned char *q = course_mm_malloc(50);
    fill(q, 50, 4);
    p = course_mm_realloc(p, 1000);
    assert_usable(p, 1000, "mm_realloc(p, 1000)");
    cr_assert(intact(p, 1000, 3), "shrinking lost the first 1000 bytes");
    assert_consistent("a shrinking mm_realloc");
    p = course_mm_realloc(p, 10);
    assert_usable(p, 10, "mm_realloc(p, 10)");
    cr_assert(intact(p, 10, 3), "shrinking lost the first 10 bytes");
    cr_assert(intact(q, 50, 4), "shrinking damaged the next block");
    assert_consistent("a shrinking mm_realloc");
}

GRADED_TEST(mm, realloc_null_and_zero, 1, .init = setup,
            .description = "mm_realloc(NULL, n) allocates; mm_realloc(p, 0) "
                           "frees and returns NULL")
{
    unsigned char *p = course_mm_realloc(NULL, 40);
    assert_usable(p, 40, "mm_realloc(NULL, 40)");
    fill(p, 40, 5);
    cr_assert(eq(ptr, course_mm_realloc(p, 0), NULL), "mm_realloc(p, 0) "
              "frees p and returns NULL");
    assert_consistent("mm_realloc(p, 0)");
}

GRADED_TEST(mm, realloc_failure_keeps_block, 2, .init = setup,
            .description = "a failed mm_realloc returns NULL and leaves the "
                           "block allocated and unchanged")
{
    unsigned char *p = course_mm_malloc(300);
    fill(p, 300, 9);
    /* A block that needs the heap to grow lands after p: growing p in
     * place is impossible, so mm_realloc must try to move it. */
    course_mm_malloc(8000);
    mem_set_limit(mem_heapsize() + (64 << 10));
    cr_assert(eq(ptr, course_mm_realloc(p, 1 << 20), NULL), "1 MiB cannot "
              "fit: mm_realloc must return NULL");
    cr_assert(eq(ptr, course_mm_realloc(p, SIZE_MAX - 7), NULL),
              "SIZE_MAX - 7 cannot fit: check the size before rounding it");
    cr_assert(intact(p, 300, 9), "a failed mm_realloc must leave the old "
              "block as it was");
    cr_assert(eq(sz, header_of(p) & 1, 1), "a failed mm_realloc must not "
              "free the old block");
    assert_consistent("a failed mm_realloc");
    course_mm_free(p);
}

/* --- The checker. ---------------------------------------------------------- */

GRADED_TEST(mm, check_rejects_misaligned_size, 2, .init = setup,
            .description = "mm_check notices a header whose size is not a "
                           "multiple of MM_ALIGNMENT")
{
    void *a = course_mm_malloc(100);
    void *b = course_mm_malloc(100);
    course_mm_malloc(100);
    assert_consistent("three mm_malloc calls");
    uint64_t saved = header_of(b);
    course_mm_poke((char *)b - 8, saved + 8);
    cr_assert(not(course_mm_check()), "b's header says %llu bytes, not a "
              "multiple of 16: mm_check must return false",
              (unsigned long long)(saved + 8));
    course_mm_poke((char *)b - 8, saved);
    assert_consistent("restoring the header");
    (void)a;
}

GRADED_TEST(mm, check_rejects_footer_mismatch, 2, .init = setup,
            .description = "mm_check notices a free block whose footer "
                           "differs from its header")
{
    void *p[3];
    for (int i = 0; i < 3; i++)
        p[i] = course_mm_malloc(200);
    course_mm_free(p[1]);
    assert_consistent("mm_free");
    char *footer = (char *)p[1] - 8 + block_size(p[1]) - 8;
    uint64_t saved = course_mm_peek(footer);
    course_mm_poke(footer, saved + 16);
    cr_assert(not(course_mm_check()), "the freed block's footer no longer "
              "equals its header: mm_check must compare them");
    course_mm_poke(footer, saved);
    assert_consistent("restoring the footer");
}

GRADED_TEST(mm, check_rejects_block_past_the_end, 2, .init = setup,
            .description = "mm_check notices a block whose size runs past "
                           "the end of the heap")
{
    void *a = course_mm_malloc(64);
    course_mm_malloc(64);
    assert_consistent("two mm_malloc calls");
    uint64_t saved = header_of(a);
    course_mm_poke((char *)a - 8, (saved & 7) | ((uint64_t)1 << 30));
    cr_assert(not(course_mm_check()), "a's header claims 1 GiB in a heap of "
              "%zu bytes: mm_check must check every block lies in the heap "
              "(and must not crash doing it)", mem_heapsize());
    course_mm_poke((char *)a - 8, saved);
    assert_consistent("restoring the header");
}

/* Five blocks in a row, v x y z w, with x and z of ROW_X bytes and y of
 * ROW_Y, among blocks allocated in turn on a fresh heap: the corruption
 * tests below free x (and z) and rewrite tags around them. The sizes keep
 * x and x + y within one power of two, so that an allocator with size
 * classes sees the corruption only as what each test is about. */
struct row {
    char *block[5]; /* Each block's header: v, x, y, z, w. */
    unsigned char *x; /* x's payload, filled with fill(.., 11). */
};

enum { ROW_X = 600, ROW_Y = 300 };

static void find_row(struct row *row)
{
    enum { N = 24 };
    void *p[N];
    char *end[N]; /* where each block ends: peeking is slow under memcheck */
    for (int i = 0; i < N; i++) {
        size_t size = i % 2 ? ROW_Y : ROW_X;
        p[i] = course_mm_malloc(size);
        assert_usable(p[i], size, "mm_malloc");
    }
    for (int i = 0; i < N; i++)
        end[i] = (char *)p[i] + block_size(p[i]);
    for (int x = 0; x < N; x += 2)
        for (int y = 1; y < N; y += 2)
            for (int z = 0; z < N; z += 2) {
                if (end[x] != p[y] || end[y] != p[z])
                    continue;
                for (int v = 0; v < N; v++)
                    for (int w = 0; w < N; w++)
                        if (end[v] == p[x] && end[z] == p[w]) {
                            void *run[5] = { p[v], p[x], p[y], p[z], p[w] };
                            for (int i = 0; i < 5; i++)
                                row->block[i] = (char *)run[i] - 8;
                            row->x = p[x];
                            fill(row->x, ROW_X, 11);
                            return;
                        }
            }
    cr_fatal("of %d blocks of %d and %d bytes allocated in turn on a fresh "
             "heap, no three (%d, %d, %d bytes) sit side by side between two "
             "others: is the header's size the whole block?", N, ROW_X,
             ROW_Y, ROW_X, ROW_Y, ROW_X);
}

/* Frees @p payload and asserts it became one free block of its own. */
static void free_alone(char *block)
{
    size_t size = course_mm_peek(block) & ~(uint64_t)7;
    course_mm_free(block + 8);
    cr_assert(eq(sz, course_mm_peek(block) & 1, 0), "a freed block's header "
              "must have bit 0 clear");
    cr_assert(eq(sz, course_mm_peek(block) & ~(uint64_t)7, size), "a freed "
              "block between two allocated ones must keep its size");
}

/* Up to 8 words the corruption tests write, to put back afterwards. */
struct saved {
    char *at[8];
    uint64_t value[8];
    int n;
};

static void poke_saving(struct saved *s, char *at, uint64_t value)
{
    s->at[s->n] = at;
    s->value[s->n++] = course_mm_peek(at);
    course_mm_poke(at, value);
}

static void restore(struct saved *s)
{
    while (s->n > 0) {
        s->n--;
        course_mm_poke(s->at[s->n], s->value[s->n]);
    }
}

GRADED_TEST(mm, check_rejects_adjacent_free_blocks, 2, .init = setup,
            .description = "mm_check notices two free blocks side by side")
{
    struct row row;
    find_row(&row);
    char *x = row.block[1], *y = row.block[2], *z = row.block[3];
    free_alone(x);
    free_alone(z);
    assert_consistent("freeing two blocks with an allocated one between");

    /* x swallows y: x and z, both free and on their lists, now touch. The
     * flags of z say "the block before is free", as y's do now. */
    struct saved saved = { .n = 0 };
    uint64_t hx = course_mm_peek(x), hz = course_mm_peek(z);
    size_t sx = hx & ~(uint64_t)7, sy = block_size(y + 8), sz = hz & ~(uint64_t)7;
    uint64_t prev_free_bits = course_mm_peek(y) & 6;
    poke_saving(&saved, x, hx + sy);
    poke_saving(&saved, x + sx + sy - 8, hx + sy);
    poke_saving(&saved, z, (hz & ~(uint64_t)6) | prev_free_bits);
    poke_saving(&saved, z + sz - 8, (hz & ~(uint64_t)6) | prev_free_bits);
    cr_assert(not(course_mm_check()), "two free blocks sit side by side (a "
              "block of %zu bytes, then one of %zu): coalescing is immediate, "
              "so mm_check must return false. Does it compare each block "
              "with the one before?", sx + sy, sz);
    restore(&saved);
    assert_consistent("restoring the tags");
}

GRADED_TEST(mm, check_rejects_free_block_missing_from_its_list, 2,
            .init = setup,
            .description = "mm_check notices free blocks that are on no "
                           "free list (when mm keeps lists)")
{
    struct row row;
    find_row(&row);
    char *x = row.block[1], *y = row.block[2];
    free_alone(x);
    assert_consistent("freeing a block between two allocated ones");

    /* mm.h: mm keeps free lists if mm_free wrote into the payload. */
    size_t size = block_size(row.x);
    bool wrote = false;
    for (size_t off = 0; off + 16 < size && off + 8 <= ROW_X; off += 8) {
        uint64_t was;
        unsigned char bytes[8];
        for (int i = 0; i < 8; i++)
            bytes[i] = fill_byte(11, off + (size_t)i);
        memcpy(&was, bytes, 8);
        wrote |= course_mm_peek(row.x + off) != was;
    }
    if (!wrote)
        return; /* no lists: nothing to check (an implicit list) */

    /* x becomes four blocks: allocated, free, allocated, free. The two
     * free ones are on no list, and an allocated one is where x was. */
    struct saved saved = { .n = 0 };
    uint64_t bits = course_mm_peek(x) & 6;
    uint64_t prev_free_bits = course_mm_peek(y) & 6;
    size_t second = 256, last = size - 32 - second - 32;
    poke_saving(&saved, x, 32 | 1 | bits);
    poke_saving(&saved, x + 32, second | bits);
    poke_saving(&saved, x + 32 + second - 8, second | bits);
    poke_saving(&saved, x + 32 + second, 32 | 1 | prev_free_bits);
    poke_saving(&saved, x + 64 + second, last | bits);
    poke_saving(&saved, x + size - 8, last | bits);
    cr_assert(not(course_mm_check()), "two free blocks are on no free list, "
              "and an allocated block is on one: mm_check must return false. "
              "Does it count the free blocks it walks and the blocks on its "
              "lists, and check each listed block is free?");
    restore(&saved);
    assert_consistent("restoring the tags");
}

/* --- Trace replays. -------------------------------------------------------- */

enum { IDS = 128 };

struct replay {
    unsigned char *p[IDS];
    size_t size[IDS];
    unsigned seed[IDS];
    size_t live;      /* bytes requested and not freed */
    size_t peak;      /* highest live */
    uint32_t rng;     /* xorshift state */
};

static uint32_t next_random(struct replay *r)
{
    r->rng ^= r->rng << 13;
    r->rng ^= r->rng >> 17;
    r->rng ^= r->rng << 5;
    return r->rng;
}

static size_t random_size(struct replay *r)
{
    uint32_t kind = next_random(r) % 16;
    if (kind < 10)
        return 1 + next_random(r) % 128;
    if (kind < 15)
        return 1 + next_random(r) % 1024;
    return 1 + next_random(r) % 4096;
}

/* One operation on a random id: allocate if free, else free or (when
 * @p reallocs) sometimes resize. */
static void replay_step(struct replay *r, bool checked, bool reallocs, int step)
{
    unsigned id = next_random(r) % IDS;
    unsigned seed = next_random(r);
    if (checked && r->p[id] && !intact(r->p[id], r->size[id], r->seed[id]))
        cr_fatal("step %d: block %u (%zu bytes) was overwritten before "
                       "it was freed: blocks overlap, or mm writes into a "
                       "live payload", step, id, r->size[id]);
    if (!r->p[id]) {
        size_t size = random_size(r);
        r->p[id] = course_mm_malloc(size);
        assert_usable(r->p[id], size, "mm_malloc");
        r->size[id] = size;
    } else if (!reallocs || next_random(r) % 3 != 0) {
        course_mm_free(r->p[id]);
        r->live -= r->size[id];
        r->p[id] = NULL;
        r->size[id] = 0;
    } else {
        size_t size = random_size(r);
        size_t kept = size < r->size[id] ? size : r->size[id];
        r->p[id] = course_mm_realloc(r->p[id], size);
        assert_usable(r->p[id], size, "mm_realloc");
        if (checked && !intact(r->p[id], kept, r->seed[id]))
            cr_fatal("step %d: mm_realloc of block %u to %zu bytes lost "
                     "data", step, id, size);
        r->live -= r->size[id];
        r->size[id] = size;
    }
    if (r->p[id]) {
        if (checked)
            fill(r->p[id], r->size[id], seed);
        r->seed[id] = seed;
        r->live += r->size[id];
        if (r->live > r->peak)
            r->peak = r->live;
    }
    if (checked && !course_mm_check())
        cr_fatal("step %d: mm_check found the heap inconsistent (its "
                       "message is on stderr)", step);
}

static void replay_finish(struct replay *r, bool checked)
{
    for (unsigned id = 0; id < IDS; id++) {
        if (!r->p[id])
            continue;
        if (checked && !intact(r->p[id], r->size[id], r->seed[id]))
            cr_fatal("at the end, block %u (%zu bytes) was overwritten", id,
                     r->size[id]);
        course_mm_free(r->p[id]);
    }
    assert_consistent("freeing every block at the end of the trace");
}

GRADED_TEST(mm, trace_replay_checked, 6, .init = setup, .timeout = 15,
            .description = "a 1000-operation random trace keeps every "
                           "block's data, with mm_check true after each "
                           "operation")
{
    struct replay r = { .rng = 2463534242u };
    for (int step = 0; step < 1000; step++)
        replay_step(&r, true, true, step);
    replay_finish(&r, true);
}

/* --- Utilization. ---------------------------------------------------------- */

/* Five short traces, one of each kind the classic malloc-lab set holds,
 * each on a fresh heap; the grade is their mean utilization (peak live
 * bytes / heap size), as the lab averages over its traces. The thresholds
 * are what the lesson's first designs reach, so that no placement rule is
 * required: measured here, the textbook explicit free list (LIFO, first
 * fit, header and footer in every block, realloc as malloc-copy-free)
 * makes 61.3%, the implicit list with first fit 68.2%, the reference
 * 82.0% (82.5% without its small-low/large-high rule). */

/* Like the lab's traces of real programs (cccp, cp-decl, expr): phases
 * of mostly small blocks, most of which die at the end of their phase. */
static double program_trace(void)
{
    enum { PHASES = 6, PER_PHASE = 150 };
    struct replay r = { .rng = 362436069u };
    void *phase[PER_PHASE];
    size_t phase_size[PER_PHASE];
    for (int ph = 0; ph < PHASES; ph++) {
        for (int i = 0; i < PER_PHASE; i++) {
            uint32_t kind = next_random(&r) % 20;
            size_t size = kind < 14 ? 8 + next_random(&r) % 57
                        : kind < 19 ? 64 + next_random(&r) % 449
                        : 512 + next_random(&r) % 3585;
            phase[i] = course_mm_malloc(size);
            assert_usable(phase[i], size, "mm_malloc");
            phase_size[i] = size;
            r.live += size;
            r.peak = r.live > r.peak ? r.live : r.peak;
        }
        /* Four in five die, newest first; the rest live to the end. */
        for (int i = PER_PHASE; i-- > 0;) {
            if (i % 5 == 0)
                continue;
            course_mm_free(phase[i]);
            r.live -= phase_size[i];
        }
    }
    return (double)r.peak / (double)mem_heapsize();
}

/* Like random-bal: random sizes up to 4 KiB, freed in random order. */
static double random_trace(void)
{
    struct replay r = { .rng = 88172645u };
    for (int step = 0; step < 800; step++)
        replay_step(&r, false, false, step);
    replay_finish(&r, false);
    return (double)r.peak / (double)mem_heapsize();
}

/* Like coalescing-bal: two blocks freed, then one the size of both. */
static double coalescing_trace(void)
{
    for (int i = 0; i < 40; i++) {
        void *a = course_mm_malloc(4000), *b = course_mm_malloc(4000);
        assert_usable(a, 4000, "mm_malloc");
        assert_usable(b, 4000, "mm_malloc");
        course_mm_free(a);
        course_mm_free(b);
        void *both = course_mm_malloc(8000);
        assert_usable(both, 8000, "mm_malloc");
        course_mm_free(both);
    }
    return 8000.0 / (double)mem_heapsize();
}

/* Like binary-bal: small and large blocks alternate, every large one is
 * freed, then larger ones are allocated. */
static double binary_trace(void)
{
    void *a[150], *b[150];
    for (int i = 0; i < 150; i++) {
        a[i] = course_mm_malloc(40);
        b[i] = course_mm_malloc(200);
        assert_usable(a[i], 40, "mm_malloc");
        assert_usable(b[i], 200, "mm_malloc");
    }
    for (int i = 0; i < 150; i++)
        course_mm_free(b[i]);
    for (int i = 0; i < 150; i++) {
        b[i] = course_mm_malloc(240);
        assert_usable(b[i], 240, "mm_malloc");
    }
    assert_consistent("the binary trace");
    return 150.0 * (40 + 240) / (double)mem_heapsize();
}

/* Like realloc-bal: a buffer grown by realloc, 128 bytes at a time, while
 * a small block is allocated after it and the one before freed (growing
 * in place pays here). */
static double realloc_trace(void)
{
    enum { STEPS = 150, SMALL = 128 };
    unsigned char *buffer = NULL;
    void *small = NULL;
    for (int i = 0; i < STEPS; i++) {
        size_t size = 512 + (size_t)i * 128;
        buffer = course_mm_realloc(buffer, size);
        assert_usable(buffer, size, "mm_realloc");
        void *next = course_mm_malloc(SMALL);
        assert_usable(next, SMALL, "mm_malloc");
        course_mm_free(small);
        small = next;
    }
    course_mm_free(buffer);
    course_mm_free(small);
    assert_consistent("the realloc trace");
    return (512.0 + (STEPS - 1) * 128.0 + 2 * SMALL) / (double)mem_heapsize();
}

static double measure_utilization(char *detail, size_t cap)
{
    static const struct {
        const char *name;
        double (*run)(void);
    } traces[] = {
        { "program", program_trace },   { "random", random_trace },
        { "coalescing", coalescing_trace }, { "binary", binary_trace },
        { "realloc", realloc_trace },
    };
    enum { N = sizeof(traces) / sizeof(traces[0]) };
    double sum = 0;
    size_t used = 0;
    for (size_t i = 0; i < N; i++) {
        if (i > 0)
            setup();
        double u = traces[i].run();
        sum += u;
        int n = snprintf(detail + used, cap - used, "%s%s %.1f%%", i ? ", " : "",
                         traces[i].name, 100 * u);
        used += n > 0 && (size_t)n < cap - used ? (size_t)n : 0;
    }
    return sum / N;
}

#define UTILIZATION_TEST(name, percent, points_)                              \
    GRADED_TEST(mm, name, points_, .init = setup, .timeout = 10,              \
                .description = "mean utilization (peak live bytes / heap "    \
                               "size) of five traces like the classic ones "  \
                               "is at least " #percent "%")                   \
    {                                                                         \
        char detail[160];                                                     \
        course_mm_annotate(false); /* measuring only: faster under memcheck */\
        double u = measure_utilization(detail, sizeof(detail));               \
        cr_assert(le(dbl, (double)(percent) / 100, u), "mean utilization is " \
                  "%.1f%% (%s), below " #percent "%%: see the lesson's "      \
                  "sections on placement, splitting and coalescing",          \
                  100 * u, detail);                                           \
    }

UTILIZATION_TEST(utilization_at_least_40, 40, 2)
UTILIZATION_TEST(utilization_at_least_48, 48, 2)
UTILIZATION_TEST(utilization_at_least_55, 55, 2)
