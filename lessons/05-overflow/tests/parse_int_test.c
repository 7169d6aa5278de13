/*
 * parse_int_test.c: a decimal int from bytes that are not NUL-terminated.
 * Every input is copied into a heap block of exactly its length, with no
 * NUL after it. Every test also parses "-2147483648", the longest text the
 * contract accepts (INT_TEXT_MAX characters): the boundary where a buffer
 * one byte too small overflows. That overflow is on the stack, where only
 * the AddressSanitizer run of the grader can see it.
 */
#include "course_test.h"
#include "parse_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define UNTOUCHED 0x5a5a5a5a

/* Parses text (copied without its NUL); returns what parse_int returned. */
static int parse(const char *text, int *value)
{
    const size_t len = strlen(text);
    char *copy = malloc(len ? len : 1);

    cr_assert(ne(ptr, copy, NULL), "test setup: malloc failed");
    memcpy(copy, text, len);
    int err = parse_int(copy, len, value);
    free(copy);
    return err;
}

static void assert_parses(const char *text, int expected)
{
    int value = UNTOUCHED;
    int err = parse(text, &value);

    cr_assert(eq(int, err, 0), "parse_int(\"%s\") should return 0, not %d", text, err);
    cr_assert(eq(int, value, expected), "parse_int(\"%s\") should give %d, not %d", text,
              expected, value);
}

static void assert_refuses(const char *text, int expected, const char *why)
{
    int value = UNTOUCHED;
    int err = parse(text, &value);

    cr_assert(eq(int, err, expected), "parse_int(\"%s\") should return %d, not %d: %s", text,
              expected, err, why);
    cr_assert(eq(int, value, UNTOUCHED), "*value must stay untouched on failure");
}

GRADED_TEST(parse_int, parses_numbers, 2,
            .description = "parse_int reads numbers with and without a sign")
{
    assert_parses("0", 0);
    assert_parses("42", 42);
    assert_parses("-7", -7);
    assert_parses("+5", 5);
    assert_parses("-1000000000", -1000000000);
}

GRADED_TEST(parse_int, parses_the_limits, 2,
            .description = "INT_MAX and INT_MIN, whose text is the longest accepted, parse")
{
    assert_parses("2147483647", INT_MAX);
    assert_parses("-2147483648", INT_MIN);
}

GRADED_TEST(parse_int, refuses_text_longer_than_int_text_max, 2,
            .description = "12 characters give -E2BIG; 11 are accepted")
{
    assert_parses("-0000000001", -1);
    assert_refuses("-00000000001", -E2BIG, "12 characters are more than INT_TEXT_MAX");
    assert_refuses("123456789012", -E2BIG, "12 characters are more than INT_TEXT_MAX");
}

GRADED_TEST(parse_int, refuses_numbers_out_of_range, 2,
            .description = "numbers past INT_MAX or INT_MIN give -ERANGE")
{
    assert_parses("-2147483648", INT_MIN);
    assert_refuses("2147483648", -ERANGE, "INT_MAX + 1 does not fit in an int");
    assert_refuses("-2147483649", -ERANGE, "INT_MIN - 1 does not fit in an int");
    assert_refuses("99999999999", -ERANGE, "far above INT_MAX, though it fits in a long");
}

GRADED_TEST(parse_int, refuses_what_is_not_a_number, 2,
            .description = "empty text, a lone sign, spaces and trailing letters give -EINVAL")
{
    assert_parses("-2147483648", INT_MIN);
    assert_refuses("", -EINVAL, "no digits");
    assert_refuses("-", -EINVAL, "a sign and no digits");
    assert_refuses("12a", -EINVAL, "the whole range must be the number");
    assert_refuses(" 12", -EINVAL, "no spaces before the number");
    assert_refuses("12 ", -EINVAL, "no spaces after the number");
    assert_refuses("abcdefghijk", -EINVAL, "11 characters, none a digit");
}

GRADED_TEST(parse_int, refuses_an_embedded_nul, 1,
            .description = "a NUL byte inside text[0..len) is not a digit: -EINVAL")
{
    static const struct {
        char bytes[3];
        const char *shown;
    } cases[] = {
        { { '1', '2', '\0' }, "'1' '2' NUL" },
        { { '1', '\0', '2' }, "'1' NUL '2'" },
        { { '\0', '1', '2' }, "NUL '1' '2'" },
    };
    int value = UNTOUCHED;

    assert_parses("-2147483648", INT_MIN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = malloc(3);

        cr_assert(ne(ptr, text, NULL), "test setup: malloc failed");
        memcpy(text, cases[i].bytes, 3);
        const int err = parse_int(text, 3, &value);
        free(text);
        cr_assert(eq(int, err, -EINVAL),
                  "the 3 bytes %s should give -EINVAL, not %d: strtol stops at the NUL, "
                  "so check that it stopped at len, not just at a NUL", cases[i].shown, err);
        cr_assert(eq(int, value, UNTOUCHED), "*value must stay untouched on failure");
    }
}

GRADED_TEST(parse_int, reads_only_len_bytes, 1,
            .description = "only text[0..len) is read: a prefix of a longer number is a number")
{
    char *text = malloc(INT_TEXT_MAX);
    int value = UNTOUCHED;

    cr_assert(ne(ptr, text, NULL), "test setup: malloc failed");
    memcpy(text, "-1234567890", INT_TEXT_MAX); /* no NUL */
    cr_assert(eq(int, parse_int(text, INT_TEXT_MAX, &value), 0), "\"-1234567890\" is a number");
    cr_assert(eq(int, value, -1234567890), "\"-1234567890\" is -1234567890, not %d", value);
    cr_assert(eq(int, parse_int(text, 3, &value), 0), "its first 3 bytes, \"-12\", are a number");
    cr_assert(eq(int, value, -12), "the first 3 bytes are -12, not %d", value);
    free(text);
}

GRADED_TEST(parse_int, refuses_null, 1,
            .description = "NULL text or value gives -EINVAL")
{
    int value = UNTOUCHED;

    assert_parses("-2147483648", INT_MIN);
    cr_assert(eq(int, parse_int(NULL, 1, &value), -EINVAL), "text == NULL gives -EINVAL");
    cr_assert(eq(int, parse_int("1", 1, NULL), -EINVAL), "value == NULL gives -EINVAL");
}
