/*
 * parse_record_test.c: records from untrusted bytes. Every input is copied
 * into a heap block of exactly its size, so that a read one byte past the
 * end is a Valgrind error. Each length check is tested on both sides: a
 * payload that ends exactly at the end of the buffer, and one byte more.
 */
#include "course_test.h"
#include "parse_record.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define UNTOUCHED ((size_t)0xdeadbeef)

/* A heap copy of n bytes, in a block of exactly n bytes. */
static unsigned char *bytes_new(const unsigned char *src, size_t n)
{
    unsigned char *buf = malloc(n ? n : 1);

    cr_assert(ne(ptr, buf, NULL), "test setup: malloc failed");
    memcpy(buf, src, n);
    return buf;
}

/* Writes an extended header (type, 255, 8-byte big-endian len) at out. */
static void put_extended(unsigned char *out, unsigned char type, uint64_t len)
{
    out[0] = type;
    out[1] = RECORD_LEN_EXTENDED;
    for (int i = 0; i < 8; i++)
        out[2 + i] = (unsigned char)(len >> (56 - 8 * i));
}

/* Parses buf[0..n) expecting error err, and checks *used and *rec stay. */
static void assert_rejected(const unsigned char *src, size_t n, int err, const char *why)
{
    unsigned char *buf = bytes_new(src, n);
    struct record rec = { .type = 0x77, .data = NULL, .len = UNTOUCHED };
    size_t used = UNTOUCHED;

    int got = parse_record(buf, n, &rec, &used);
    cr_assert(eq(int, got, err), "parse_record should return %d, not %d: %s", err, got, why);
    cr_assert(eq(sz, used, UNTOUCHED), "*used must stay untouched on failure");
    cr_assert(eq(sz, rec.len, UNTOUCHED), "*rec must stay untouched on failure");
    free(buf);
}

GRADED_TEST(parse_record, reads_a_short_record, 2,
            .description = "a type, a one-byte length and the payload; length 0 is a two-byte record")
{
    static const unsigned char src[] = { 7, 3, 'a', 'b', 'c', 9, 9 };
    unsigned char *buf = bytes_new(src, sizeof src);
    struct record rec;
    size_t used = 0;

    cr_assert(eq(int, parse_record(buf, sizeof src, &rec, &used), 0), "a valid record: return 0");
    cr_assert(eq(int, rec.type, 7), "the type is the first byte");
    cr_assert(eq(sz, rec.len, 3), "the length is the second byte");
    cr_assert(eq(ptr, (void *)rec.data, buf + 2), "data should point into buf, just after the header");
    cr_assert(eq(sz, used, 5), "the record takes 2 header bytes and 3 of payload: *used is 5");
    free(buf);

    static const unsigned char empty[] = { 1, 0 };
    buf = bytes_new(empty, sizeof empty);
    cr_assert(eq(int, parse_record(buf, sizeof empty, &rec, &used), 0), "{1, 0} is a record with no payload");
    cr_assert(eq(sz, rec.len, 0), "its length is 0");
    cr_assert(eq(sz, used, 2), "it takes 2 bytes");
    free(buf);
}

GRADED_TEST(parse_record, accepts_a_payload_ending_at_the_end, 2,
            .description = "a payload that ends exactly at the end of the buffer is accepted")
{
    unsigned char src[2 + 254];
    struct record rec;
    size_t used = 0;

    src[0] = 2;
    src[1] = 254;
    memset(src + 2, 'x', 254);
    unsigned char *buf = bytes_new(src, sizeof src);
    cr_assert(eq(int, parse_record(buf, sizeof src, &rec, &used), 0),
              "254 payload bytes are all there: return 0 (check for an off-by-one)");
    cr_assert(eq(sz, rec.len, 254), "254 is the largest one-byte length");
    cr_assert(eq(sz, used, sizeof src), "the record is the whole buffer");
    free(buf);
}

GRADED_TEST(parse_record, rejects_a_payload_one_byte_short, 3,
            .description = "a length one byte more than what remains, or a buffer too short for the header, gives -EBADMSG")
{
    static const unsigned char ok[] = { 7, 3, 'a', 'b', 'c' };
    struct record rec;
    size_t used;
    unsigned char *buf = bytes_new(ok, sizeof ok);

    cr_assert(eq(int, parse_record(buf, sizeof ok, &rec, &used), 0), "a valid record must parse first");
    free(buf);
    static const unsigned char src[] = { 7, 4, 'a', 'b', 'c' };
    assert_rejected(src, sizeof src, -EBADMSG,
                    "the length says 4 bytes, 3 remain: compare the length with what remains");

    {
        static const unsigned char src[] = { 7 };
        static const unsigned char ok[] = { 7, 0 };
        struct record rec;
        size_t used;
        unsigned char *buf = bytes_new(ok, sizeof ok);

        cr_assert(eq(int, parse_record(buf, sizeof ok, &rec, &used), 0), "{7, 0} must parse first");
        free(buf);
        assert_rejected(src, 1, -EBADMSG, "one byte holds a type but no length");
        assert_rejected(src, 0, -EBADMSG, "an empty buffer holds no record");
    }
}

