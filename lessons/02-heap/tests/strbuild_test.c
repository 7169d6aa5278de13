/*
 * Tests of strbuild.h: new strings in blocks of exactly the right size.
 *
 * The course's allocator remembers the size each block was asked for
 * (alloc_block_size()), so the tests check "exactly strlen + 1", as the
 * header promises: one byte short is an overrun, one byte more a block
 * sized by guesswork. (malloc_usable_size() could not tell: glibc rounds
 * every request up.)
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "strbuild.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Asserts that the block holding s is exactly its characters and NUL. */
static void assert_block_fits(const char *s, const char *function)
{
    size_t size = alloc_block_size(s);
    size_t len = strlen(s);

    cr_assert(ne(sz, size, ALLOC_UNKNOWN_BLOCK), "%s returned a string that "
              "is not a block it allocated: return a new block", function);
    cr_assert(eq(sz, size, len + 1), "%s returned a block of %zu bytes for a "
              "string of %zu characters: the header promises exactly "
              "strlen + 1 = %zu (fewer has no room for the NUL, which is "
              "then written past the block; more is a size that was not "
              "computed from the lengths)", function, size, len, len + 1);
}

GRADED_TEST(strbuild, concat_joins_two_strings, 2,
            .description = "str_concat returns a followed by b")
{
    char *s = str_concat("heap", "-allocated");

    cr_assert(ne(ptr, s, NULL), "str_concat returned NULL");
    cr_assert(eq(str, s, "heap-allocated"), "wrong text: copy a, then b, "
              "then end with the NUL");
    cr_assert(eq(sz, alloc_live_blocks(), 1),
              "str_concat should allocate exactly one block (and free any "
              "scratch block it used)");
    free(s);
}

GRADED_TEST(strbuild, concat_block_fits_string_and_nul, 2,
            .description = "str_concat allocates strlen(a) + strlen(b) + 1 "
                           "bytes")
{
    char *s = str_concat("twelve chars", "+twelve more");

    cr_assert(ne(ptr, s, NULL), "str_concat returned NULL");
    cr_assert(eq(str, s, "twelve chars+twelve more"),
              "wrong text for a 24-character result");
    assert_block_fits(s, "str_concat");
    free(s);
}

GRADED_TEST(strbuild, concat_empty_strings, 1,
            .description = "str_concat handles empty strings on either side")
{
    char *both = str_concat("", "");
    char *left = str_concat("", "x");
    char *right = str_concat("x", "");

    cr_assert(ne(ptr, both, NULL), "concatenating two empty strings must "
              "return an empty string (a one-byte block), not NULL");
    cr_assert(ne(ptr, left, NULL), "str_concat returned NULL for an empty a");
    cr_assert(ne(ptr, right, NULL), "str_concat returned NULL for an empty b");
    cr_assert(eq(str, both, ""), "two empty strings make an empty string");
    cr_assert(eq(str, left, "x"), "an empty a adds nothing");
    cr_assert(eq(str, right, "x"), "an empty b adds nothing");
    free(both);
    free(left);
    free(right);
}

GRADED_TEST(strbuild, concat_returns_null_when_out_of_memory, 1,
            .description = "str_concat returns NULL when malloc fails")
{
    char *s = str_concat("a", "b");

    cr_assert(ne(ptr, s, NULL), "str_concat returned NULL");
    free(s);
    size_t live = alloc_live_blocks();

    alloc_fail_after(0);
    cr_assert(eq(ptr, str_concat("a", "b"), NULL),
              "malloc failed: str_concat must return NULL");
    cr_assert(eq(sz, alloc_live_blocks(), live), "a failed str_concat must "
              "not leave a block behind");
}

GRADED_TEST(strbuild, join_puts_separator_between_parts, 2,
            .description = "str_join puts sep between parts, not after the "
                           "last")
{
    const char *parts[] = { "a", "bb", "ccc" };
    char *s = str_join(parts, 3, ", ");

    cr_assert(ne(ptr, s, NULL), "str_join returned NULL");
    cr_assert(eq(str, s, "a, bb, ccc"), "n parts have n - 1 separators");
    free(s);
}

GRADED_TEST(strbuild, join_one_part_is_a_copy, 1,
            .description = "str_join of one part returns a copy of it")
{
    char part[] = "alone";
    const char *parts[] = { part };
    char *s = str_join(parts, 1, ", ");

    cr_assert(ne(ptr, s, NULL), "str_join returned NULL");
    cr_assert(eq(str, s, "alone"), "one part has no separator");
    cr_assert(ne(ptr, s, part), "return a new block, not the part itself");
    free(s);
}

GRADED_TEST(strbuild, join_zero_parts_is_empty_string, 1,
            .description = "str_join of zero parts returns a new empty "
                           "string")
{
    char *s = str_join(NULL, 0, ", ");

    cr_assert(ne(ptr, s, NULL), "str_join(NULL, 0, sep) must return an "
              "empty string, not NULL: NULL means failure");
    cr_assert(eq(str, s, ""), "zero parts make an empty string");
    cr_assert(eq(sz, alloc_live_blocks(), 1), "the empty string is a "
              "one-byte block the caller frees");
    free(s);
}

GRADED_TEST(strbuild, join_block_fits_string_and_nul, 2,
            .description = "str_join allocates room for the parts, the "
                           "separators and the NUL")
{
    const char *parts[] = { "malloc", "calloc", "realloc", "reallocarray" };
    char *s = str_join(parts, 4, " | ");

    cr_assert(ne(ptr, s, NULL), "str_join returned NULL");
    cr_assert(eq(str, s, "malloc | calloc | realloc | reallocarray"),
              "wrong text for four parts joined by a three-byte separator");
    assert_block_fits(s, "str_join");
    free(s);
}

