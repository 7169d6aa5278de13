/**
 * @file stack_growth.h
 * @brief Measures, from C, which way the stack grows and how many bytes of
 *        stack one call takes.
 *
 * Both answers come from comparing the addresses of one local variable in
 * activations of one function nested at different depths. Two rules make
 * the measurement honest:
 *
 * - the nested calls must stay real calls, each with its own frame: mark the
 *   recursive helper `__attribute__((noinline, noclone))` (gcc could
 *   otherwise merge it into its caller, or make a special copy of it for a
 *   constant argument, whose frame has another size) and use its local after
 *   the recursive call (so that the call cannot become a jump that reuses the
 *   frame);
 * - compare addresses as `uintptr_t`: in C, `<` between pointers to
 *   different objects is undefined.
 *
 * The C standard does not even say there is a stack; the answers below hold
 * for x86-64 Linux with gcc, which is where the tests run.
 *
 * The answers must be measured, never assumed: the tests also run both
 * functions on a thread whose stack they filled with a pattern, and check
 * how much of it each call really used. stack_grows_down() must go at
 * least one call deeper than itself; stack_bytes_for_calls(n) must use
 * about as much stack as it reports (its answer, plus a few frames).
 */
#ifndef STACK_GROWTH_H
#define STACK_GROWTH_H

#include <stdbool.h>
#include <stddef.h>

/**
 * @brief Tells whether the stack grows toward lower addresses.
 *
 * Compares the address of a local in one frame with the address of the same
 * local in a frame nested one call deeper.
 *
 * @return true if the deeper frame lies at the lower address.
 */
bool stack_grows_down(void);

/**
 * @brief Measures how much stack @p calls nested calls of one recursive
 *        function take.
 *
 * The answer is the distance in bytes between a local of the outermost
 * activation and the same local in the activation @p calls calls deeper:
 * @p calls times the size of that function's frame. It is the same whatever
 * depth this function is called from.
 *
 * @param[in] calls how many calls deep to go; each costs a few dozen bytes
 *                  of the calling thread's stack, so keep it in the
 *                  thousands.
 * @return the distance in bytes; 0 when @p calls is 0. Cannot fail.
 */
size_t stack_bytes_for_calls(unsigned calls);

#endif /* STACK_GROWTH_H */
