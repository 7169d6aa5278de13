/*
 * Tests of bump_arena.h: alignment, exhaustion, marks and resets.
 *
 * The buffer is deliberately misaligned (it starts 1 byte into an aligned
 * array), so that an arena which aligns offsets instead of addresses
 * fails.
 */
#include "course_test.h"
#include "bump_arena.h"

#include <errno.h>
#include <stdalign.h>
#include <stdint.h>

static alignas(64) unsigned char storage[1 + 256];
static unsigned char *const buffer = storage + 1; /* 1 mod 64 */
static struct bump_arena arena;

static void setup(void)
{
    bump_init(&arena, buffer, 256);
}

static bool inside(const void *p, size_t size)
{
    const unsigned char *b = p;
    return b >= buffer && b <= buffer + 256 && size <= (size_t)(buffer + 256 - b);
}

GRADED_TEST(bump_arena, alloc_aligns_addresses, 2, .init = setup,
            .description = "blocks are aligned as asked, by address, even in "
                           "a misaligned buffer")
{
    static const size_t aligns[] = { 1, 8, 2, 16, 4, 64, 1, 32 };
    for (size_t i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
        unsigned char *p = bump_alloc(&arena, 3, aligns[i]);
        cr_assert(not(eq(ptr, p, NULL)), "bump_alloc(3, %zu) failed with "
                  "plenty of room", aligns[i]);
        cr_assert(eq(sz, (uintptr_t)p % aligns[i], 0), "block %zu is not "
                  "aligned to %zu: align the address base + used, not the "
                  "offset (the buffer is at 1 mod 64)", i, aligns[i]);
        cr_assert(inside(p, 3), "block %zu is outside the buffer", i);
    }
}

GRADED_TEST(bump_arena, blocks_are_packed_in_order, 2, .init = setup,
            .description = "each block starts at the first aligned address "
                           "after the previous one")
{
    unsigned char *a = bump_alloc(&arena, 5, 1);
    unsigned char *b = bump_alloc(&arena, 7, 1);
    unsigned char *c = bump_alloc(&arena, 1, 8);
    cr_assert(eq(ptr, a, buffer), "the first byte-aligned block starts the "
              "buffer");
    cr_assert(eq(ptr, b, a + 5), "b must follow a directly: no padding for "
              "alignment 1");
    uintptr_t want = ((uintptr_t)(b + 7) + 7) & ~(uintptr_t)7;
    cr_assert(eq(ptr, c, (void *)want), "c should be at the first multiple "
              "of 8 after b's end");
    cr_assert(eq(sz, bump_remaining(&arena), (size_t)(buffer + 256 - (c + 1))),
              "bump_remaining should count everything up to c's end as used");
}

GRADED_TEST(bump_arena, fills_exactly_then_refuses, 2, .init = setup,
            .description = "the last byte can be allocated; one more byte is "
                           "refused with NULL and changes nothing")
{
    cr_assert(not(eq(ptr, bump_alloc(&arena, 250, 1), NULL)), "250 of 256");
    cr_assert(eq(ptr, bump_alloc(&arena, 7, 1), NULL), "7 bytes with 6 left");
    cr_assert(eq(sz, bump_remaining(&arena), 6), "a refused alloc must not "
              "use bytes");
    cr_assert(eq(ptr, bump_alloc(&arena, 6, 1), buffer + 250), "exactly the "
              "6 bytes left must fit");
    cr_assert(eq(sz, bump_remaining(&arena), 0), "the arena is full");
    cr_assert(eq(ptr, bump_alloc(&arena, 1, 1), NULL), "a full arena");
}

GRADED_TEST(bump_arena, padding_counts_towards_the_fit, 1, .init = setup,
            .description = "a block that fits only without its padding is "
                           "refused")
{
    bump_alloc(&arena, 1, 1); /* used 1: buffer + 1 is 2 mod 64 */
    size_t pad = (size_t)(-(uintptr_t)(buffer + 1) & 15);
    cr_assert(eq(ptr, bump_alloc(&arena, 255 - pad + 1, 16), NULL),
              "padding plus size exceed what is left by 1");
    cr_assert(not(eq(ptr, bump_alloc(&arena, 255 - pad, 16), NULL)),
              "padding plus size are exactly what is left");
}

