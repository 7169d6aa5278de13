/**
 * @file scan.h
 * @brief Refuses learner code that could cheat or escape before it runs.
 *
 * A learner object is linked into the test binary, so it could rewrite the
 * verdict from inside: define main, run code before main (constructors),
 * register its own Criterion tests or report hooks, talk to Valgrind
 * (client requests are inline assembly) or to a sanitizer runtime. Those
 * are refused here, with a message that says why.
 */
#ifndef GRADER_SCAN_H
#define GRADER_SCAN_H

#include <stdbool.h>

/** What a learner object may define and call. */
struct scan_rules {
    char **definitions;      /**< NULL-terminated names the header declares; borrowed. */
    char **imports;          /**< NULL-terminated names it may call or read; borrowed. */
    char **runtime;          /**< NULL-terminated names the compiler's runtime (libgcc)
                                  defines, which code may call without naming them
                                  (`__popcountdi2` for `__builtin_popcountll`); or
                                  NULL; borrowed. */
    const char *header_name; /**< The header, for messages, e.g. "vector.h"; borrowed. */
    bool sanitized;          /**< The object was built with AddressSanitizer: its
                                  runtime's names are allowed too. */
};

/**
 * @brief Checks a learner's source before its object is trusted.
 *
 * The raw source may not use `#line` (or `# N`) or `#pragma`; the code that
 * preprocessing kept from the learner's own file may not contain `asm`,
 * `_Pragma` or an `__attribute__` outside a short allowlist (no `section`,
 * `constructor`, `ifunc`, `alias`, `symver`, `visibility`...).
 *
 * @param[in] source_path        the learner's .c file; borrowed, only read.
 * @param[in] preprocessed_path  `gcc -E` of it; borrowed, only read.
 * @param[in] learner_path       the name under which the preprocessor's line
 *                               markers refer to the learner's file.
 * @return NULL when clean, else a new message owned by the caller.
 */
char *scan_source(const char *source_path, const char *preprocessed_path,
                  const char *learner_path);

/**
 * @brief Checks the compiler's assembly output for inline assembly.
 *
 * GCC brackets every inline `asm` statement with `#APP` / `#NO_APP` lines
 * in its assembly output, so a line starting with `#APP` is one.
 *
 * @param[in] asm_path the `.s` file that `gcc -S` wrote for the learner's
 *                     file; borrowed, only read.
 * @return NULL when clean, else a new message for the learner, owned by the
 *         caller (free() it); also a message when the file cannot be read.
 */
char *scan_assembly(const char *asm_path);

/**
 * @brief Checks the ELF relocatable object at @p object_path: only ordinary
 *        code and data sections, global definitions only of the header's
 *        names, references only to allowed imports, no IFUNC, no versions.
 * @param[in] object_path the learner's compiled object; borrowed, only read.
 * @param[in] rules       what the object may define and import; borrowed.
 * @return NULL when clean, else a new message for the learner, owned by the
 *         caller (free() it); also a message when the object cannot be
 *         read.
 */
char *scan_object(const char *object_path, const struct scan_rules *rules);

/**
 * @brief The global names that the members of a static archive define.
 * @param[in] archive_path an `ar` archive of ELF objects, such as libgcc.a;
 *                         borrowed.
 * @return a NULL-terminated array of names, owned by the caller (release it
 *         with strv_free()), or NULL when the archive cannot be read.
 */
char **scan_archive_definitions(const char *archive_path);

#endif /* GRADER_SCAN_H */
