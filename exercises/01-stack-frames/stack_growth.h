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
 * The answers must be measured, never assumed: every test runs the
 * functions on a thread whose stack it filled with a pattern, and checks
 * how much of it each call really used:
 *
 * - stack_grows_down() must nest two activations of its helper below
 *   itself (the local 0 calls deep and the local 1 call deep), so it uses
 *   at least 64 bytes more stack than a function that calls nothing;
 * - stack_bytes_for_calls(n) must use about as much stack as it reports
 *   (its answer, plus a few frames), and for m and n of at least 1 the
 *   stacks used by stack_bytes_for_calls(m) and stack_bytes_for_calls(n)
 *   must differ by the difference of their answers, within 16 bytes.
 *   (stack_bytes_for_calls(0) may return 0 without a call.)
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
