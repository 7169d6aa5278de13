/*
 * Tests of pool.h: carving, O(1) reuse, and refused frees.
 *
 * The buffer starts 8 bytes past a multiple of 64, so the first block must
 * skip 8 bytes to be aligned to POOL_ALIGN (16 on x86-64).
 */
#include "course_test.h"
#include "pool.h"

#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

static alignas(64) unsigned char storage[8 + 512];
static unsigned char *const buffer = storage + 8;
static struct pool pool;

/* 24-byte blocks: stride 32; 512 - 8 skipped = 504 bytes: 15 blocks. */
static void setup(void)
{
    cr_assert(eq(int, pool_init(&pool, buffer, 512, 24), 0), "pool_init "
              "failed on a 512-byte buffer");
}

GRADED_TEST(pool, init_counts_blocks, 2,
            .description = "pool_init aligns the first block and fits "
                           "(size - skip) / stride blocks")
{
    setup();
    cr_assert(eq(sz, pool_available(&pool), 15), "512 bytes starting at 8 "
              "mod 16: skip 8, stride 32 (24 rounded up to 16), so 504 / 32 "
              "= 15 blocks");
    cr_assert(eq(int, pool_init(&pool, storage, 512, 16), 0), "aligned");
    cr_assert(eq(sz, pool_available(&pool), 32), "512 / 16 = 32 blocks of 16");
}

GRADED_TEST(pool, hands_out_distinct_aligned_blocks, 2, .init = setup,
            .description = "pool_alloc hands out every block once, aligned, "
                           "inside the buffer, then NULL")
{
    unsigned char *blocks[15];
    for (int i = 0; i < 15; i++) {
        blocks[i] = pool_alloc(&pool);
        cr_assert(not(eq(ptr, blocks[i], NULL)), "block %d of 15 missing", i);
        cr_assert(eq(sz, (uintptr_t)blocks[i] % POOL_ALIGN, 0), "block %d "
                  "is not aligned to POOL_ALIGN", i);
        cr_assert(blocks[i] >= buffer && blocks[i] + 24 <= buffer + 512,
                  "block %d is outside the buffer", i);
        memset(blocks[i], 'a' + i, 24);
    }
    for (int i = 0; i < 15; i++)
        for (int b = 0; b < 24; b++)
            cr_assert(eq(int, blocks[i][b], 'a' + i), "block %d was "
                      "overwritten: two blocks overlap", i);
    cr_assert(eq(ptr, pool_alloc(&pool), NULL), "all 15 blocks are in use");
    cr_assert(eq(sz, pool_available(&pool), 0), "none available");
}

GRADED_TEST(pool, freed_block_is_reused_first, 2, .init = setup,
            .description = "the block freed last is the next one handed out "
                           "(a LIFO free list)")
{
    void *a = pool_alloc(&pool);
    void *b = pool_alloc(&pool);
    pool_alloc(&pool);
    cr_assert(eq(int, pool_free(&pool, a), 0), "free a failed");
    cr_assert(eq(int, pool_free(&pool, b), 0), "free b failed");
    cr_assert(eq(sz, pool_available(&pool), 14), "3 taken, 2 given back");
    cr_assert(eq(ptr, pool_alloc(&pool), b), "b was freed last: pop it first");
    cr_assert(eq(ptr, pool_alloc(&pool), a), "then a");
}

GRADED_TEST(pool, refuses_double_free, 2, .init = setup,
            .description = "freeing a free block returns -EALREADY and "
                           "leaves the pool intact")
{
    void *a = pool_alloc(&pool);
    void *b = pool_alloc(&pool);
    cr_assert(eq(int, pool_free(&pool, a), 0), "free a failed");
    cr_assert(eq(int, pool_free(&pool, a), -EALREADY), "a is already free: "
              "pushing it again would hand it out twice");
    cr_assert(eq(int, pool_free(&pool, b), 0), "free b failed");
    cr_assert(eq(int, pool_free(&pool, a), -EALREADY), "a is still free, "
              "even below b on the list");
    cr_assert(eq(sz, pool_available(&pool), 15), "all 15 free, once each");
    void *seen[15];
    for (int i = 0; i < 15; i++) {
        seen[i] = pool_alloc(&pool);
        for (int j = 0; j < i; j++)
            cr_assert(not(eq(ptr, seen[i], seen[j])), "a block was handed "
                      "out twice: the double free corrupted the list");
    }
}

