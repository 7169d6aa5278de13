/*
 * addr_text_test.c: the three repairs of a function that returned its local
 * array. Each test checks one behaviour of one repair.
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "addr_text.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_ADDR ((uintptr_t)0x7ffc5a3c1e40)
#define SAMPLE_TEXT "0x7ffc5a3c1e40"

/* ---- Repair 1: return by value ---- */

GRADED_TEST(addr_text, make_writes_hex_with_0x, 1,
            .description = "addr_text_make returns 0x and the address in lowercase hex")
{
    struct addr_text t = addr_text_make(SAMPLE_ADDR);

    cr_assert(eq(str, t.text, SAMPLE_TEXT),
              "addr_text_make(0x7ffc5a3c1e40) should give " SAMPLE_TEXT ": "
              "format 0x and PRIxPTR into the struct's array");
}

GRADED_TEST(addr_text, make_writes_zero_as_0x0, 1,
            .description = "addr_text_make(0) returns 0x0")
{
    struct addr_text t = addr_text_make(0);

    cr_assert(eq(str, t.text, "0x0"),
              "the address 0 should read 0x0: no leading zeros, but one "
              "digit at least");
}

GRADED_TEST(addr_text, make_fits_the_largest_address, 1,
            .description = "addr_text_make(UINTPTR_MAX) fits all 16 digits in the struct")
{
    struct addr_text t = addr_text_make(UINTPTR_MAX);

    cr_assert(eq(str, t.text, "0xffffffffffffffff"),
              "UINTPTR_MAX should read 0xffffffffffffffff: pass the whole "
              "array size (sizeof t.text) to snprintf, not one less");
}

/* ---- Repair 2: the caller's buffer ---- */

GRADED_TEST(addr_text, format_writes_into_the_callers_buffer, 1,
            .description = "addr_text_format writes the text into a big enough buffer and returns 0")
{
    char buf[ADDR_TEXT_SIZE];

    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, sizeof buf), 0),
              "a buffer of ADDR_TEXT_SIZE bytes always fits: return 0");
    cr_assert(eq(str, buf, SAMPLE_TEXT), "buf should hold " SAMPLE_TEXT);
}

GRADED_TEST(addr_text, format_accepts_an_exact_fit, 1,
            .description = "a buffer of exactly strlen(text) + 1 bytes is big enough")
{
    char buf[sizeof SAMPLE_TEXT];

    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, sizeof buf), 0),
              "%zu bytes hold the %zu characters and the terminating NUL: "
              "check your size comparison (is it off by one?)", sizeof buf, strlen(SAMPLE_TEXT));
    cr_assert(eq(str, buf, SAMPLE_TEXT), "buf should hold " SAMPLE_TEXT);
}

GRADED_TEST(addr_text, format_rejects_a_buffer_one_byte_short, 2,
            .description = "a buffer with no room for the terminating NUL gives -ERANGE")
{
    char buf[ADDR_TEXT_SIZE];

    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, sizeof buf), 0),
              "addr_text_format must succeed on a big buffer first");
    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, strlen(SAMPLE_TEXT)), -ERANGE),
              "%zu bytes hold the characters but not the terminating NUL: "
              "return -ERANGE",
              strlen(SAMPLE_TEXT));
}

GRADED_TEST(addr_text, format_leaves_an_empty_string_when_too_small, 1,
            .description = "on -ERANGE the buffer holds an empty string, never a cut-off address")
{
    char buf[ADDR_TEXT_SIZE];

    memset(buf, 'X', sizeof buf);
    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, 6), -ERANGE),
              "6 bytes are too few for " SAMPLE_TEXT ": return -ERANGE");
    cr_assert(eq(chr, buf[0], '\0'),
              "after -ERANGE buf[0] should be NUL: a truncated 0x7ffc5 "
              "looks like a real address to a caller who forgot the check");
}

GRADED_TEST(addr_text, format_writes_nothing_into_size_zero, 1,
            .description = "size 0 gives -ERANGE and writes no byte")
{
    char buf[ADDR_TEXT_SIZE];

    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, sizeof buf), 0),
              "addr_text_format must succeed on a big buffer first");
    memset(buf, 'X', sizeof buf);
    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, 0), -ERANGE),
              "a buffer of 0 bytes holds nothing: return -ERANGE");
    cr_assert(eq(chr, buf[0], 'X'),
              "with size 0 not even the NUL may be written: buf[0] belongs "
              "to someone else");
}

