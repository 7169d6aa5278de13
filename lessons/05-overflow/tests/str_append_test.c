/*
 * str_append_test.c: bounded copy and append. Every destination is a heap
 * block of exactly `size` bytes, so that a byte written at dst[size] is a
 * Valgrind error, and is filled first with '#' so that a missing NUL shows.
 * Each limit is tested on both sides: text that exactly fits, and one byte
 * more.
 */
#include "course_test.h"
#include "str_append.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* A heap buffer of exactly size bytes: '#' everywhere, then text if given. */
static char *buffer_new(size_t size, const char *text)
{
    char *buf = malloc(size ? size : 1);

    cr_assert(ne(ptr, buf, NULL), "test setup: malloc failed");
    memset(buf, '#', size);
    if (text)
        memcpy(buf, text, strlen(text) + 1);
    return buf;
}

/* Asserts that buf, of size bytes, holds exactly the string expected. */
static void assert_holds(const char *buf, size_t size, const char *expected, const char *what)
{
    const char *nul = memchr(buf, '\0', size);

    cr_assert(ne(ptr, (void *)nul, NULL), "%s: no NUL in the %zu bytes of the "
              "buffer: the result must always be NUL-terminated", what, size);
    cr_assert(eq(str, (char *)buf, (char *)expected), "%s: the buffer should "
              "hold \"%s\"", what, expected);
}

GRADED_TEST(str_append, copy_accepts_an_exact_fit, 3,
            .description = "str_copy copies a short string, and one of size - 1 chars fits exactly: 0, and the NUL in the last byte")
{
    char *buf = buffer_new(6, NULL);

    cr_assert(eq(int, str_copy(buf, 6, "stack"), 0),
              "5 chars and a NUL fit in 6 bytes: return 0 (check for an off-by-one)");
    assert_holds(buf, 6, "stack", "str_copy(buf, 6, \"stack\")");
    free(buf);

    {
        char *buf = buffer_new(16, NULL);

        cr_assert(eq(int, str_copy(buf, 16, "stack"), 0), "str_copy of 5 chars into 16 bytes returns 0");
        assert_holds(buf, 16, "stack", "str_copy(buf, 16, \"stack\")");
        free(buf);
    }
}

GRADED_TEST(str_append, copy_cuts_one_byte_too_many, 3,
            .description = "str_copy of size chars gives -E2BIG, size - 1 chars and a NUL, nothing past the end, down to a 1-byte buffer")
{
    char *buf = buffer_new(5, NULL);

    cr_assert(eq(int, str_copy(buf, 5, "stack"), -E2BIG),
              "5 chars and a NUL need 6 bytes; in 5, return -E2BIG");
    assert_holds(buf, 5, "stac", "str_copy(buf, 5, \"stack\")");
    free(buf);

    buf = buffer_new(4, NULL);

    cr_assert(eq(int, str_copy(buf, 4, "overflowing"), -E2BIG), "str_copy should return -E2BIG when it cuts");
    assert_holds(buf, 4, "ove", "str_copy(buf, 4, \"overflowing\")");
    free(buf);

    {
        char *buf = buffer_new(1, NULL);

        cr_assert(eq(int, str_copy(buf, 1, ""), 0), "\"\" fits in 1 byte: return 0");
        assert_holds(buf, 1, "", "str_copy(buf, 1, \"\")");
        buf[0] = '#';
        cr_assert(eq(int, str_copy(buf, 1, "a"), -E2BIG), "\"a\" needs 2 bytes: -E2BIG in 1");
        assert_holds(buf, 1, "", "str_copy(buf, 1, \"a\")");
        free(buf);
    }
}

GRADED_TEST(str_append, copy_rejects_bad_arguments, 1,
            .description = "str_copy gives -EINVAL for NULL dst or src, or size 0, and writes nothing")
{
    char *buf = buffer_new(8, NULL);

    cr_assert(eq(int, str_copy(buf, 8, "ok"), 0), "str_copy(buf, 8, \"ok\") must work first");
    buf[0] = '#';
    cr_assert(eq(int, str_copy(buf, 0, "x"), -EINVAL), "size 0 has no room even for the NUL: -EINVAL");
    cr_assert(eq(chr, buf[0], '#'), "with size 0, str_copy must not write a byte");
    cr_assert(eq(int, str_copy(NULL, 8, "x"), -EINVAL), "dst == NULL gives -EINVAL");
    cr_assert(eq(int, str_copy(buf, 8, NULL), -EINVAL), "src == NULL gives -EINVAL");
    free(buf);
}

