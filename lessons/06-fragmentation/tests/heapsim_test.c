/*
 * Tests of heapsim.h: placement, growth and coalescing on a byte map.
 *
 * Every test compares whole maps, the drawing the lesson text shows, so a
 * failure message prints what the heap should look like.
 */
#include "course_test.h"
#include "heapsim.h"

#include <errno.h>
#include <string.h>

static struct heapsim sim;

/* Asserts that the heap draws as @p want, saying after which step. */
static void assert_map(const char *want, const char *after)
{
    char map[HEAPSIM_MAX + 1];
    size_t len = heapsim_map(&sim, map, sizeof(map));
    cr_assert(eq(sz, len, strlen(want)), "after %s the heap should be %zu "
              "bytes (%s), not %zu", after, strlen(want), want, len);
    cr_assert(eq(str, map, (char *)want), "after %s the heap should draw as "
              "%s, not %s", after, want, map);
}

static void start(size_t size, size_t grow, enum heapsim_fit fit)
{
    cr_assert(eq(int, heapsim_init(&sim, size, grow, fit), 0),
              "heapsim_init(%zu, %zu) failed", size, grow);
}

static void alloc_at(char name, size_t n, long want)
{
    cr_assert(eq(long, heapsim_alloc(&sim, name, n), want), "alloc %c %zu "
              "should place the block at offset %ld", name, n, want);
}

GRADED_TEST(heapsim, init_draws_free_bytes, 1,
            .description = "a new heap of 10 bytes draws as 10 dashes")
{
    start(10, 4, HEAPSIM_FIRST_FIT);
    assert_map("----------", "heapsim_init(10)");
}

GRADED_TEST(heapsim, init_rejects_bad_arguments, 1,
            .description = "heapsim_init refuses a size above HEAPSIM_MAX "
                           "and a growth step of 0")
{
    start(HEAPSIM_MAX, 1, HEAPSIM_FIRST_FIT);
    cr_assert(eq(int, heapsim_init(&sim, HEAPSIM_MAX + 1, 1, HEAPSIM_FIRST_FIT),
                 -EINVAL), "HEAPSIM_MAX + 1 bytes is too large: -EINVAL");
    cr_assert(eq(int, heapsim_init(&sim, 10, 0, HEAPSIM_FIRST_FIT), -EINVAL),
              "a growth step of 0 could never grow the heap: -EINVAL");
}

GRADED_TEST(heapsim, first_fit_frames, 3,
            .description = "first fit draws the lesson's five frames "
                           "exactly, the grown heap included")
{
    start(10, 4, HEAPSIM_FIRST_FIT);
    alloc_at('a', 5, 0);
    assert_map("aaaaa-----", "alloc a 5");
    alloc_at('b', 1, 5);
    assert_map("aaaaab----", "alloc b 1");
    cr_assert(eq(int, heapsim_free(&sim, 'a'), 0), "free a failed");
    assert_map("-----b----", "free a");
    alloc_at('c', 2, 0);
    assert_map("cc---b----", "alloc c 2 (first fit: the first hole)");
    alloc_at('a', 5, 6);
    assert_map("cc---baaaaa---", "alloc a 5: no hole holds 5, so the heap "
               "grows by 4 (one step) and a starts in the free run at its "
               "end");
}

GRADED_TEST(heapsim, best_fit_takes_smallest_hole, 2,
            .description = "best fit takes the smallest hole that fits, the "
                           "lowest of equals")
{
    start(10, 4, HEAPSIM_BEST_FIT);
    alloc_at('a', 5, 0);
    alloc_at('b', 1, 5);
    heapsim_free(&sim, 'a');
    alloc_at('c', 2, 6);
    assert_map("-----bcc--", "alloc c 2 with best fit: the 4-byte hole is "
               "the smallest that fits");
    alloc_at('d', 2, 8);
    assert_map("-----bccdd", "alloc d 2: the 2-byte hole is exact");
    heapsim_free(&sim, 'b');
    alloc_at('e', 1, 0);
    assert_map("e-----ccdd", "alloc e 1 with one hole: its low end");
}

