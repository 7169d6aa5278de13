/*
 * parse_record.c: length-prefixed records from untrusted bytes.
 *
 * The parser keeps one number: how many bytes remain after the current
 * position. Every field is taken only after checking that it fits in what
 * remains, and then what remains shrinks by the field's size. Comparing a
 * length with what remains (`len > left`) cannot wrap; adding it to an
 * offset first (`pos + len > size`) can, for a length near SIZE_MAX.
 */
#include "parse_record.h"

#include <errno.h>
#include <stdint.h>

/* Bytes in the fixed part of a header: type and length byte. */
#define HEADER_BYTES 2
/* Bytes in an extended length. */
#define EXTENDED_BYTES 8

/* Reads 8 bytes, most significant first. */
static uint64_t read_be64(const unsigned char *bytes)
{
    uint64_t value = 0;

    for (int i = 0; i < EXTENDED_BYTES; i++)
        value = value << 8 | bytes[i];
    return value;
}

int parse_record(const unsigned char *buf, size_t size, struct record *rec, size_t *used)
{
    if (!rec || !used || (!buf && size > 0))
        return -EINVAL;
    if (size < HEADER_BYTES)
        return -EBADMSG;

    const unsigned char type = buf[0];
    uint64_t len = buf[1];
    size_t pos = HEADER_BYTES;
    if (len == RECORD_LEN_EXTENDED) {
        if (size - pos < EXTENDED_BYTES)
            return -EBADMSG;
        len = read_be64(buf + pos);
        pos += EXTENDED_BYTES;
    }
    if (len > size - pos) /* what remains: cannot wrap, pos <= size */
        return -EBADMSG;

    *rec = (struct record){ .type = type, .data = buf + pos, .len = (size_t)len };
    *used = pos + (size_t)len;
    return 0;
}

int parse_records(const unsigned char *buf, size_t size, struct record *recs, size_t max,
                  size_t *count)
{
    if (!count || (!recs && max > 0) || (!buf && size > 0))
        return -EINVAL;

    size_t n = 0;
    size_t pos = 0;
    while (pos < size) {
        struct record rec;
        size_t used;
        int err = parse_record(buf + pos, size - pos, &rec, &used);
        if (err)
            return err;
        if (n == max)
            return -ENOSPC;
        recs[n++] = rec;
        pos += used; /* used <= size - pos: pos stays <= size */
    }
    *count = n;
    return 0;
}