GRADED_TEST(bump_arena, huge_sizes_do_not_wrap, 2, .init = setup,
            .description = "sizes near SIZE_MAX are refused, not wrapped "
                           "into small ones")
{
    bump_alloc(&arena, 1, 1);
    cr_assert(eq(ptr, bump_alloc(&arena, SIZE_MAX, 1), NULL), "SIZE_MAX "
              "bytes: compare with cap - used instead of adding to used");
    cr_assert(eq(ptr, bump_alloc(&arena, SIZE_MAX - 8, 16), NULL),
              "SIZE_MAX - 8 plus padding wraps: compare before adding");
    cr_assert(eq(sz, bump_remaining(&arena), 255), "refusals use nothing");
}

GRADED_TEST(bump_arena, rejects_bad_alignment, 1, .init = setup,
            .description = "an alignment that is not a power of two is "
                           "refused")
{
    cr_assert(not(eq(ptr, bump_alloc(&arena, 1, 4), NULL)), "align 4 works");
    cr_assert(eq(ptr, bump_alloc(&arena, 1, 0), NULL), "align 0");
    cr_assert(eq(ptr, bump_alloc(&arena, 1, 12), NULL), "align 12 is not a "
              "power of two (lesson 02, layouts)");
    cr_assert(eq(ptr, bump_alloc(&arena, 1, SIZE_MAX), NULL), "SIZE_MAX");
}

GRADED_TEST(bump_arena, zero_size_is_a_valid_address, 1, .init = setup,
            .description = "a zero-size block is an aligned address in the "
                           "buffer that uses nothing but its padding")
{
    bump_alloc(&arena, 3, 1);
    unsigned char *p = bump_alloc(&arena, 0, 8);
    cr_assert(not(eq(ptr, p, NULL)), "size 0 is allowed");
    cr_assert(eq(sz, (uintptr_t)p % 8, 0), "aligned to 8");
    cr_assert(eq(sz, bump_remaining(&arena), (size_t)(buffer + 256 - p)),
              "only the padding is used");
}

GRADED_TEST(bump_arena, release_frees_everything_after_mark, 2, .init = setup,
            .description = "bump_release frees the blocks after a mark, and "
                           "the next block reuses their bytes")
{
    bump_alloc(&arena, 10, 1);
    size_t mark = bump_mark(&arena);
    unsigned char *first = bump_alloc(&arena, 20, 1);
    bump_alloc(&arena, 30, 8);
    cr_assert(eq(int, bump_release(&arena, mark), 0), "release failed");
    cr_assert(eq(sz, bump_remaining(&arena), 246), "back to 10 bytes used");
    cr_assert(eq(ptr, bump_alloc(&arena, 20, 1), first), "the first block "
              "after the mark must reuse the released bytes");
}

GRADED_TEST(bump_arena, release_refuses_stale_mark, 1, .init = setup,
            .description = "a mark above the top (taken before an earlier "
                           "release) is refused with -EINVAL")
{
    size_t low = bump_mark(&arena);
    bump_alloc(&arena, 40, 1);
    size_t high = bump_mark(&arena);
    cr_assert(eq(int, bump_release(&arena, high), 0), "a mark at the top is "
              "valid: releasing nothing");
    cr_assert(eq(int, bump_release(&arena, low), 0), "release to low failed");
    cr_assert(eq(int, bump_release(&arena, high), -EINVAL), "high is above "
              "the top now: releasing to it would hand out freed bytes "
              "again");
    cr_assert(eq(sz, bump_remaining(&arena), 256), "a refused release "
              "changes nothing");
}

GRADED_TEST(bump_arena, reset_empties_the_arena, 1, .init = setup,
            .description = "bump_reset frees everything: the next block "
                           "starts the buffer again")
{
    bump_alloc(&arena, 100, 1);
    bump_alloc(&arena, 100, 16);
    bump_reset(&arena);
    cr_assert(eq(sz, bump_remaining(&arena), 256), "all 256 bytes are free");
    cr_assert(eq(ptr, bump_alloc(&arena, 1, 1), buffer), "the buffer's "
              "first byte again");
}

GRADED_TEST(bump_arena, empty_buffer, 1,
            .description = "an arena over 0 bytes refuses every block but "
                           "works")
{
    bump_init(&arena, NULL, 0);
    cr_assert(eq(sz, bump_remaining(&arena), 0), "nothing to hand out");
    cr_assert(eq(ptr, bump_alloc(&arena, 1, 1), NULL), "no byte to give");
    bump_init(&arena, buffer, 256);
    cr_assert(eq(sz, bump_remaining(&arena), 256), "bump_init must start "
              "empty");
}