GRADED_TEST(addr_text, format_rejects_null_buffer, 1,
            .description = "a NULL buffer gives -EINVAL")
{
    char buf[ADDR_TEXT_SIZE];

    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, sizeof buf), 0),
              "addr_text_format must succeed on a big buffer first");
    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, NULL, sizeof buf), -EINVAL),
              "buf == NULL: return -EINVAL before touching it");
}

GRADED_TEST(addr_text, format_takes_size_max_as_a_big_buffer, 1,
            .description = "size SIZE_MAX is just a very big buffer: no overflow, no extra writes")
{
    char buf[ADDR_TEXT_SIZE + 8];

    memset(buf, 'X', sizeof buf);
    cr_assert(eq(int, addr_text_format(SAMPLE_ADDR, buf, SIZE_MAX), 0),
              "size SIZE_MAX must fit: does size + 1 or len + size wrap "
              "around somewhere in your check?");
    cr_assert(eq(str, buf, SAMPLE_TEXT), "buf should hold " SAMPLE_TEXT);
    cr_assert(eq(chr, buf[sizeof SAMPLE_TEXT], 'X'),
              "only strlen(text) + 1 bytes may be written, whatever size says");
}

/* ---- Repair 3: a heap block the caller owns ---- */

GRADED_TEST(addr_text, new_returns_a_heap_block, 2,
            .description = "addr_text_new returns the text in one heap block the caller frees")
{
    char *text = addr_text_new(SAMPLE_ADDR);

    cr_assert(ne(ptr, text, NULL), "addr_text_new returned NULL with memory to spare");
    cr_assert(eq(str, text, SAMPLE_TEXT), "the block should hold " SAMPLE_TEXT);
    cr_assert(eq(sz, alloc_live_blocks(), 1),
              "the text should be in exactly one malloc'd block (found %zu): "
              "a static or local array cannot be freed by the caller",
              alloc_live_blocks());
    free(text);
}

GRADED_TEST(addr_text, new_block_is_exactly_the_text, 1,
            .description = "addr_text_new's block has exactly strlen(text) + 1 bytes")
{
    char *text = addr_text_new(SAMPLE_ADDR);

    cr_assert(ne(ptr, text, NULL), "addr_text_new returned NULL with memory to spare");
    cr_assert(eq(sz, alloc_block_size(text), strlen(SAMPLE_TEXT) + 1),
              "the block for \"" SAMPLE_TEXT "\" has %zu bytes; the header "
              "promises strlen(text) + 1 = %zu: find the length first (snprintf "
              "into a local buffer, or with size 0, returns it), then "
              "allocate that plus one", alloc_block_size(text),
              strlen(SAMPLE_TEXT) + 1);
    course_free(text);
}

GRADED_TEST(addr_text, new_gives_each_call_its_own_block, 1,
            .description = "two calls return two blocks; the first text survives the second call")
{
    char *first = addr_text_new(0x1);
    char *second = addr_text_new(0x2);

    cr_assert(ne(ptr, first, NULL), "addr_text_new returned NULL with memory to spare");
    cr_assert(ne(ptr, second, NULL), "addr_text_new returned NULL with memory to spare");
    cr_assert(ne(ptr, first, second),
              "both calls returned the same pointer: each call needs its own block");
    cr_assert(eq(str, first, "0x1"),
              "the first text changed when addr_text_new ran again: is it "
              "shared storage (static) or a dead frame?");
    cr_assert(eq(str, second, "0x2"), "the second block should hold 0x2");
    free(first);
    free(second);
}

GRADED_TEST(addr_text, new_returns_null_when_malloc_fails, 2,
            .description = "addr_text_new returns NULL when malloc fails")
{
    char *text = addr_text_new(SAMPLE_ADDR);

    cr_assert(ne(ptr, text, NULL), "addr_text_new must succeed with memory to spare first");
    free(text);

    alloc_fail_after(0);
    text = addr_text_new(SAMPLE_ADDR);
    cr_assert(eq(ptr, text, NULL),
              "malloc returned NULL: addr_text_new must return NULL too, "
              "without writing through the NULL pointer");
}