GRADED_TEST(str_append, append_appends_what_fits, 2,
            .description = "str_append adds a string after the one already there, again and again")
{
    char *buf = buffer_new(16, "buffer ");

    cr_assert(eq(int, str_append(buf, 16, "overrun"), 0), "7 + 7 chars fit in 16 bytes: return 0");
    assert_holds(buf, 16, "buffer overrun", "str_append(\"buffer \", \"overrun\")");
    free(buf);

    static const char *const pieces[] = { "a", "bc", "def", "ghij" };
    buf = buffer_new(11, "");

    for (size_t i = 0; i < 4; i++)
        cr_assert(eq(int, str_append(buf, 11, pieces[i]), 0), "piece %zu fits: return 0", i);
    assert_holds(buf, 11, "abcdefghij", "four appends");
    cr_assert(eq(int, str_append(buf, 11, "k"), -E2BIG), "the 11-byte buffer is full");
    free(buf);
}

GRADED_TEST(str_append, append_accepts_an_exact_fit, 2,
            .description = "str_append filling the buffer to size - 1 chars returns 0")
{
    char *buf = buffer_new(9, "over");

    cr_assert(eq(int, str_append(buf, 9, "flow"), 0),
              "4 + 4 chars and a NUL fit in 9 bytes: return 0 (check for an off-by-one)");
    assert_holds(buf, 9, "overflow", "str_append(buf, 9, \"flow\") after \"over\"");
    free(buf);
}

GRADED_TEST(str_append, append_cuts_one_byte_too_many, 3,
            .description = "str_append one char too long gives -E2BIG and a NUL in the last byte; a full buffer stays as it is")
{
    char *buf = buffer_new(8, "over");

    cr_assert(eq(int, str_append(buf, 8, "flow"), -E2BIG),
              "4 + 4 chars and a NUL need 9 bytes; in 8, return -E2BIG");
    assert_holds(buf, 8, "overflo", "str_append(buf, 8, \"flow\") after \"over\"");
    free(buf);

    {
        char *buf = buffer_new(5, "full");

        cr_assert(eq(int, str_append(buf, 5, ""), 0), "appending \"\" always fits");
        cr_assert(eq(int, str_append(buf, 5, "!"), -E2BIG), "no room left: -E2BIG");
        assert_holds(buf, 5, "full", "str_append(buf, 5, \"!\") after \"full\"");
        free(buf);
    }
}

GRADED_TEST(str_append, append_rejects_an_unterminated_buffer, 2,
            .description = "str_append refuses a dst with no NUL in its size bytes, without reading past them")
{
    char *buf = buffer_new(8, "ok");

    cr_assert(eq(int, str_append(buf, 8, "!"), 0), "str_append(\"ok\", \"!\") must work first");
    memset(buf, '#', 8); /* no NUL anywhere */
    cr_assert(eq(int, str_append(buf, 8, "x"), -EINVAL),
              "dst has no NUL in its 8 bytes: return -EINVAL. Find the NUL with "
              "memchr(dst, 0, size), never strlen, which reads past the buffer");
    cr_assert(eq(chr, buf[7], '#'), "str_append must write nothing when it refuses dst");
    free(buf);
}

GRADED_TEST(str_append, append_rejects_bad_arguments, 1,
            .description = "str_append gives -EINVAL for NULL dst or src, or size 0")
{
    char *buf = buffer_new(8, "ok");

    cr_assert(eq(int, str_append(buf, 8, "!"), 0), "str_append(\"ok\", \"!\") must work first");
    cr_assert(eq(int, str_append(buf, 0, "x"), -EINVAL), "size 0 holds no NUL: -EINVAL");
    cr_assert(eq(int, str_append(NULL, 8, "x"), -EINVAL), "dst == NULL gives -EINVAL");
    cr_assert(eq(int, str_append(buf, 8, NULL), -EINVAL), "src == NULL gives -EINVAL");
    assert_holds(buf, 8, "ok!", "after the refused calls");
    free(buf);
}

GRADED_TEST(str_append, appendf_accepts_an_exact_fit, 3,
            .description = "str_appendf appends formatted text; filling the buffer to size - 1 chars returns 0")
{
    char *buf = buffer_new(8, "n=");

    cr_assert(eq(int, str_appendf(buf, 8, "%d", 12345), 0),
              "2 + 5 chars and a NUL fit in 8 bytes: return 0. vsnprintf returns "
              "the length without the NUL: compare it with the room left");
    assert_holds(buf, 8, "n=12345", "str_appendf(\"n=\", \"%d\", 12345) in 8 bytes");
    free(buf);

    {
        char *buf = buffer_new(32, "depth ");

        cr_assert(eq(int, str_appendf(buf, 32, "%d of %s", 42, "100"), 0), "the text fits: return 0");
        assert_holds(buf, 32, "depth 42 of 100", "str_appendf(\"depth \", \"%d of %s\", 42, \"100\")");
        free(buf);
    }
}

