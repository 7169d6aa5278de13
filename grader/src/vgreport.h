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
    int column; /**< Source column, 0 when unknown (Valgrind never knows it;
                     UndefinedBehaviorSanitizer does). */
    char *obj;  /**< Object file, e.g. "/usr/lib/.../libc.so.6". */
};

/** A call stack, innermost frame first. */
struct vg_stack {
    struct vg_frame *frames; /**< Owned array of @ref len frames. */
    size_t len;              /**< Number of frames. */
};

/** What kind of memory an address is in. */
enum vg_place {
    VG_PLACE_UNKNOWN, /**< not described, or in words not known */
    VG_PLACE_BLOCK,   /**< near or in a heap block */
    VG_PLACE_STACK,   /**< on a stack, below its pointer: a returned function's frame */
    VG_PLACE_LOCAL,   /**< next to or in a local array of a live frame (sanitizers) */
    VG_PLACE_GLOBAL,  /**< next to or in a global variable */
    VG_PLACE_NOWHERE, /**< in no block, no stack, no variable */
};

/** Which side of a block or variable an address lies on. */
enum vg_side {
    VG_SIDE_INSIDE, /**< offset counts from the start */
    VG_SIDE_AFTER,  /**< offset counts from the byte just past the end */
    VG_SIDE_BEFORE, /**< offset counts back from the start */
};

/** Where a bad access or free fell, read from the tool's description. */
struct vg_address {
    enum vg_place place; /**< what kind of memory */
    enum vg_side side;   /**< for a block or variable of known size */
    size_t offset;       /**< bytes from the edge that @c side names */
    size_t size;         /**< bytes in the block or variable; 0 when unknown */
    bool freed;          /**< the block had already been freed */
    bool null;           /**< VG_PLACE_NOWHERE within the first page: a NULL pointer */
    char *variable;      /**< the local or global variable's name, when known;
                              owned */
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
    size_t leaked_direct;    /**< For a leak that holds other blocks: bytes in the lost
                                  blocks themselves ("32 (16 direct, 16 indirect)"); 0 otherwise. */
    size_t leaked_indirect;  /**< ...and bytes in the blocks reachable only through them. */
    size_t access_size;      /**< For a bad read or write: bytes accessed; 0 when unknown. */
    struct vg_address address; /**< Where the access or free fell (from @c auxwhat). */
    const char *tool;        /**< Who reported it: "Valgrind", "AddressSanitizer"...;
                                  static, never freed; NULL means Valgrind. */
};

/** A whole report. */
struct vg_report {
    int pid;                  /**< `<pid>` of the process. */
    struct vg_error *errors;  /**< Owned array of @ref n_errors errors, in report order. */
    size_t n_errors;          /**< Number of errors. */
    bool finished;            /**< true when the report has its final `<status><state>FINISHED` and the file is complete (Valgrind writes leaks after that status, so a cut file can hold it). */
    int fatal_signal;         /**< Signal number from `<fatal_signal><signo>`, 0 when none. */
    unsigned long long signal_addr; /**< Faulting address from `<fatal_signal><siaddr>`, 0 when none. */
    bool stack_overflow;      /**< The signal came from the stack growing past its limit. */
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
 * @brief Reads Valgrind's words of @p error (@c what, @c auxwhat) into its
 *        numbers: @c access_size, @c address, @c leaked_direct and
 *        @c leaked_indirect. vg_report_load() does it for every error; this
 *        is for an error built by hand.
 * @param[in,out] error the error; its @c address.variable stays NULL.
 */
void vg_error_words_read(struct vg_error *error);

/**
 * @brief Frees what @p frame owns and zeroes it.
 * @param[in,out] frame a frame whose strings are owned; the struct itself
 *                      stays the caller's.
 */
void vg_frame_done(struct vg_frame *frame);

/**
 * @brief Frees the frames of @p stack and what they own, and empties it.
 * @param[in,out] stack a stack whose frames and strings are owned, or an
 *                      empty one; the struct itself stays the caller's.
 */
void vg_stack_done(struct vg_stack *stack);

/**
 * @brief Frees what @p report owns and zeroes it.
 * @param[in,out] report filled by vg_report_load(), all zero, or NULL (then
 *                       nothing happens); the struct itself stays the
 *                       caller's.
 */
void vg_report_done(struct vg_report *report);

#endif /* GRADER_VGREPORT_H */
