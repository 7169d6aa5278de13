/*
 * Tests of heapmap.h: drawing heaps byte for byte and to scale.
 */
#include "course_test.h"
#include "heapmap.h"

#include <errno.h>
#include <string.h>

#define BLOCKS(...) ((const struct heapmap_block[]){ __VA_ARGS__ })
#define COUNT(...) (sizeof(BLOCKS(__VA_ARGS__)) / sizeof(struct heapmap_block))

/* Draws and compares with @p want; @p what says which heap it was. */
static void assert_draws(size_t heap_size, const struct heapmap_block *blocks,
                         size_t n, size_t width, const char *want,
                         const char *what)
{
    char map[HEAPMAP_WIDTH_MAX + 64];
    int len = heapmap_draw(map, sizeof(map), heap_size, blocks, n, width);
    cr_assert(eq(int, len, (int)strlen(want)), "%s: the drawing \"%s\" is "
              "%zu characters; heapmap_draw returned %d", what, want,
              strlen(want), len);
    cr_assert(eq(str, map, (char *)want), "%s should draw as \"%s\", not "
              "\"%s\"", what, want, map);
}

GRADED_TEST(heapmap, draws_bytes_at_scale_one, 2,
            .description = "a heap no wider than the width draws one "
                           "character a byte, as the lesson's frames")
{
    assert_draws(10, BLOCKS({ 0, 5, 'a' }), 1, 80, "aaaaa-----", "a [0,5) "
                 "in 10 bytes");
    assert_draws(14, BLOCKS({ 0, 2, 'c' }, { 5, 1, 'b' }, { 6, 5, 'a' }), 3,
                 14, "cc---baaaaa---", "the grown heap, width exactly 14");
    assert_draws(6, NULL, 0, 80, "------", "6 free bytes");
    assert_draws(0, NULL, 0, 80, "", "an empty heap");
}

GRADED_TEST(heapmap, draws_to_scale_with_note, 3,
            .description = "a large heap is drawn to scale, the smallest "
                           "whole scale that fits, with the scale noted")
{
    assert_draws(4096, BLOCKS({ 0, 256, 'a' }, { 320, 576, 'b' },
                              { 2176, 64, 'c' }, { 3840, 256, 'd' }),
                 4, 64, "aaaa-bbbbbbbbb--------------------c--------------"
                 "-----------dddd (1 char = 64 bytes)",
                 "4096 bytes at width 64");
    assert_draws(20, BLOCKS({ 0, 4, 'a' }), 1, 10, "aa-------- (1 char = 2 "
                 "bytes)", "20 bytes at width 10");
    assert_draws(21, BLOCKS({ 0, 4, 'a' }), 1, 10, "a------ (1 char = 3 "
                 "bytes)", "21 bytes at width 10: scale 3, 7 characters");
}

GRADED_TEST(heapmap, cell_shows_what_covers_most, 2,
            .description = "a scaled character shows what covers most of "
                           "its bytes, the first of equals")
{
    /* Scale 4: cell 0 = a 1, b 3 -> b; cell 1 = b 1, free 3 -> '-';
     * cell 2 = c 2, free 2 -> c (first); cell 3 = free 2, d 2 -> '-'. */
    assert_draws(16, BLOCKS({ 0, 1, 'a' }, { 1, 4, 'b' }, { 8, 2, 'c' },
                            { 14, 2, 'd' }),
                 4, 4, "b-c- (1 char = 4 bytes)", "16 bytes at width 4");
    /* The last cell is short: 10 bytes at scale 4, cell 2 is bytes 8-9. */
    assert_draws(10, BLOCKS({ 8, 2, 'z' }), 1, 3, "--z (1 char = 4 bytes)",
                 "10 bytes at width 3: the last cell holds only 2 bytes");
}

GRADED_TEST(heapmap, refuses_bad_blocks, 2,
            .description = "heapmap_draw returns -EINVAL for blocks out of "
                           "order, overlapping, empty, outside the heap, or "
                           "named '-'")
{
    char map[64] = "untouched";
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, BLOCKS({ 0, 2, 'a' },
              { 2, 2, 'b' }), 2, 10), 4 + 6), "two adjacent blocks are fine");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, BLOCKS({ 4, 2, 'a' },
              { 0, 2, 'b' }), 2, 10), -EINVAL), "blocks out of order");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, BLOCKS({ 0, 3, 'a' },
              { 2, 2, 'b' }), 2, 10), -EINVAL), "overlapping blocks");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, BLOCKS({ 0, 0, 'a' }),
              1, 10), -EINVAL), "an empty block");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, BLOCKS({ 8, 3, 'a' }),
              1, 10), -EINVAL), "a block past the end of the heap");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10,
              BLOCKS({ 8, (size_t)-1, 'a' }), 1, 10), -EINVAL),
              "offset + size wraps around: compare size with heap_size - "
              "offset instead of adding");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, BLOCKS({ 0, 2, '-' }),
              1, 10), -EINVAL), "'-' would draw as free bytes");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, NULL, 0, 0), -EINVAL),
              "width 0");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, NULL, 0,
              HEAPMAP_WIDTH_MAX + 1), -EINVAL), "width above HEAPMAP_WIDTH_MAX");
    cr_assert(eq(int, heapmap_draw(map, sizeof(map), 10, NULL, 0,
              HEAPMAP_WIDTH_MAX), 10), "width HEAPMAP_WIDTH_MAX is allowed");
}

GRADED_TEST(heapmap, truncates_like_snprintf, 1,
            .description = "heapmap_draw writes at most cap bytes, NUL "
                           "included, and returns the full length")
{
    char map[8];
    memset(map, 'x', sizeof(map));
    cr_assert(eq(int, heapmap_draw(map, 6, 20, BLOCKS({ 0, 4, 'a' }), 1, 10),
                 (int)strlen("aa-------- (1 char = 2 bytes)")),
              "the return value is the whole drawing's length");
    cr_assert(eq(str, map, "aa---"), "cap 6: 5 characters and a NUL");
    cr_assert(eq(int, map[6], 'x'), "a byte beyond cap was written");
    cr_assert(eq(int, heapmap_draw(NULL, 0, 10, NULL, 0, 10), 10),
              "cap 0 writes nothing and still returns the length");
}

GRADED_TEST(heapmap, huge_heap_does_not_wrap, 1,
            .description = "a heap of SIZE_MAX bytes is drawn at width "
                           "characters without the scale wrapping")
{
    char map[128];
    size_t huge = (size_t)-1;
    int len = heapmap_draw(map, sizeof(map), huge,
                           BLOCKS({ 0, huge / 2 + 1, 'a' }), 1, 4);
    cr_assert(eq(str, map, "aa-- (1 char = 4611686018427387904 bytes)"),
              "SIZE_MAX bytes at width 4: scale is ceil(SIZE_MAX / 4) = 2^62; "
              "compute it as heap_size / width plus one if there is a "
              "remainder, never as (heap_size + width - 1) / width, which "
              "wraps");
    cr_assert(eq(int, len, (int)strlen(map)), "length of the drawing");
}
