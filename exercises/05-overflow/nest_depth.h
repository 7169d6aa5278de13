/**
 * @file nest_depth.h
 * @brief Checks nested brackets with a depth budget, so that no input can
 *        make the parser run out of stack.
 *
 * A recursive-descent parser is the natural way to read nested input: one
 * call per level. Without a limit, the input decides how deep the calls
 * go, and a file of a million `(` crashes the program with a stack
 * overflow: an attacker's one-line denial of service. With a budget, the
 * parser refuses the input at the first level past the budget and returns
 * an error, and the caller knows the stack it needs: the budget times the
 * bytes of one level.
 *
 * The budget is part of the contract, both ways:
 *
 * - nest_depth() must return -E2BIG for a million nested brackets under a
 *   budget of 1000 even on a thread with a 256 KiB stack;
 * - under a large budget it must accept nesting as deep as that budget,
 *   such as 20000 levels under a budget of a million on a thread with a
 *   16 MiB stack: no limit of its own, such as a fixed-size array, may cut
 *   it shorter.
 *
 * A recursive parser whose frame takes up to about 200 bytes a level meets
 * both, and so does a loop over an explicit stack on the heap that grows
 * as needed.
 */
#ifndef NEST_DEPTH_H
#define NEST_DEPTH_H

#include <stddef.h>

/**
 * @brief Checks that the brackets in @p text are balanced and tells how
 *        deeply they nest.
 *
 * The brackets are `(`, `)`, `[`, `]`, `{` and `}`; every other byte, a NUL
 * included, is ignored. Each closing bracket must close the most recent
 * bracket still open, of the same kind. The text is read from left to
 * right and the first problem met is the one reported.
 *
 * @param[in]  text      borrowed bytes, not necessarily NUL-terminated: only
 *                       text[0..len) is read. May be NULL when @p len is 0.
 * @param[in]  len       bytes in @p text.
 * @param[in]  max_depth the budget: the deepest nesting accepted. 0 accepts
 *                       only text without brackets.
 * @param[out] depth     receives the deepest nesting: 0 without brackets,
 *                       1 for "()", 2 for "([])". Untouched on failure.
 * @return 0; -E2BIG as soon as a bracket opens level @p max_depth + 1;
 *         -EBADMSG if a closing bracket closes nothing or the wrong kind, or
 *         if brackets are still open at the end; -EINVAL if @p depth is
 *         NULL, or @p text is NULL with @p len above 0; -ENOMEM if memory
 *         for an explicit stack runs out (a loop's; the recursive parser
 *         needs none).
 */
int nest_depth(const char *text, size_t len, size_t max_depth, size_t *depth);

#endif /* NEST_DEPTH_H */