GRADED_TEST(heapsim, best_fit_prefers_lowest_of_equal_holes, 1,
            .description = "best fit picks the lowest of two equal holes")
{
    start(9, 1, HEAPSIM_BEST_FIT);
    alloc_at('a', 2, 0);
    alloc_at('x', 1, 2);
    alloc_at('b', 2, 3);
    alloc_at('y', 1, 5);
    alloc_at('c', 3, 6);
    heapsim_free(&sim, 'a');
    heapsim_free(&sim, 'b');
    alloc_at('d', 2, 0);
    assert_map("ddx--yccc", "two 2-byte holes: best fit takes the lower");
}

GRADED_TEST(heapsim, free_coalesces_neighbours, 2,
            .description = "freeing adjacent blocks makes one hole that a "
                           "block of their combined size fits")
{
    start(10, 4, HEAPSIM_FIRST_FIT);
    alloc_at('a', 3, 0);
    alloc_at('b', 3, 3);
    alloc_at('c', 3, 6);
    heapsim_free(&sim, 'c');
    heapsim_free(&sim, 'a');
    heapsim_free(&sim, 'b');
    alloc_at('d', 10, 0);
    assert_map("dddddddddd", "freeing a, b and c: one 10-byte hole, so a "
               "10-byte block needs no growth");
}

GRADED_TEST(heapsim, grows_by_whole_steps, 2,
            .description = "growth adds the fewest whole steps that make "
                           "the block fit, counting the free run at the end")
{
    start(4, 3, HEAPSIM_FIRST_FIT);
    alloc_at('a', 2, 0);
    alloc_at('b', 7, 2);
    assert_map("aabbbbbbb-", "alloc b 7 in a 4-byte heap with 2 free at the "
               "end: 5 more bytes needed, so 2 steps of 3");
    alloc_at('c', 1, 9);
    alloc_at('d', 1, 10);
    assert_map("aabbbbbbbcd--", "alloc d 1 in a full heap: one step of 3");
}

GRADED_TEST(heapsim, alloc_refuses_past_max, 2,
            .description = "growing past HEAPSIM_MAX fails with -ENOMEM and "
                           "leaves the heap as it was")
{
    start(HEAPSIM_MAX - 8, 8, HEAPSIM_FIRST_FIT);
    alloc_at('a', HEAPSIM_MAX - 10, 0);
    alloc_at('b', 10, HEAPSIM_MAX - 10);
    cr_assert(eq(long, heapsim_alloc(&sim, 'c', 1), -ENOMEM),
              "a heap of HEAPSIM_MAX bytes cannot grow");
    cr_assert(eq(long, heapsim_alloc(&sim, 'c', (size_t)-1), -ENOMEM),
              "SIZE_MAX bytes in a full heap: rounding SIZE_MAX up to whole "
              "steps wraps around to 0 steps; check the size first");
    heapsim_free(&sim, 'b');
    cr_assert(eq(long, heapsim_alloc(&sim, 'c', 11), -ENOMEM),
              "11 bytes would need the heap to grow past HEAPSIM_MAX");
    cr_assert(eq(long, heapsim_alloc(&sim, 'c', (size_t)-1), -ENOMEM),
              "SIZE_MAX bytes: check before you round the growth up, or "
              "the arithmetic wraps");
    char map[HEAPSIM_MAX + 1];
    cr_assert(eq(sz, heapsim_map(&sim, map, sizeof(map)), HEAPSIM_MAX),
              "a failed alloc must not change the heap's size");
    alloc_at('c', 10, HEAPSIM_MAX - 10);
}

