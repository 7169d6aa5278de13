/**
 * @file layout.h
 * @brief Describing a block by its size and alignment, and allocating it.
 *
 * A layout says what a block must look like: how many bytes it holds and
 * which multiple its address must be (Rust's std::alloc::Layout, C++'s
 * sizeof and alignof pair). Layouts compose the way C lays out arrays and
 * structs, so a program can compute the size and the field offsets of a
 * record whose shape is only known at run time:
 *
 * ~~~{.txt}
 *   struct { char c; double d; short s; }     align 8, size 24
 *
 *   offset 0   1 ........ 8          16  18 ........ 24
 *          +---+---------+-----------+---+-----------+
 *          | c | padding |     d     | s |  padding  |
 *          +---+---------+-----------+---+-----------+
 *            layout_extend() adds each    layout_pad_to_align()
 *            field after padding          rounds the size up to
 *            to its alignment             the alignment
 * ~~~
 *
 * A layout is valid when its alignment is a power of two (1, 2, 4...) and
 * its size, rounded up to a multiple of the alignment, is at most
 * LAYOUT_SIZE_MAX. Every function here refuses an invalid layout and
 * never produces one.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The largest size of a valid layout: GCC and glibc support no larger
 *  object (an implementation limit, not an ISO C rule). */
#define LAYOUT_SIZE_MAX ((size_t)PTRDIFF_MAX)

/** What a block must look like. */
struct layout {
    size_t size;  /**< Bytes in the block; may be 0. */
    size_t align; /**< The block's address is a multiple of this. */
};

/** The layout of a C type, e.g. `LAYOUT_OF(double)` is {8, 8} on x86-64. */
#define LAYOUT_OF(type) ((struct layout){ sizeof(type), alignof(type) })

/**
 * @brief Tells whether @p layout is valid.
 *
 * @param[in] layout The layout to check.
 * @return true if layout.align is a power of two and layout.size rounded
 *         up to a multiple of it is at most LAYOUT_SIZE_MAX; false
 *         otherwise (including align 0).
 */
bool layout_is_valid(struct layout layout);

/**
 * @brief Rounds the size of a valid layout up to a multiple of its
 *        alignment, as C does at the end of a struct.
 *
 * The result is the stride of an array of such blocks: element i of the
 * array starts at i * size.
 *
 * @param[in] layout A valid layout.
 * @return The same layout with its size rounded up (unchanged if already
 *         a multiple). Its size is at most LAYOUT_SIZE_MAX, because
 *         @p layout is valid.
 */
struct layout layout_pad_to_align(struct layout layout);

/**
 * @brief Computes the layout of an array of @p n elements of @p elem.
 *
 * Each element is padded to its alignment first: the array is
 * `n * layout_pad_to_align(elem).size` bytes, aligned like @p elem.
 *
 * @param[in]  elem The element's layout.
 * @param[in]  n    Number of elements; 0 gives a size of 0.
 * @param[out] out  Where to store the array's layout; written only on
 *                  success. Borrowed.
 * @return 0 on success; -EINVAL if @p elem is not valid; -EOVERFLOW if the
 *         array would be larger than LAYOUT_SIZE_MAX.
 */
int layout_array(struct layout elem, size_t n, struct layout *out);

/**
 * @brief Appends a field to a record, as C lays out the next struct member.
 *
 * The field starts at the first multiple of field.align at or after
 * record->size; the record grows to end with it, and its alignment
 * becomes the larger of the two. Finish a record with
 * layout_pad_to_align() to get the struct's sizeof.
 *
 * @param[in,out] record The record so far (start from {0, 1}); updated
 *                       only on success. Borrowed.
 * @param[in]     field  The field's layout.
 * @param[out]    offset Where to store the field's offset in the record;
 *                       written only on success. Borrowed.
 * @return 0 on success; -EINVAL if @p *record or @p field is not valid;
 *         -EOVERFLOW if the record would become larger than
 *         LAYOUT_SIZE_MAX.
 */
int layout_extend(struct layout *record, struct layout field, size_t *offset);

/**
 * @brief Allocates a block with at least the size and alignment of
 *        @p layout.
 *
 * Calls aligned_alloc() with the padded size, a multiple of the alignment
 * (C11 required that; C17 dropped the rule, but this exercise keeps it, so
 * that the block is also right for an older library); a size of 0 is
 * served as one alignment unit, so NULL always means failure. The
 * alignment is validated here first: glibc 2.36's aligned_alloc accepts
 * some alignments that are not powers of two instead of failing.
 *
 * @param[in] layout The block's layout.
 * @return A new block whose address is a multiple of layout.align, owned
 *         by the caller, who releases it with free(). NULL with errno
 *         EINVAL if @p layout is not valid (the allocator is not called),
 *         or with errno ENOMEM if the allocator fails.
 */
void *layout_alloc(struct layout layout);

#endif /* LAYOUT_H */
