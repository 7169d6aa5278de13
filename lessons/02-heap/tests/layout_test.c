/*
 * Tests of layout.h: sizes, alignments, and aligned allocation.
 *
 * Expected layouts come from the compiler itself (sizeof, alignof,
 * offsetof), so they hold on any machine.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "layout.h"

#include <errno.h>
#include <malloc.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Asserts that two layouts are equal, saying which computation failed. */
static void assert_layout(struct layout got, struct layout want,
                          const char *what)
{
    cr_assert(eq(sz, got.size, want.size), "%s: size should be %zu, not %zu",
              what, want.size, got.size);
    cr_assert(eq(sz, got.align, want.align), "%s: align should be %zu, not "
              "%zu", what, want.align, got.align);
}

GRADED_TEST(layout, is_valid_accepts_powers_of_two, 1,
            .description = "layout_is_valid accepts power-of-two alignments "
                           "and sizes up to the limit")
{
    static const struct layout valid[] = {
        { 0, 1 }, { 24, 8 }, { 4096, 4096 }, { 1, 1 },
        { LAYOUT_SIZE_MAX, 1 }, { LAYOUT_SIZE_MAX - 7, 8 },
    };

    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        cr_assert(layout_is_valid(valid[i]), "{size %zu, align %zu} is "
                  "valid", valid[i].size, valid[i].align);
}

GRADED_TEST(layout, is_valid_rejects_bad_alignment, 2,
            .description = "layout_is_valid rejects alignments that are not "
                           "powers of two, and 0")
{
    static const struct layout invalid[] = {
        { 8, 0 }, { 8, 3 }, { 48, 48 }, { 8, 24 }, { 8, SIZE_MAX },
    };

    cr_assert(layout_is_valid((struct layout){ 8, 8 }),
              "{size 8, align 8} is valid");
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        cr_assert(not(layout_is_valid(invalid[i])), "align %zu is not a "
                  "power of two: a power of two has exactly one bit set, "
                  "so align & (align - 1) is 0 (and align is not 0)",
                  invalid[i].align);
}

GRADED_TEST(layout, is_valid_rejects_size_too_large_once_padded, 2,
            .description = "layout_is_valid rejects a size that exceeds "
                           "LAYOUT_SIZE_MAX once rounded up, without "
                           "wrapping")
{
    cr_assert(layout_is_valid((struct layout){ LAYOUT_SIZE_MAX - 7, 8 }),
              "LAYOUT_SIZE_MAX - 7 is a multiple of 8 within the limit");
    cr_assert(not(layout_is_valid((struct layout){ LAYOUT_SIZE_MAX, 8 })),
              "LAYOUT_SIZE_MAX rounded up to a multiple of 8 exceeds "
              "LAYOUT_SIZE_MAX");
    cr_assert(not(layout_is_valid((struct layout){ LAYOUT_SIZE_MAX + 1, 1 })),
              "LAYOUT_SIZE_MAX + 1 exceeds the limit");
    cr_assert(not(layout_is_valid((struct layout){ SIZE_MAX - 2, 4 })),
              "SIZE_MAX - 2 rounded up to 4 wraps around to 0: decide "
              "without adding align - 1 to the size");
    cr_assert(not(layout_is_valid((struct layout){ SIZE_MAX, 1 })),
              "SIZE_MAX exceeds the limit");
}

GRADED_TEST(layout, pad_to_align_rounds_size_up, 1,
            .description = "layout_pad_to_align rounds the size up to a "
                           "multiple of the alignment")
{
    assert_layout(layout_pad_to_align((struct layout){ 17, 8 }),
                  (struct layout){ 24, 8 }, "padding {17, 8}");
    assert_layout(layout_pad_to_align((struct layout){ 24, 8 }),
                  (struct layout){ 24, 8 }, "padding {24, 8}");
    assert_layout(layout_pad_to_align((struct layout){ 0, 16 }),
                  (struct layout){ 0, 16 }, "padding {0, 16}");
    assert_layout(layout_pad_to_align((struct layout){ 1, 4096 }),
                  (struct layout){ 4096, 4096 }, "padding {1, 4096}");
    assert_layout(layout_pad_to_align((struct layout){ 5, 1 }),
                  (struct layout){ 5, 1 }, "padding {5, 1}");
}

GRADED_TEST(layout, array_multiplies_padded_size, 2,
            .description = "layout_array gives n times the padded element "
                           "size, aligned like the element")
{
    struct pair {
        double d;
        char c;
    };
    struct layout array = { 0, 0 };

    cr_assert(eq(int, layout_array((struct layout){ 17, 8 }, 3, &array), 0),
              "layout_array failed");
    assert_layout(array, (struct layout){ 72, 8 }, "3 elements of {17, 8} "
                  "(each padded to 24)");
    cr_assert(eq(int, layout_array(LAYOUT_OF(struct pair), 5, &array), 0),
              "layout_array failed");
    assert_layout(array, LAYOUT_OF(struct pair[5]), "struct pair[5]");
    cr_assert(eq(int, layout_array(LAYOUT_OF(double), 0, &array), 0),
              "an array of 0 elements is valid");
    assert_layout(array, (struct layout){ 0, alignof(double) },
                  "0 doubles");
}