GRADED_TEST(str_append, appendf_reports_truncation, 2,
            .description = "str_appendf one char too long gives -E2BIG: snprintf's return value says so")
{
    char *buf = buffer_new(7, "n=");

    cr_assert(eq(int, str_appendf(buf, 7, "%d", 12345), -E2BIG),
              "2 + 5 chars and a NUL need 8 bytes; in 7, return -E2BIG: vsnprintf "
              "returns the length it wanted, compare it with the room left");
    assert_holds(buf, 7, "n=1234", "str_appendf(\"n=\", \"%d\", 12345) in 7 bytes");
    free(buf);
}

GRADED_TEST(str_append, appendf_appends_a_long_text_whole, 2,
            .description = "str_appendf appends 3000 formatted chars into a buffer that holds them, and cuts them one byte short of it")
{
    enum { LONG = 3000 };
    char *text = malloc(LONG + 1);

    cr_assert(ne(ptr, text, NULL), "test setup: malloc failed");
    for (size_t i = 0; i < LONG; i++)
        text[i] = (char)('a' + i % 26);
    text[LONG] = '\0';

    char *buf = buffer_new(2 + LONG + 1, "> ");
    cr_assert(eq(int, str_appendf(buf, 2 + LONG + 1, "%s", text), 0),
              "2 + %d chars and a NUL fit in %d bytes: return 0. Format straight into "
              "the buffer's free tail, whatever its size; a temporary of your own "
              "would have to be as big as the text", LONG, 2 + LONG + 1);
    cr_assert(eq(sz, strlen(buf), 2 + LONG), "the buffer should hold all 2 + %d chars, "
              "not %zu: was the text cut on the way?", LONG, strlen(buf));
    cr_assert(eq(int, memcmp(buf + 2, text, LONG), 0), "the %d chars should follow \"> \" "
              "unchanged", LONG);
    free(buf);

    buf = buffer_new(2 + LONG, "> ");
    cr_assert(eq(int, str_appendf(buf, 2 + LONG, "%s", text), -E2BIG),
              "2 + %d chars and a NUL need %d bytes; in one less, return -E2BIG",
              LONG, 2 + LONG + 1);
    cr_assert(eq(sz, strlen(buf), 2 + LONG - 1), "cut to fit, the buffer should hold "
              "%d chars, not %zu", 2 + LONG - 1, strlen(buf));
    free(buf);
    free(text);
}

GRADED_TEST(str_append, appendf_reports_a_formatting_error, 1,
            .description = "str_appendf returns a negative errno, not 0 or -E2BIG, when vsnprintf fails, and leaves a terminated string")
{
    /* In the C locale, where tests run, a wide character above 0x7f has no
     * multibyte form: %ls fails with EILSEQ. */
    static const wchar_t unconvertible[] = { L'x', 0x80, 0 };
    char *buf = buffer_new(16, "ab");

    cr_assert(eq(int, str_appendf(buf, 16, "%ls", L"cd"), 0), "str_appendf(\"ab\", \"%%ls\", L\"cd\") must work first");
    const int err = str_appendf(buf, 16, "%ls", unconvertible);
    cr_assert(lt(int, err, 0), "vsnprintf failed (it returned a negative number): return "
              "a negative errno, not %d", err);
    cr_assert(ne(int, err, -E2BIG), "vsnprintf failed, it did not cut the text: check for its "
              "negative return before comparing it with the room left");
    cr_assert(ne(ptr, memchr(buf, '\0', 16), NULL), "after the failure the buffer must still "
              "hold a NUL-terminated string");
    free(buf);
}

GRADED_TEST(str_append, appendf_rejects_an_unterminated_buffer, 1,
            .description = "str_appendf refuses a dst with no NUL in its size bytes")
{
    char *buf = buffer_new(4, "");

    cr_assert(eq(int, str_appendf(buf, 4, "%s", "ab"), 0), "str_appendf must work first");
    memset(buf, '#', 4);
    cr_assert(eq(int, str_appendf(buf, 4, "%s", "x"), -EINVAL),
              "dst has no NUL in its 4 bytes: return -EINVAL");
    cr_assert(eq(int, str_appendf(NULL, 4, "%s", "x"), -EINVAL), "dst == NULL gives -EINVAL");
    free(buf);
}