GRADED_TEST(parse_record, reads_an_extended_length, 2,
            .description = "length byte 255: the length follows as 8 big-endian bytes")
{
    unsigned char src[10 + 300];
    struct record rec;
    size_t used = 0;

    put_extended(src, 5, 300);
    memset(src + 10, 'y', 300);
    unsigned char *buf = bytes_new(src, sizeof src);
    cr_assert(eq(int, parse_record(buf, sizeof src, &rec, &used), 0), "a valid extended record: return 0");
    cr_assert(eq(sz, rec.len, 300), "the 8 bytes 00 00 00 00 00 00 01 2c are 300, most significant first");
    cr_assert(eq(ptr, (void *)rec.data, buf + 10), "the payload starts after 1 + 1 + 8 header bytes");
    cr_assert(eq(sz, used, sizeof src), "the record is the whole buffer");
    free(buf);
}

GRADED_TEST(parse_record, rejects_a_truncated_extended_length, 2,
            .description = "length byte 255 with fewer than 8 bytes after it gives -EBADMSG")
{
    unsigned char src[10];
    struct record rec;
    size_t used;

    put_extended(src, 5, 0);
    unsigned char *buf = bytes_new(src, 10);
    cr_assert(eq(int, parse_record(buf, 10, &rec, &used), 0),
              "an extended header of length 0 and exactly 10 bytes is valid");
    free(buf);
    assert_rejected(src, 9, -EBADMSG, "the 8-byte length needs 8 bytes; only 7 remain");
    assert_rejected(src, 2, -EBADMSG, "the 8-byte length needs 8 bytes; none remain");
}

GRADED_TEST(parse_record, rejects_an_extended_length_one_byte_short, 2,
            .description = "an extended length one more than what remains gives -EBADMSG")
{
    unsigned char src[10 + 300];

    put_extended(src, 5, 301);
    memset(src + 10, 'y', 300);
    assert_rejected(src, sizeof src, -EBADMSG, "the length says 301, 300 remain");
}

GRADED_TEST(parse_record, rejects_a_length_that_wraps, 3,
            .description = "a length near 2^64 that makes offset + length wrap is rejected")
{
    static const uint64_t lies[] = { UINT64_MAX, UINT64_MAX - 9, UINT64_MAX - 8, (uint64_t)1 << 63 };
    unsigned char src[10 + 4];

    memset(src + 10, 'z', 4);
    for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
        put_extended(src, 5, lies[i]);
        assert_rejected(src, sizeof src, -EBADMSG,
                        "a huge length: 10 + len wraps around to a small number. Compare "
                        "len with the bytes that remain (size - pos), never pos + len with size");
    }
}

GRADED_TEST(parse_record, rejects_bad_arguments, 2,
            .description = "NULL pointers where the contract forbids them give -EINVAL, in both functions")
{
    static const unsigned char src[] = { 7, 0 };
    struct record rec;
    size_t used;

    cr_assert(eq(int, parse_record(src, 2, &rec, &used), 0), "{7, 0} must parse first");
    cr_assert(eq(int, parse_record(src, 2, NULL, &used), -EINVAL), "rec == NULL gives -EINVAL");
    cr_assert(eq(int, parse_record(src, 2, &rec, NULL), -EINVAL), "used == NULL gives -EINVAL");
    cr_assert(eq(int, parse_record(NULL, 2, &rec, &used), -EINVAL), "buf == NULL with size 2 gives -EINVAL");

    {
        static const unsigned char src[] = { 1, 0 };
        struct record recs[1];
        size_t count;

        cr_assert(eq(int, parse_records(src, 2, recs, 1, &count), 0), "{1, 0} must parse first");
        cr_assert(eq(int, parse_records(src, 2, recs, 1, NULL), -EINVAL), "count == NULL gives -EINVAL");
        cr_assert(eq(int, parse_records(src, 2, NULL, 1, &count), -EINVAL), "recs == NULL with max 1 gives -EINVAL");
        cr_assert(eq(int, parse_records(NULL, 2, recs, 1, &count), -EINVAL), "buf == NULL with size 2 gives -EINVAL");
    }
}

