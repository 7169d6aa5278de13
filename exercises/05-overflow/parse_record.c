/*
 * parse_record.c: length-prefixed records from untrusted bytes.
 * The contract is in parse_record.h; the lesson's "Lengths from outside"
 * section explains the checks.
 */
#include "parse_record.h"

#include <errno.h>
#include <stdint.h>

int parse_record(const unsigned char *buf, size_t size, struct record *rec, size_t *used)
{
    (void)buf;
    (void)size;
    (void)rec;
    (void)used;
    /* TODO: check that each field fits in what remains before reading it. */
    return -ENOSYS;
}

int parse_records(const unsigned char *buf, size_t size, struct record *recs, size_t max,
                  size_t *count)
{
    (void)buf;
    (void)size;
    (void)recs;
    (void)max;
    (void)count;
    /* TODO: call parse_record() until the buffer is used up. */
    return -ENOSYS;
}
