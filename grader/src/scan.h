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
 *        code and data sections, no forbidden definitions or references.
 * @param[in] object_path the learner's compiled object; borrowed, only read.
 * @return NULL when clean, else a new message for the learner, owned by the
 *         caller (free() it); also a message when the object cannot be
 *         read.
 */
char *scan_object(const char *object_path);

#endif /* GRADER_SCAN_H */
