/**
 * @file mm_course.h
 * @brief The course's side of mm: calls into the learner's allocator that
 *        tell memcheck about its blocks.
 *
 * memcheck knows malloc()'s blocks, not mm's: to it the simulated heap is
 * one big mapping. These wrappers describe every mm block to it with
 * VALGRIND_MALLOCLIKE_BLOCK and VALGRIND_FREELIKE_BLOCK (as GLib's
 * grcbox.c does), and between two calls into mm they mark every byte of
 * the heap that is not a live payload as off limits. Code that uses an mm
 * block then gets the same reports as with malloc(): an overrun, a use
 * after free, an uninitialised read, a leak.
 *
 * During a call into mm the whole heap is addressable again, because the
 * allocator must read and write its own headers, footers and free lists.
 * Learner code may not use client requests; tests call these wrappers,
 * which call mm_malloc(), mm_free(), mm_realloc() and mm_check().
 */
#ifndef MM_COURSE_H
#define MM_COURSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * @brief Empties the simulated heap, forgets every block, calls mm_init().
 * @return What mm_init() returned, or -ENOMEM if the heap cannot be mapped.
 */
int course_mm_init(void);

/**
 * @brief Turns the marking of the gaps between payloads on or off.
 *
 * Marking costs time proportional to the number of live blocks at every
 * call; tests that only measure (utilization) turn it off. Blocks are
 * still described to memcheck either way. On by default.
 *
 * @param[in] gaps true to mark, false to leave the whole heap addressable.
 */
void course_mm_annotate(bool gaps);

/**
 * @brief mm_malloc(@p size), then tells memcheck about the new block.
 * @param[in] size Bytes wanted.
 * @return What mm_malloc() returned (owned by the caller, who releases it
 *         with course_mm_free()).
 */
void *course_mm_malloc(size_t size);

/**
 * @brief Tells memcheck the block is gone, then mm_free(@p ptr).
 * @param[in] ptr A block from course_mm_malloc()/course_mm_realloc(),
 *                taken; NULL does nothing.
 */
void course_mm_free(void *ptr);

/**
 * @brief mm_realloc(@p ptr, @p size), keeping memcheck's view in step.
 * @param[in] ptr  A block from these wrappers, or NULL; taken on success.
 * @param[in] size The new size.
 * @return What mm_realloc() returned; NULL leaves @p ptr with the caller.
 */
void *course_mm_realloc(void *ptr, size_t size);

/**
 * @brief mm_check() with the heap made readable for it.
 * @return What mm_check() returned.
 */
bool course_mm_check(void);

/**
 * @brief Writes one 8-byte word anywhere in the heap, for tests that
 *        corrupt a header on purpose.
 * @param[in] at    Where to write, 8-aligned, inside the heap; borrowed.
 * @param[in] value The word.
 */
void course_mm_poke(void *at, uint64_t value);

/**
 * @brief Reads one 8-byte word anywhere in the heap.
 * @param[in] at Where to read, 8-aligned, inside the heap; borrowed.
 * @return The word.
 */
uint64_t course_mm_peek(const void *at);

#endif /* MM_COURSE_H */
