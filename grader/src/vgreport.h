/**
 * @file vgreport.h
 * @brief One Valgrind memcheck XML report (protocol 4), read with libxml2.
 *
 * The grader runs every test in its own process and asks Valgrind for one XML
 * file per process (`--xml-file=DIR/%p.xml`), so one report is one test.
 */
#ifndef GRADER_VGREPORT_H
#define GRADER_VGREPORT_H

#include <stdbool.h>
#include <stddef.h>

/** One stack frame as Valgrind names it; absent fields are NULL or 0. */
struct vg_frame {
    char *fn;   /**< Function name, e.g. "vector_push". */
    char *dir;  /**< Source directory. */
    char *file; /**< Source file base name, e.g. "vector.c". */
    int line;   /**< Source line, 0 when unknown. */
    char *obj;  /**< Object file, e.g. "/usr/lib/.../libc.so.6". */
};

/** A call stack, innermost frame first. */
struct vg_stack {
    struct vg_frame *frames; /**< Owned array of @ref len frames. */
    size_t len;              /**< Number of frames. */
};

/** One error as memcheck reported it. Strings are owned by the report. */
struct vg_error {
    char *kind;              /**< XML kind: "InvalidWrite", "Leak_DefinitelyLost"... Unknown kinds are kept as they are. Never NULL in a loaded report ("" if absent). */
    char *what;              /**< The headline: `<what>`, or `<xwhat><text>`. Never NULL in a loaded report ("" if absent). */
    char *auxwhat;           /**< First `<auxwhat>` (or `<xauxwhat><text>`), e.g. "Address 0x.. is 0 bytes after a block of size 40 alloc'd"; NULL if none. */
    struct vg_stack stack;   /**< Where the error happened (for leaks: where the block was allocated). */
    struct vg_stack freed_at;    /**< For use-after-free and double free: where the block was freed; empty otherwise. */
    struct vg_stack alloc_at;    /**< Where the block involved was allocated ("Block was alloc'd at"); empty when not reported. */
    struct vg_stack origin;      /**< For uninitialised values with `--track-origins`: where the value was created; empty otherwise. */
    size_t leaked_bytes;     /**< For leaks: bytes lost (`<leakedbytes>`); 0 otherwise. */
    size_t leaked_blocks;    /**< For leaks: blocks lost (`<leakedblocks>`); 0 otherwise. */
};

/** A whole report. */
struct vg_report {
    int pid;                  /**< `<pid>` of the process. */
    struct vg_error *errors;  /**< Owned array of @ref n_errors errors, in report order. */
    size_t n_errors;          /**< Number of errors. */
    bool finished;            /**< true when the report has its final `<status><state>FINISHED` and the file is complete (Valgrind writes leaks after that status, so a cut file can hold it). */
    int fatal_signal;         /**< Signal number from `<fatal_signal><signo>`, 0 when none. */
    unsigned long long signal_addr; /**< Faulting address from `<fatal_signal><siaddr>`, 0 when none. */
    struct vg_stack signal_stack;   /**< Where the fatal signal hit; empty when none. */
};

/**
 * @brief Reads the report at @p path into @p out.
 *
 * A truncated file (the process was killed while Valgrind wrote it) is read
 * as far as it goes: complete errors are kept and @c finished stays false.
 *
 * @param[in]  path  the XML file; borrowed.
 * @param[out] out   filled on success; release it with vg_report_done().
 * @return 0 on success, -ENOENT when the file does not exist, -EINVAL when it
 *         is not a Valgrind XML report at all, -ENOMEM.
 */
int vg_report_load(const char *path, struct vg_report *out);

/**
 * @brief Frees what @p report owns and zeroes it.
 * @param[in,out] report filled by vg_report_load(), all zero, or NULL (then
 *                       nothing happens); the struct itself stays the
 *                       caller's.
 */
void vg_report_done(struct vg_report *report);

#endif /* GRADER_VGREPORT_H */
