/**
 * @file argv.h
 * @brief A command line built piece by piece, with one out-of-memory flag.
 *
 * Rules:
 *  1. The builder grows as arguments come: no command the grader builds
 *     from lesson data (lesson.json's cflags, ldlibs, support files) has a
 *     fixed bound.
 *  2. Every argument is copied: the builder owns its strings, so a caller
 *     may pass a temporary and free it at once.
 *  3. A failed allocation anywhere, or a NULL argument (a str_printf() that
 *     ran out of memory), sets @ref argv_builder::oom once and for all, and
 *     argv_get() then returns NULL: a command is run whole or not at all,
 *     never silently cut short at the first NULL.
 *
 * @code
 * struct argv_builder args = { 0 };
 * argv_add(&args, "gcc");
 * argv_add_all(&args, lesson->cflags);
 * argv_addf(&args, "-I%s/include", root);
 * const char *const *argv = argv_get(&args);   // NULL: out of memory
 * ...
 * argv_done(&args);
 * @endcode
 */
#ifndef GRADER_ARGV_H
#define GRADER_ARGV_H

#include <stdbool.h>
#include <stddef.h>

/** A growing, NULL-terminated argument vector. Zero-initialise it. */
struct argv_builder {
    char **v;   /**< The arguments, then a NULL; owned, with every string. */
    size_t n;   /**< Number of arguments in @ref v, the NULL not counted. */
    size_t cap; /**< Slots allocated in @ref v, the NULL's included. */
    bool oom;   /**< An allocation failed or a NULL was added: the vector is
                     incomplete and argv_get() returns NULL. */
};

/**
 * @brief Appends a copy of @p arg.
 * @param[in,out] args the builder.
 * @param[in]     arg  the argument; borrowed (copied). NULL marks the
 *                     builder out of memory.
 */
void argv_add(struct argv_builder *args, const char *arg);

/**
 * @brief Appends an argument made with printf.
 * @param[in,out] args the builder.
 * @param[in]     fmt  a printf format; borrowed.
 * @param[in]     ...  the values @p fmt converts.
 */
void argv_addf(struct argv_builder *args, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * @brief Appends a copy of every string of a NULL-terminated vector.
 * @param[in,out] args the builder.
 * @param[in]     more the strings; borrowed. NULL adds nothing.
 */
void argv_add_all(struct argv_builder *args, const char *const *more);

/**
 * @brief The command line built so far.
 * @param[in] args the builder; borrowed.
 * @return a NULL-terminated vector owned by @p args (valid until the next
 *         argv_add*() or argv_done()), or NULL when an argument was lost
 *         (@ref argv_builder::oom). A builder with no argument gives an
 *         empty vector.
 */
const char *const *argv_get(struct argv_builder *args);

/**
 * @brief Frees every argument and the vector, and empties the builder for
 *        reuse.
 * @param[in,out] args the builder; NULL is allowed.
 */
void argv_done(struct argv_builder *args);

#endif /* GRADER_ARGV_H */