GRADED_TEST(parse_record, all_reads_every_record, 3,
            .description = "parse_records reads short and extended records in order; 0 bytes hold 0 records")
{
    unsigned char src[3 + 10 + 2 + 2];
    struct record recs[4];
    size_t count = 0;

    src[0] = 1; src[1] = 1; src[2] = 'a';
    put_extended(src + 3, 2, 2);
    src[13] = 'b'; src[14] = 'c';
    src[15] = 3; src[16] = 0;
    unsigned char *buf = bytes_new(src, sizeof src);
    cr_assert(eq(int, parse_records(buf, sizeof src, recs, 4, &count), 0), "three valid records: return 0");
    cr_assert(eq(sz, count, 3), "the buffer holds 3 records");
    cr_assert(eq(int, recs[0].type, 1), "first record: type 1");
    cr_assert(eq(ptr, (void *)recs[1].data, buf + 13), "second record: payload at offset 13");
    cr_assert(eq(sz, recs[1].len, 2), "second record: length 2");
    cr_assert(eq(int, recs[2].type, 3), "third record: type 3");
    cr_assert(eq(sz, recs[2].len, 0), "third record: length 0");
    free(buf);

    {
        size_t count = UNTOUCHED;

        cr_assert(eq(int, parse_records(NULL, 0, NULL, 0, &count), 0), "no bytes, no records: return 0");
        cr_assert(eq(sz, count, 0), "*count should be 0");
    }
}

GRADED_TEST(parse_record, all_rejects_trailing_garbage, 2,
            .description = "parse_records rejects a buffer whose last record is cut short")
{
    static const unsigned char src[] = { 1, 1, 'a', 2, 5, 'b' };
    struct record recs[4];
    size_t count = UNTOUCHED;
    unsigned char *buf = bytes_new(src, 3);

    cr_assert(eq(int, parse_records(buf, 3, recs, 4, &count), 0), "the first record alone must parse");
    free(buf);
    count = UNTOUCHED;
    buf = bytes_new(src, sizeof src);
    cr_assert(eq(int, parse_records(buf, sizeof src, recs, 4, &count), -EBADMSG),
              "the second record claims 5 bytes and has 1: -EBADMSG");
    cr_assert(eq(sz, count, UNTOUCHED), "*count must stay untouched on failure");
    free(buf);
}

/* An array of exactly n records on the heap, so that writing recs[n] is a
 * memory error for Valgrind and AddressSanitizer alike. */
static struct record *records_new(size_t n)
{
    struct record *recs = malloc(n * sizeof *recs);

    cr_assert(ne(ptr, recs, NULL), "test setup: malloc failed");
    return recs;
}

GRADED_TEST(parse_record, all_fills_exactly_max, 2,
            .description = "parse_records accepts exactly max records and refuses max + 1 with -ENOSPC, writing no entry past max")
{
    static const unsigned char src[] = { 1, 0, 2, 0, 3, 0 };
    size_t count = UNTOUCHED;
    unsigned char *buf = bytes_new(src, sizeof src);
    struct record *three = records_new(3);

    cr_assert(eq(int, parse_records(buf, sizeof src, three, 3, &count), 0),
              "3 records fit in an array of 3: return 0 (check for an off-by-one)");
    cr_assert(eq(sz, count, 3), "*count should be 3");
    free(three);

    struct record two_and_a_spare[3];
    two_and_a_spare[2] = (struct record){ .type = 0x77, .len = UNTOUCHED };
    count = UNTOUCHED;
    cr_assert(eq(int, parse_records(buf, sizeof src, two_and_a_spare, 2, &count), -ENOSPC),
              "3 records do not fit in an array of 2: return -ENOSPC");
    cr_assert(eq(sz, count, UNTOUCHED), "*count must stay untouched on failure");
    cr_assert(eq(sz, two_and_a_spare[2].len, UNTOUCHED),
              "with max 2, parse_records wrote recs[2], one entry past the array: "
              "check that there is room (n < max) before you store a record");

    struct record *two = records_new(2);
    cr_assert(eq(int, parse_records(buf, sizeof src, two, 2, &count), -ENOSPC),
              "3 records do not fit in an array of exactly 2: return -ENOSPC");
    free(two);
    free(buf);
}

GRADED_TEST(parse_record, all_rejects_a_wrapping_length, 2,
            .description = "parse_records rejects a second record whose length wraps the position")
{
    unsigned char src[2 + 10 + 2];
    struct record recs[8];
    size_t count = UNTOUCHED;

    src[0] = 1; src[1] = 0;
    put_extended(src + 2, 2, UINT64_MAX - 9); /* pos + 10 + len wraps back to pos */
    src[12] = 3; src[13] = 0;
    unsigned char *buf = bytes_new(src, sizeof src);
    cr_assert(eq(int, parse_records(buf, 2, recs, 8, &count), 0), "the first record alone must parse");
    count = UNTOUCHED;
    cr_assert(eq(int, parse_records(buf, sizeof src, recs, 8, &count), -EBADMSG),
              "the second record's length is 2^64 - 10: it must be rejected, not "
              "added to the position (which would wrap back to the same record)");
    free(buf);
}

