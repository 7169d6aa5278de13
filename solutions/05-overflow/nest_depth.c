/*
 * nest_depth.c: balanced brackets by recursive descent, on a budget.
 *
 * nest_level() reads the inside of one bracket pair: it returns at the
 * closing bracket, or calls itself for each bracket that opens inside. So
 * the call depth is the nesting depth, and the budget check before each
 * call bounds it: the stack this parser needs is max_depth frames of
 * nest_level(), whatever the input holds.
 */
#include "nest_depth.h"

#include <errno.h>
#include <stdbool.h>

/* The parse: where it is in the text, and what it has seen. */
struct parser {
    const char *text; /* borrowed input */
    size_t len;       /* bytes in text */
    size_t pos;       /* next byte to read */
    size_t max_depth; /* the budget */
    size_t deepest;   /* deepest level opened so far */
};

/* The closing bracket for opening bracket c, or 0 if c opens nothing. */
static char closer_of(char c)
{
    switch (c) {
    case '(': return ')';
    case '[': return ']';
    case '{': return '}';
    default:  return 0;
    }
}

static bool is_closer(char c)
{
    return c == ')' || c == ']' || c == '}';
}

/* Reads up to and including `close` at nesting level `level`. At the top
 * level (level 0, close 0) it reads to the end of the text instead. */
static int nest_level(struct parser *p, size_t level, char close)
{
    while (p->pos < p->len) {
        const char c = p->text[p->pos++];
        const char inner = closer_of(c);

        if (inner) {
            if (level == p->max_depth) /* the budget: check before the call */
                return -E2BIG;
            if (level + 1 > p->deepest)
                p->deepest = level + 1;
            int err = nest_level(p, level + 1, inner);
            if (err)
                return err;
        } else if (is_closer(c)) {
            return c == close ? 0 : -EBADMSG; /* wrong kind, or closes nothing */
        }
    }
    return close == 0 ? 0 : -EBADMSG; /* still open at the end */
}

int nest_depth(const char *text, size_t len, size_t max_depth, size_t *depth)
{
    if (!depth || (!text && len > 0))
        return -EINVAL;

    struct parser p = { .text = text, .len = len, .max_depth = max_depth };
    int err = nest_level(&p, 0, 0);
    if (err)
        return err;
    *depth = p.deepest;
    return 0;
}