GRADED_TEST(layout, array_refuses_overflow, 2,
            .description = "layout_array returns -EOVERFLOW past "
                           "LAYOUT_SIZE_MAX and -EINVAL for an invalid "
                           "element")
{
    struct layout array = { 0, 0 };
    const struct layout untouched = { 12345, 64 };

    cr_assert(eq(int, layout_array((struct layout){ 8, 8 }, 4, &array), 0),
              "layout_array failed on 4 elements of {8, 8}");
    array = untouched;
    cr_assert(eq(int, layout_array((struct layout){ 8, 8 }, SIZE_MAX / 8 + 1,
                                   &array), -EOVERFLOW),
              "(SIZE_MAX / 8 + 1) * 8 wraps to 0: check by division");
    cr_assert(eq(int, layout_array((struct layout){ 8, 8 },
                                   LAYOUT_SIZE_MAX / 8 + 1, &array),
                 -EOVERFLOW), "(LAYOUT_SIZE_MAX / 8 + 1) * 8 is over the "
              "limit");
    cr_assert(eq(int, layout_array((struct layout){ 17, 8 },
                                   LAYOUT_SIZE_MAX / 24 + 1, &array),
                 -EOVERFLOW), "elements of {17, 8} take 24 bytes each: "
              "check the padded size, not the raw one");
    cr_assert(eq(int, layout_array((struct layout){ 8, 3 }, 2, &array),
                 -EINVAL), "align 3 is invalid: expected -EINVAL");
    assert_layout(array, untouched, "*out after failures (must not be "
                  "written)");
}

GRADED_TEST(layout, array_accepts_the_largest_count, 1,
            .description = "layout_array accepts the largest n that fits "
                           "LAYOUT_SIZE_MAX and refuses the next one")
{
    /* Element layouts with padded strides 8, 24 and 1. */
    const struct layout elems[] = { { 8, 8 }, { 17, 8 }, { 1, 1 } };
    const size_t strides[] = { 8, 24, 1 };

    for (size_t i = 0; i < 3; i++) {
        const size_t largest = LAYOUT_SIZE_MAX / strides[i];
        struct layout array = { 0, 0 };

        cr_assert(eq(int, layout_array(elems[i], largest, &array), 0),
                  "%zu elements of {%zu, %zu} take %zu bytes, within "
                  "LAYOUT_SIZE_MAX: the last count that fits must be "
                  "accepted (is the check > or >=?)", largest, elems[i].size,
                  elems[i].align, largest * strides[i]);
        assert_layout(array, (struct layout){ largest * strides[i], elems[i].align },
                      "the largest array");
        cr_assert(eq(int, layout_array(elems[i], largest + 1, &array), -EOVERFLOW),
                  "%zu elements of {%zu, %zu} are over LAYOUT_SIZE_MAX: the "
                  "first count too large must be refused", largest + 1,
                  elems[i].size, elems[i].align);
    }
}

GRADED_TEST(layout, extend_matches_c_struct, 2,
            .description = "layout_extend places fields where the C "
                           "compiler does")
{
    struct sample {
        char c;
        double d;
        short s;
        char name[3];
        int i;
    };
    const struct {
        struct layout field;
        size_t offset;
    } fields[] = {
        { LAYOUT_OF(char), offsetof(struct sample, c) },
        { LAYOUT_OF(double), offsetof(struct sample, d) },
        { LAYOUT_OF(short), offsetof(struct sample, s) },
        { LAYOUT_OF(char[3]), offsetof(struct sample, name) },
        { LAYOUT_OF(int), offsetof(struct sample, i) },
    };
    struct layout record = { 0, 1 };

    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        size_t offset = SIZE_MAX;

        cr_assert(eq(int, layout_extend(&record, fields[i].field, &offset), 0),
                  "layout_extend failed on field %zu", i);
        cr_assert(eq(sz, offset, fields[i].offset), "field %zu should start "
                  "at %zu, not %zu: round the record's size up to the "
                  "field's alignment", i, fields[i].offset, offset);
    }
    assert_layout(layout_pad_to_align(record), LAYOUT_OF(struct sample),
                  "struct sample, padded");
}