GRADED_TEST(heapsim, alloc_takes_any_growth_step, 2,
            .description = "a growth step up to HEAPSIM_MAX grows the heap; "
                           "a larger one, up to SIZE_MAX, fails with -ENOMEM")
{
    start(0, HEAPSIM_MAX, HEAPSIM_FIRST_FIT);
    alloc_at('a', 2, 0);
    char map[HEAPSIM_MAX + 1];
    cr_assert(eq(sz, heapsim_map(&sim, map, sizeof(map)), HEAPSIM_MAX),
              "one step of HEAPSIM_MAX bytes makes the heap exactly "
              "HEAPSIM_MAX bytes: that is allowed");

    static const size_t huge[] = { HEAPSIM_MAX + 1, (size_t)-1 / 2,
                                   (size_t)-1 / 2 + 1, (size_t)-2, (size_t)-1 };
    for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
        start(0, huge[i], HEAPSIM_FIRST_FIT);
        cr_assert(eq(long, heapsim_alloc(&sim, 'a', 2), -ENOMEM),
                  "a step of %zu bytes cannot fit in HEAPSIM_MAX: -ENOMEM. "
                  "Rounding up as (missing + grow - 1) / grow wraps around "
                  "to 0 steps when grow is this large", huge[i]);
        cr_assert(eq(sz, heapsim_map(&sim, map, sizeof(map)), 0),
                  "a failed alloc must leave the heap empty");
    }
}

GRADED_TEST(heapsim, alloc_rejects_bad_names_and_sizes, 1,
            .description = "alloc refuses a name that is not a letter, a "
                           "live name, and 0 bytes")
{
    start(10, 1, HEAPSIM_FIRST_FIT);
    alloc_at('a', 2, 0);
    cr_assert(eq(long, heapsim_alloc(&sim, 'a', 1), -EEXIST),
              "a is live: a second a would make the map ambiguous");
    cr_assert(eq(long, heapsim_alloc(&sim, '-', 1), -EINVAL),
              "'-' is how free bytes are drawn: it cannot name a block");
    cr_assert(eq(long, heapsim_alloc(&sim, '3', 1), -EINVAL),
              "only letters name blocks");
    cr_assert(eq(long, heapsim_alloc(&sim, 'b', 0), -EINVAL),
              "a block of 0 bytes would not show: -EINVAL");
    assert_map("aa--------", "refused allocations");
}

GRADED_TEST(heapsim, free_unknown_name_fails, 1,
            .description = "freeing a name that is not live returns "
                           "-ENOENT and changes nothing")
{
    start(10, 1, HEAPSIM_FIRST_FIT);
    alloc_at('a', 2, 0);
    cr_assert(eq(int, heapsim_free(&sim, 'b'), -ENOENT), "no block b");
    cr_assert(eq(int, heapsim_free(&sim, 'a'), 0), "free a failed");
    cr_assert(eq(int, heapsim_free(&sim, 'a'), -ENOENT), "a is already "
              "free: a double free must be refused");
    cr_assert(eq(int, heapsim_free(&sim, '-'), -ENOENT), "'-' is never a "
              "block: it must not free the free bytes");
    assert_map("----------", "freeing a");
}

GRADED_TEST(heapsim, map_truncates_like_snprintf, 1,
            .description = "heapsim_map writes at most cap bytes, NUL "
                           "included, and returns the full length")
{
    start(10, 1, HEAPSIM_FIRST_FIT);
    alloc_at('a', 3, 0);
    char small[5];
    memset(small, 'x', sizeof(small));
    cr_assert(eq(sz, heapsim_map(&sim, small, 4), 10), "the full map is 10 "
              "characters");
    cr_assert(eq(str, small, "aaa"), "with cap 4 the map is cut to 3 "
              "characters and a NUL");
    cr_assert(eq(int, small[4], 'x'), "byte 5 is beyond cap: never write it");
    cr_assert(eq(sz, heapsim_map(&sim, NULL, 0), 10), "cap 0 writes nothing");
}
