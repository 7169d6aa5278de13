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
 * Checks the compiler's assembly output at @p asm_path for inline assembly
 * (GCC brackets it with #APP / #NO_APP).
 * @return NULL when clean, else a new message for the learner (caller frees).
 */
char *scan_assembly(const char *asm_path);

/**
 * Checks the ELF relocatable object at @p object_path: only ordinary code
 * and data sections, no forbidden definitions or references.
 * @return NULL when clean, else a new message for the learner (caller frees).
 */
char *scan_object(const char *object_path);

#endif /* GRADER_SCAN_H */