GRADED_TEST(strbuild, join_returns_null_when_out_of_memory, 1,
            .description = "str_join returns NULL when malloc fails")
{
    const char *parts[] = { "a", "b" };
    char *s = str_join(parts, 2, "+");

    cr_assert(ne(ptr, s, NULL), "str_join returned NULL");
    free(s);
    size_t live = alloc_live_blocks();

    alloc_fail_after(0);
    cr_assert(eq(ptr, str_join(parts, 2, "+"), NULL),
              "malloc failed: str_join must return NULL");
    cr_assert(eq(sz, alloc_live_blocks(), live), "a failed str_join must "
              "not leave a block behind");
}

GRADED_TEST(strbuild, repeat_copies_n_times, 2,
            .description = "str_repeat returns s repeated times times")
{
    char *s = str_repeat("ab", 3);

    cr_assert(ne(ptr, s, NULL), "str_repeat returned NULL");
    cr_assert(eq(str, s, "ababab"), "wrong text for 3 copies of ab");
    free(s);
}

GRADED_TEST(strbuild, repeat_zero_is_empty_string, 1, .timeout = 2,
            .description = "str_repeat returns an empty string for zero "
                           "times or an empty s, even SIZE_MAX times")
{
    char *none = str_repeat("ab", 0);
    char *empty = str_repeat("", 5);

    cr_assert(ne(ptr, none, NULL), "zero copies must give an empty string, "
              "not NULL");
    cr_assert(ne(ptr, empty, NULL), "copies of an empty string must give "
              "an empty string, not NULL");
    cr_assert(eq(str, none, ""), "zero copies make an empty string");
    cr_assert(eq(str, empty, ""), "copies of nothing make an empty string");
    free(none);
    free(empty);

    char *forever = str_repeat("", SIZE_MAX);

    cr_assert(ne(ptr, forever, NULL), "SIZE_MAX copies of an empty string "
              "is an empty string: 0 * SIZE_MAX characters");
    cr_assert(eq(str, forever, ""), "SIZE_MAX copies of nothing is nothing "
              "(and must not take SIZE_MAX steps)");
    free(forever);
}

GRADED_TEST(strbuild, repeat_block_fits_string_and_nul, 1,
            .description = "str_repeat allocates strlen(s) * times + 1 "
                           "bytes")
{
    char *s = str_repeat("abc", 8);

    cr_assert(ne(ptr, s, NULL), "str_repeat returned NULL");
    cr_assert(eq(str, s, "abcabcabcabcabcabcabcabc"),
              "wrong text for 8 copies of abc");
    assert_block_fits(s, "str_repeat");
    free(s);
}

GRADED_TEST(strbuild, repeat_refuses_overflow, 2,
            .description = "str_repeat returns NULL with errno ENOMEM, "
                           "without calling malloc, when the size overflows")
{
    char *s = str_repeat("x", 1);

    cr_assert(ne(ptr, s, NULL), "str_repeat returned NULL");
    free(s);

    alloc_fail_after(0);
    errno = 0;
    cr_assert(eq(ptr, str_repeat("ab", SIZE_MAX / 2 + 1), NULL),
              "2 * (SIZE_MAX / 2 + 1) wraps to 0: check before multiplying");
    cr_assert(eq(int, errno, ENOMEM), "set errno to ENOMEM on overflow");
    cr_assert(eq(ptr, str_repeat("abc", SIZE_MAX / 3 + 1), NULL),
              "3 * (SIZE_MAX / 3 + 1) wraps to 2: check before multiplying");
    cr_assert(eq(ptr, str_repeat("x", PTRDIFF_MAX), NULL),
              "PTRDIFF_MAX characters plus the NUL is one byte over the "
              "limit: did you count the NUL in the overflow check?");
    cr_assert(eq(sz, alloc_stats().failed, 0),
              "str_repeat called malloc with a size over the limit");
}

GRADED_TEST(strbuild, repeat_accepts_the_largest_size, 1,
            .description = "str_repeat asks the allocator for a result of "
                           "exactly PTRDIFF_MAX bytes instead of refusing it")
{
    char *s = str_repeat("x", 1);

    cr_assert(ne(ptr, s, NULL), "str_repeat returned NULL");
    free(s);

    /* Allocation refused: the test only sees whether str_repeat tried. */
    alloc_fail_after(0);
    cr_assert(eq(ptr, str_repeat("x", PTRDIFF_MAX - 1), NULL),
              "the allocator refused: str_repeat must return NULL");
    cr_assert(eq(sz, alloc_stats().failed, 1),
              "PTRDIFF_MAX - 1 characters plus the NUL is exactly "
              "PTRDIFF_MAX bytes, the largest size allowed: str_repeat must "
              "try to allocate it, not refuse it (is the check > or >=?)");
    cr_assert(eq(ptr, str_repeat("ab", (PTRDIFF_MAX - 1) / 2), NULL),
              "the allocator refused: str_repeat must return NULL");
    cr_assert(eq(sz, alloc_stats().failed, 2),
              "(PTRDIFF_MAX - 1) / 2 copies of \"ab\" plus the NUL fit in "
              "PTRDIFF_MAX bytes: str_repeat must try to allocate them");
    cr_assert(eq(ptr, str_repeat("ab", (PTRDIFF_MAX - 1) / 2 + 1), NULL),
              "one copy more is over PTRDIFF_MAX bytes: refuse it");
    cr_assert(eq(sz, alloc_stats().failed, 2),
              "(PTRDIFF_MAX - 1) / 2 + 1 copies of \"ab\" plus the NUL are "
              "over PTRDIFF_MAX bytes: refuse them without calling malloc");
}