GRADED_TEST(layout, extend_refuses_invalid_or_overflow, 1,
            .description = "layout_extend refuses invalid layouts and "
                           "overflow, and then changes nothing")
{
    struct layout record = { 0, 1 };
    size_t offset = SIZE_MAX;

    cr_assert(eq(int, layout_extend(&record, LAYOUT_OF(int), &offset), 0),
              "layout_extend failed on an int");
    record = (struct layout){ LAYOUT_SIZE_MAX - 3, 1 };
    offset = 777;
    cr_assert(eq(int, layout_extend(&record, (struct layout){ 8, 8 }, &offset),
                 -EOVERFLOW), "8 more bytes at an 8-aligned offset after "
              "LAYOUT_SIZE_MAX - 3 bytes is over the limit");
    cr_assert(eq(int, layout_extend(&record, (struct layout){ 1, 3 }, &offset),
                 -EINVAL), "align 3 is invalid: expected -EINVAL");
    assert_layout(record, (struct layout){ LAYOUT_SIZE_MAX - 3, 1 },
                  "the record after failures (must not change)");
    cr_assert(eq(sz, offset, 777), "*offset must not be written on failure");
}

GRADED_TEST(layout, alloc_returns_aligned_block, 2,
            .description = "layout_alloc returns a block aligned as asked, "
                           "from 1 to 4096")
{
    for (size_t align = 1; align <= 4096; align *= 2) {
        unsigned char *block = layout_alloc((struct layout){ 100, align });

        cr_assert(ne(ptr, block, NULL), "layout_alloc({100, %zu}) returned "
                  "NULL", align);
        cr_assert(eq(sz, (uintptr_t)block % align, 0), "address %p is not a "
                  "multiple of %zu: use aligned_alloc", (void *)block, align);
        memset(block, 0, 100);
        free(block);
    }
}

GRADED_TEST(layout, alloc_pads_size_to_alignment, 1,
            .description = "layout_alloc asks aligned_alloc for the padded "
                           "size, a multiple of the alignment")
{
    void *block = layout_alloc((struct layout){ 100, 64 });

    cr_assert(ne(ptr, block, NULL), "layout_alloc({100, 64}) returned NULL");
    cr_assert(ge(sz, malloc_usable_size(block), 128), "C11 requires "
              "aligned_alloc's size to be a multiple of the alignment: ask "
              "for 128 bytes, not 100");
    free(block);
}

GRADED_TEST(layout, alloc_zero_size_returns_block, 1,
            .description = "layout_alloc of size 0 returns an aligned block, "
                           "not NULL")
{
    void *block = layout_alloc((struct layout){ 0, 32 });

    cr_assert(ne(ptr, block, NULL), "layout_alloc({0, 32}) must return a "
              "block: NULL means failure");
    cr_assert(eq(sz, (uintptr_t)block % 32, 0), "the block must be "
              "32-aligned");
    cr_assert(eq(sz, alloc_live_blocks(), 1), "one block expected");
    free(block);
}

GRADED_TEST(layout, alloc_rejects_invalid_layout, 2,
            .description = "layout_alloc returns NULL with errno EINVAL, "
                           "without calling the allocator, for an invalid "
                           "layout")
{
    static const struct layout invalid[] = {
        { 64, 48 }, { 64, 0 }, { SIZE_MAX, 8 }, { LAYOUT_SIZE_MAX, 4096 },
    };
    void *block = layout_alloc((struct layout){ 64, 64 });

    cr_assert(ne(ptr, block, NULL), "layout_alloc({64, 64}) returned NULL");
    free(block);

    alloc_fail_after(0);
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        errno = 0;
        cr_assert(eq(ptr, layout_alloc(invalid[i]), NULL), "{size %zu, "
                  "align %zu} is invalid: expected NULL", invalid[i].size,
                  invalid[i].align);
        cr_assert(eq(sz, alloc_stats().failed, 0), "layout_alloc called "
                  "the allocator for {size %zu, align %zu}: glibc's "
                  "aligned_alloc accepts some invalid layouts, so check "
                  "with layout_is_valid first", invalid[i].size,
                  invalid[i].align);
        cr_assert(eq(int, errno, EINVAL), "set errno to EINVAL for an "
                  "invalid layout");
    }
}

GRADED_TEST(layout, alloc_returns_null_when_out_of_memory, 1,
            .description = "layout_alloc returns NULL when the allocator "
                           "fails")
{
    void *block = layout_alloc((struct layout){ 64, 64 });

    cr_assert(ne(ptr, block, NULL), "layout_alloc({64, 64}) returned NULL");
    free(block);

    alloc_fail_after(0);
    cr_assert(eq(ptr, layout_alloc((struct layout){ 64, 64 }), NULL),
              "the allocator failed: layout_alloc must return NULL");
    cr_assert(eq(sz, alloc_stats().failed, 1), "layout_alloc should call "
              "the allocator once");
}
