/**
 * @file parse_record.h
 * @brief Length-prefixed records read from an untrusted buffer.
 *
 * The bytes come from a file or the network: every length in them may lie.
 * Each record is a type byte, a length, and that many payload bytes. Short
 * lengths take one byte; the value 255 says that the real length follows
 * as 8 bytes, most significant first (WebSocket frames and MP4 boxes use
 * the same trick):
 *
 * ~~~{.txt}
 *   short:     +------+------+--------------------+
 *              | type | len  | len bytes of data  |      len 0..254
 *              +------+------+--------------------+
 *   extended:  +------+------+----------------+--------------------+
 *              | type | 255  | len: 8 bytes BE | len bytes of data |
 *              +------+------+----------------+--------------------+
 * ~~~
 *
 * A length can claim more bytes than are left, or be so large that
 * `offset + header + len` wraps around and looks small. The parser checks
 * each length against what remains, with a subtraction that cannot wrap,
 * and never reads a byte outside the buffer.
 */
#ifndef PARSE_RECORD_H
#define PARSE_RECORD_H

#include <stddef.h>

/** Length byte that announces an 8-byte length. */
#define RECORD_LEN_EXTENDED 255

/** One parsed record: a view into the caller's buffer, nothing copied. */
struct record {
    unsigned char type;        /**< the record's type byte */
    const unsigned char *data; /**< its payload, borrowed from the buffer */
    size_t len;                /**< bytes of payload */
};

/**
 * @brief Parses the record at the start of @p buf.
 *
 * @param[in]  buf  borrowed bytes; may be NULL only when @p size is 0.
 * @param[in]  size bytes in @p buf.
 * @param[out] rec  receives the record; its data points into @p buf.
 *                  Untouched on failure.
 * @param[out] used receives the bytes the record takes (header and payload),
 *                  so that the next record starts at buf + *used. Untouched
 *                  on failure.
 * @return 0; -EBADMSG if @p size is too small for the header, the extended
 *         length, or the payload the length announces; -EINVAL if @p rec or
 *         @p used is NULL, or @p buf is NULL with @p size above 0.
 */
int parse_record(const unsigned char *buf, size_t size, struct record *rec, size_t *used);

/**
 * @brief Parses every record in @p buf, which must hold whole records and
 *        nothing else.
 *
 * @param[in]  buf   borrowed bytes; may be NULL only when @p size is 0.
 * @param[in]  size  bytes in @p buf; 0 holds no record.
 * @param[out] recs  array of @p max records, owned by the caller; receives
 *                   the records in order. Entries recs[0..max) may have
 *                   been written when the call fails; never one past them.
 * @param[in]  max   entries in @p recs.
 * @param[out] count receives the number of records; untouched on failure.
 * @return 0; -EBADMSG if any record is cut short (see parse_record());
 *         -ENOSPC if @p buf holds more than @p max records; -EINVAL if
 *         @p count is NULL, @p recs is NULL with @p max above 0, or @p buf
 *         is NULL with @p size above 0.
 */
int parse_records(const unsigned char *buf, size_t size, struct record *recs, size_t max,
                  size_t *count);

#endif /* PARSE_RECORD_H */