GRADED_TEST(pool, never_allocated_block_is_free, 1, .init = setup,
            .description = "freeing a block that was never handed out "
                           "returns -EALREADY")
{
    void *a = pool_alloc(&pool);
    unsigned char *untouched = (unsigned char *)a + 32 * 5;
    cr_assert(eq(int, pool_free(&pool, untouched), -EALREADY), "block 5 was "
              "never allocated: it is on the free list");
    cr_assert(eq(sz, pool_available(&pool), 14), "nothing changed");
}

GRADED_TEST(pool, live_data_that_looks_free_is_freed, 2, .init = setup,
            .description = "a live block whose bytes copy a free block's is "
                           "still freed normally")
{
    unsigned char *a = pool_alloc(&pool);
    unsigned char *b = pool_alloc(&pool);
    unsigned char *c = pool_alloc(&pool);
    cr_assert(eq(int, pool_free(&pool, a), 0), "free a failed");
    memcpy(b, a, 24); /* b now holds exactly what a free block holds */
    cr_assert(eq(int, pool_free(&pool, b), 0), "b is live: its contents "
              "look free, but only the free list knows (confirm before you "
              "report a double free)");
    cr_assert(eq(int, pool_free(&pool, c), 0), "free c failed");
    cr_assert(eq(sz, pool_available(&pool), 15), "all free again");
}

GRADED_TEST(pool, refuses_foreign_pointers, 2, .init = setup,
            .description = "pool_free returns -EINVAL for a pointer outside "
                           "the pool or inside a block")
{
    unsigned char *a = pool_alloc(&pool);
    unsigned char other[32];
    cr_assert(eq(int, pool_free(&pool, a + 8), -EINVAL), "a + 8 is inside a "
              "block, not its start");
    cr_assert(eq(int, pool_free(&pool, buffer), -EINVAL), "the buffer's first "
              "8 bytes are skipped for alignment: not a block");
    cr_assert(eq(int, pool_free(&pool, other), -EINVAL), "a stack array is "
              "not the pool's");
    cr_assert(eq(int, pool_free(&pool, buffer + 8 + 15 * 32), -EINVAL),
              "one stride past the last block");
    cr_assert(eq(sz, pool_available(&pool), 14), "refused frees change "
              "nothing");
    cr_assert(eq(int, pool_free(&pool, a), 0), "a itself is fine");
    cr_assert(eq(int, pool_free(&pool, NULL), 0), "NULL does nothing");
    cr_assert(eq(sz, pool_available(&pool), 15), "all free");
}

GRADED_TEST(pool, init_rejects_what_cannot_hold_a_block, 2,
            .description = "pool_init returns -EINVAL for size 0 blocks, a "
                           "buffer too small for one, and a size that wraps")
{
    cr_assert(eq(int, pool_init(&pool, storage, 16, 16), 0), "exactly one "
              "16-byte block fits in 16 aligned bytes");
    cr_assert(eq(sz, pool_available(&pool), 1), "one block");
    cr_assert(eq(int, pool_init(&pool, storage, 15, 16), -EINVAL), "15 bytes "
              "cannot hold a 16-byte block");
    cr_assert(eq(int, pool_init(&pool, buffer, 16 + 8 - 1, 1), -EINVAL),
              "8 bytes skipped, 15 left: no 16-byte stride fits");
    cr_assert(eq(int, pool_init(&pool, storage, 512, 0), -EINVAL),
              "block size 0");
    cr_assert(eq(int, pool_init(&pool, storage, 512, SIZE_MAX), -EINVAL),
              "SIZE_MAX rounded up to a multiple of POOL_ALIGN wraps to 0: "
              "check before rounding");
    cr_assert(eq(int, pool_init(&pool, storage, 512, SIZE_MAX - POOL_ALIGN + 2),
                 -EINVAL), "the first size whose rounding wraps");
    cr_assert(eq(sz, pool_available(&pool), 1), "refused inits leave the "
              "pool untouched");
}
