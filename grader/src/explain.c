/**
 * @file explain.c
 * @brief Memory errors told in plain words, pointing at the learner's code.
 *
 * The same explainers tell memcheck's errors and the sanitizers' (both read
 * into vgreport.h's structs). An explanation has up to four lines, each
 * built from the report alone:
 *  1. what happened, from the error kind and the tool's numbers (access
 *     size, offset from the block, block size, bytes lost);
 *  2. where: the first frame in the learner's files, else in the test's,
 *     else the first frame that has a name; an error inside a library
 *     function (memcpy, strlen, free...) names that function and the code
 *     that called it;
 *  3. where the block involved was allocated and freed, or where an
 *     uninitialised value came from;
 *  4. the lesson section that teaches the fix: the engine names only a kind
 *     of error ("use_after_free"); the lesson whose lesson.json maps that
 *     kind to a section of its README is cited (course.h).
 * Addresses never appear in the text: they change from run to run, and a
 * submission graded twice must get the same words.
 */
#define _POSIX_C_SOURCE 200809L
#include "explain.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course.h"

/** Size of the first page: an address in it is a NULL pointer plus a field
 *  offset. */
#define NULL_PAGE_SIZE 4096ULL

/* Copies into @p out (of @p size bytes) the text of @p from up to @p until. */
static bool word_copy(const char *from, const char *until, char *out, size_t size)
{
    if (from == NULL || until == NULL || until < from ||
        (size_t)(until - from) >= size)
        return false;
    memcpy(out, from, (size_t)(until - from));
    out[until - from] = '\0';
    return true;
}

/* ---- Frames ------------------------------------------------------------- */

static bool file_listed(const char *file, const char *const *files)
{
    if (file == NULL || files == NULL)
        return false;
    for (; *files; files++)
        if (strcmp(file, *files) == 0)
            return true;
    return false;
}

static bool frame_named(const struct vg_frame *frame)
{
    return (frame->fn && *frame->fn) || frame->file;
}

/* Returns the first frame of @p stack in @p files, or NULL. */
static const struct vg_frame *frame_find(const struct vg_stack *stack,
                                         const char *const *files)
{
    for (size_t i = 0; i < stack->len; i++)
        if (file_listed(stack->frames[i].file, files))
            return &stack->frames[i];
    return NULL;
}

/*
 * Returns the frame to show a learner: the first in their files, else in
 * the test's (the test called into a library with their data), else the
 * first with a name. NULL when the stack has no named frame.
 */
static const struct vg_frame *frame_pick(const struct vg_stack *stack,
                                         const struct explain_context *own)
{
    const struct vg_frame *frame = frame_find(stack, own->learner_files);
    if (frame == NULL)
        frame = frame_find(stack, own->test_files);
    for (size_t i = 0; frame == NULL && i < stack->len; i++)
        if (frame_named(&stack->frames[i]))
            frame = &stack->frames[i];
    return frame;
}

/* Prints a function name as called: "f()", but C++'s "g(int)" as it is. */
static void fn_print(FILE *out, const char *fn)
{
    if (fn == NULL || *fn == '\0') {
        fputs("an unnamed function", out);
        return;
    }
    size_t len = strlen(fn);
    fprintf(out, len > 0 && fn[len - 1] == ')' ? "%s" : "%s()", fn);
}

/* Returns the last component of @p path. */
static const char *path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Prints "02-heap/vector.c:42 in vector_push()", or what the frame knows of
 * it: the learner's file as they open it, with gcc's ":LINE:COL". */
static void frame_print(FILE *out, const struct vg_frame *frame,
                        const struct explain_context *own)
{
    const char *file = frame->file;
    if (file && own->learner_path && file_listed(file, own->learner_files))
        file = own->learner_path;
    if (file && frame->line > 0 && frame->column > 0)
        fprintf(out, "%s:%d:%d", file, frame->line, frame->column);
    else if (file && frame->line > 0)
        fprintf(out, "%s:%d", file, frame->line);
    else if (file)
        fputs(file, out);
    if (file && !(frame->fn && *frame->fn))
        return; /* UndefinedBehaviorSanitizer names the place only */
    if (file)
        fputs(" in ", out);
    fn_print(out, frame->fn);
    if (frame->file == NULL && frame->obj)
        fprintf(out, " (in %s)", path_base(frame->obj));
}

/*
 * Prints where the error happened. When the innermost frame is not the one
 * shown, the error is inside a library function: name it and its caller.
 */
static void where_print(FILE *out, const struct vg_stack *stack,
                        const struct explain_context *own)
{
    const struct vg_frame *frame = frame_pick(stack, own);
    if (frame == NULL)
        return;
    const struct vg_frame *inner = &stack->frames[0];
    if (frame != inner && inner->fn) {
        fputs("It happened inside ", out);
        fn_print(out, inner->fn);
        fputs(", called from ", out);
    } else {
        fputs("It happened at ", out);
    }
    frame_print(out, frame, own);
    fputs(".\n", out);
}

/*
 * Prints "The block was allocated at A and freed at F." with the parts
 * Valgrind reported; @p freed_words says how the freeing is named.
 */
static void blocks_print(FILE *out, const struct vg_error *error,
                         const struct explain_context *own, const char *freed_words)
{
    const struct vg_frame *alloc = frame_pick(&error->alloc_at, own);
    const struct vg_frame *freed = frame_pick(&error->freed_at, own);
    if (alloc == NULL && freed == NULL)
        return;
    fputs("The block was ", out);
    if (alloc) {
        fputs("allocated at ", out);
        frame_print(out, alloc, own);
    }
    if (freed) {
        fprintf(out, "%s%s at ", alloc ? " and " : "", freed_words);
        frame_print(out, freed, own);
    }
    fputs(".\n", out);
}

/* True when the origin stack starts in an allocator: a heap block. */
static bool origin_is_heap(const struct vg_stack *origin)
{
    const struct vg_frame *first = &origin->frames[0];
    return first->obj && strstr(path_base(first->obj), "vgpreload");
}

/* Prints where an uninitialised value came from, when Valgrind knows. */
static void origin_print(FILE *out, const struct vg_error *error,
                         const struct explain_context *own)
{
    const struct vg_frame *frame = frame_pick(&error->origin, own);
    if (frame == NULL)
        return;
    if (origin_is_heap(&error->origin)) {
        fputs("The value comes from a block allocated at ", out);
        frame_print(out, frame, own);
        fputs(" and never written since (malloc does not clear memory).\n", out);
    } else if (frame->fn && frame->file && frame->line > 0) {
        fputs("The value comes from a local variable of ", out);
        fn_print(out, frame->fn);
        fputs(" (", out);
        frame_print(out, &(struct vg_frame){ .file = frame->file, .line = frame->line }, own);
        fputs(") that was never set.\n", out);
    } else {
        fputs("The value comes from a local variable, never set, of ", out);
        frame_print(out, frame, own);
        fputs(".\n", out);
    }
}

/* ---- Lessons -------------------------------------------------------------- */

const char *const explain_topics[] = {
    "heap_overflow",  /* a read or write past a heap block */
    "use_after_free", /* a read or write of a freed block */
    "invalid_free",   /* a double free, a free of what malloc never returned */
    "leak",           /* a block never freed */
    "uninitialised",  /* a value never set */
    "dangling_local", /* a pointer to a returned function's locals */
    "stack_overflow", /* the stack grown past its limit */
    "array_overflow", /* past a local or global array */
    "integer_overflow", /* signed overflow, a shift too far */
    NULL,
};

/* Prints "Read: lessons/SLUG/README.md, section "TITLE"." for the lesson
 * that teaches @p topic; nothing when none does (or @p topic is NULL). */
static void lesson_print(FILE *out, const struct explain_context *own, const char *topic)
{
    const struct lesson *lesson = NULL;
    const char *title = topic && own->course ? course_section(own->course, topic, &lesson)
                                             : NULL;
    if (title)
        fprintf(out, "Read: lessons/%s/README.md, section \"%s\".\n", lesson->slug, title);
}

/* ---- Small words --------------------------------------------------------- */

static void bytes_print(FILE *out, size_t bytes)
{
    fprintf(out, "%zu byte%s", bytes, bytes == 1 ? "" : "s");
}

static void blocks_count_print(FILE *out, size_t blocks)
{
    fprintf(out, "%zu block%s", blocks, blocks == 1 ? "" : "s");
}

/* Prints @p text with every "0x..." address replaced, so the words are stable. */
static void words_print(FILE *out, const char *text)
{
    size_t len = strlen(text);
    while (len > 0 && text[len - 1] == '.')
        len--;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '0' && i + 1 < len && text[i + 1] == 'x') {
            fputs("an address", out);
            for (i += 2; i < len && strchr("0123456789abcdefABCDEF", text[i]); i++)
                continue;
            i--;
        } else {
            fputc(text[i], out);
        }
    }
}

/* ---- One explainer per kind ---------------------------------------------- */

/**
 * Prints every line of the explanation of one kind of error.
 * @param[out] out    where the lines go; borrowed.
 * @param[in]  error  the error; borrowed.
 * @param[in]  own    the files whose frames the learner can act on; borrowed.
 */
typedef void explain_fn(FILE *out, const struct vg_error *error,
                        const struct explain_context *own);

/* Prints " 2 bytes past the end of" for an access beside something. */
static void side_print(FILE *out, const struct vg_address *address)
{
    if (address->side == VG_SIDE_AFTER && address->offset == 0)
        fputs(" just past the end of", out);
    else if (address->side == VG_SIDE_AFTER)
        fprintf(out, " %zu byte%s past the end of", address->offset,
                address->offset == 1 ? "" : "s");
    else if (address->side == VG_SIDE_BEFORE)
        fprintf(out, " %zu byte%s before the start of", address->offset,
                address->offset == 1 ? "" : "s");
    else
        fprintf(out, " at offset %zu of", address->offset);
}

/* Prints where an access fell relative to a block, after "Read 4 bytes". */
static void block_access_print(FILE *out, const struct vg_address *address)
{
    side_print(out, address);
    fprintf(out, " a %zu-byte block", address->size);
    if (address->freed)
        fputs(" that was already freed (use after free)", out);
    else if (address->side == VG_SIDE_INSIDE)
        fputs(", running past its end", out);
    fputs(".\n", out);
}

/* Prints where an access fell relative to a local or global array. */
static void array_access_print(FILE *out, const struct vg_address *address)
{
    const char *whose = address->place == VG_PLACE_LOCAL ? "local" : "global";
    if (address->size == 0 && address->variable == NULL) {
        fprintf(out, " outside a %s array.\n", whose);
        return;
    }
    side_print(out, address);
    fprintf(out, " the %s array", whose);
    if (address->variable)
        fprintf(out, " '%s'", address->variable);
    if (address->size > 0)
        fprintf(out, " (%zu bytes)", address->size);
    fputs(address->side == VG_SIDE_INSIDE ? ", running past its end.\n" : ".\n", out);
}

/* Returns the topic that teaches how not to touch memory at @p address. */
static const char *address_topic(const struct vg_address *address)
{
    switch (address->place) {
    case VG_PLACE_BLOCK:
        return address->freed ? "use_after_free" : "heap_overflow";
    case VG_PLACE_STACK:
        return "dangling_local";
    case VG_PLACE_LOCAL:
    case VG_PLACE_GLOBAL:
        return "array_overflow";
    case VG_PLACE_NOWHERE:
    case VG_PLACE_UNKNOWN:
        break;
    }
    return NULL;
}

/* Prints the rest of "Read 4 bytes ..." for @p address. */
static void access_print(FILE *out, const struct vg_address *address, bool is_write)
{
    switch (address->place) {
    case VG_PLACE_BLOCK:
        block_access_print(out, address);
        return;
    case VG_PLACE_STACK:
        fprintf(out, " %s the stack memory of a function that has already "
                     "returned (a dangling pointer to one of its local variables).\n",
                is_write ? "to" : "from");
        return;
    case VG_PLACE_LOCAL:
        array_access_print(out, address);
        return;
    case VG_PLACE_GLOBAL:
        if (address->variable || address->size) {
            array_access_print(out, address);
            return;
        }
        break;
    case VG_PLACE_NOWHERE:
        fputs(address->null ? " through a NULL pointer.\n"
                            : " at an address that is in no block and no variable: "
                              "a pointer that was never set, or that points far "
                              "from where it should.\n",
              out);
        return;
    case VG_PLACE_UNKNOWN:
        break;
    }
    fputs(" of memory the program may not use.\n", out);
}

/* InvalidRead, InvalidWrite: "Wrote 1 byte just past the end of a 4-byte block." */
static void access_explain(FILE *out, const struct vg_error *error,
                           const struct explain_context *own)
{
    bool is_write = strcmp(error->kind, "InvalidWrite") == 0;
    fputs(is_write ? "Wrote " : "Read ", out);
    if (error->access_size > 0)
        bytes_print(out, error->access_size);
    else
        fputs("memory", out);
    access_print(out, &error->address, is_write);
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "freed");
    lesson_print(out, own, address_topic(&error->address));
}

/* True when realloc, not free, was handed the bad pointer. */
static bool freed_by_realloc(const struct vg_stack *stack)
{
    const char *fn = stack->len > 0 ? stack->frames[0].fn : NULL;
    return fn && strncmp(fn, "realloc", strlen("realloc")) == 0;
}

/* InvalidFree: a double free, or free() of a pointer malloc never returned. */
static void free_explain(FILE *out, const struct vg_error *error,
                         const struct explain_context *own)
{
    const struct vg_address *address = &error->address;
    bool by_free = !freed_by_realloc(&error->stack);
    const char *verb = by_free ? "Freed" : "Passed realloc()";
    if (address->place == VG_PLACE_BLOCK && address->freed) {
        fprintf(out, "%s a block that was already freed%s.\n", verb,
                by_free ? " (double free)" : "");
    } else {
        fprintf(out, "%s a pointer that malloc never returned", verb);
        if (address->place == VG_PLACE_STACK || address->place == VG_PLACE_LOCAL)
            fputs(": it is the address of a local variable", out);
        else if (address->place == VG_PLACE_GLOBAL)
            fputs(": it is the address of a global variable", out);
        else if (address->place == VG_PLACE_BLOCK && address->side == VG_SIDE_INSIDE)
            fprintf(out, ": it points %zu byte%s into a %zu-byte block",
                    address->offset, address->offset == 1 ? "" : "s", address->size);
        if (address->variable && address->place != VG_PLACE_BLOCK)
            fprintf(out, ", '%s'", address->variable);
        fputs(".\n", out);
    }
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "first freed");
    lesson_print(out, own, "invalid_free");
}

static void mismatch_explain(FILE *out, const struct vg_error *error,
                             const struct explain_context *own)
{
    fputs("Released a block with a function that does not match the one that "
          "allocated it: free() goes with malloc(), delete with new, delete[] "
          "with new[].\n", out);
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "freed");
    lesson_print(out, own, "invalid_free");
}

static void jump_explain(FILE *out, const struct vg_error *error,
                         const struct explain_context *own)
{
    if (error->address.place == VG_PLACE_NOWHERE && error->address.null)
        fputs("Called a function through a NULL function pointer.\n", out);
    else
        fputs("Jumped to an address that holds no code: a function pointer that "
              "was never set or was overwritten, or a return address overwritten "
              "by a write past the end of a local array.\n", out);
    where_print(out, &error->stack, own);
}

/* Overlap: "Source and destination overlap in strcpy(0x.., 0x..)". */
static void overlap_explain(FILE *out, const struct vg_error *error,
                            const struct explain_context *own)
{
    char fn[64];
    const char *start = error->what ? strstr(error->what, "overlap in ") : NULL;
    if (start)
        start += strlen("overlap in ");
    fputs("Copied with ", out);
    if (start && word_copy(start, strchr(start, '('), fn, sizeof fn))
        fn_print(out, fn);
    else
        fputs("a copying function", out);
    fputs(" between overlapping memory: the source and the destination share "
          "bytes, so the result is undefined. memmove() is the copy that allows "
          "overlap.\n", out);
    where_print(out, &error->stack, own);
}

/* UninitCondition, UninitValue: a decision or a use of unset memory. */
static void uninit_explain(FILE *out, const struct vg_error *error,
                           const struct explain_context *own)
{
    if (strcmp(error->kind, "UninitCondition") == 0)
        fputs("A decision (if/while/?:) depends on memory that was never "
              "initialised.\n", out);
    else
        fputs("Used a value that was never initialised, as an address or an "
              "index, or inside a library function such as printf().\n", out);
    where_print(out, &error->stack, own);
    origin_print(out, error, own);
    lesson_print(out, own, "uninitialised");
}

/* Prints "write() (its parameter buf)" from "Syscall param write(buf) ...". */
static void syscall_name_print(FILE *out, const char *what)
{
    char call[64];
    char param[64];
    const char *start = strstr(what, "Syscall param ");
    start = start ? start + strlen("Syscall param ") : NULL;
    const char *open = start ? strchr(start, '(') : NULL;
    const char *space = start ? strchr(start, ' ') : NULL;
    if (open && space && open < space && space[-1] == ')' &&
        word_copy(start, open, call, sizeof call) &&
        word_copy(open + 1, space - 1, param, sizeof param)) {
        fprintf(out, "%s() (its parameter %s)", call, param);
    } else if (start && word_copy(start, space, call, sizeof call)) {
        fprintf(out, "the system call parameter %s", call);
    } else {
        fputs("a system call", out);
    }
}

/* SyscallParam: a system call given unset bytes, or memory not the program's. */
static void syscall_explain(FILE *out, const struct vg_error *error,
                            const struct explain_context *own)
{
    const char *what = error->what ? error->what : "";
    bool uninit = strstr(what, "uninitialised") != NULL;
    fputs("Passed ", out);
    syscall_name_print(out, what);
    fputs(uninit ? " bytes that were never initialised.\n"
                 : " a pointer to memory the program may not use.\n", out);
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "freed");
    origin_print(out, error, own);
    if (uninit) {
        lesson_print(out, own, "uninitialised");
    } else {
        lesson_print(out, own, address_topic(&error->address));
    }
}

/* FishyValue: "Argument 'size' of function malloc has a fishy (possibly negative) value: -1". */
static void fishy_explain(FILE *out, const struct vg_error *error,
                          const struct explain_context *own)
{
    char arg[64];
    char fn[64];
    const char *what = error->what ? error->what : "";
    const char *arg_at = strstr(what, "Argument '");
    arg_at = arg_at ? arg_at + strlen("Argument '") : NULL;
    const char *fn_at = strstr(what, "of function ");
    fn_at = fn_at ? fn_at + strlen("of function ") : NULL;
    const char *value = strstr(what, "value: ");
    if (arg_at && fn_at && value &&
        word_copy(arg_at, strchr(arg_at, '\''), arg, sizeof arg) &&
        word_copy(fn_at, strchr(fn_at, ' '), fn, sizeof fn)) {
        fputs("Passed ", out);
        fn_print(out, fn);
        fprintf(out, " the value %s as its argument '%s': a size cannot be "
                     "negative, so a computation went below zero (an unsigned "
                     "subtraction that wrapped around?).\n",
                value + strlen("value: "), arg);
    } else {
        fputs("Valgrind reports: ", out);
        words_print(out, what);
        fputs(".\n", out);
    }
    where_print(out, &error->stack, own);
}

/**
 * @struct leak_words
 * A leak kind, and how it is told after "40 bytes in 1 block were".
 */
/* The leak kinds, and how each is told after "40 bytes in 1 block were". */
static const struct leak_words {
    const char *kind;     /**< Valgrind's kind, e.g. "Leak_DefinitelyLost"; NULL: any other */
    const char *how;      /**< follows "were" */
    const char *plural;   /**< why, said of several bytes */
    const char *singular; /**< why, said of one byte */
} LEAK_WORDS[] = {
    { "Leak_DefinitelyLost", "lost",
      ": nothing points to them any more and they were never freed (a leak).",
      ": nothing points to it any more and it was never freed (a leak)." },
    { "Leak_IndirectlyLost", "lost indirectly",
      ": they were never freed, and the only pointers to them are in other "
      "lost blocks (free what a structure points to, then the structure).",
      ": it was never freed, and the only pointers to it are in other "
      "lost blocks (free what a structure points to, then the structure)." },
    { "Leak_PossiblyLost", "possibly lost",
      ": they were never freed, and the only pointers left point inside them, "
      "not to their start.",
      ": it was never freed, and the only pointers left point inside it, "
      "not to its start." },
    { "Leak_StillReachable", "never freed",
      ", though a pointer to them still existed when the program ended "
      "(still reachable).",
      ", though a pointer to it still existed when the program ended "
      "(still reachable)." },
    { NULL, "never freed", ".", "." }, /* a leak kind Valgrind may add */
};

/* Returns the words for leak @p kind; the last entry for unknown kinds. */
static const struct leak_words *leak_words_find(const char *kind)
{
    const struct leak_words *words = LEAK_WORDS;
    while (words->kind && strcmp(words->kind, kind) != 0)
        words++;
    return words;
}

/* Prints " (16 bytes in the block itself, 16 bytes in blocks reachable only
 * through it)" for a leak that holds other blocks. */
static void leak_split_print(FILE *out, const struct vg_error *error)
{
    if (error->leaked_direct == 0 && error->leaked_indirect == 0)
        return;
    bool one = error->leaked_blocks == 1;
    fputs(" (", out);
    bytes_print(out, error->leaked_direct);
    fputs(one ? " in the block itself, " : " in the blocks themselves, ", out);
    bytes_print(out, error->leaked_indirect);
    fprintf(out, " in blocks reachable only through %s)", one ? "it" : "them");
}

/* Leak_*: how much was lost, how, and where it was allocated. */
static void leak_explain(FILE *out, const struct vg_error *error,
                         const struct explain_context *own)
{
    const struct leak_words *words = leak_words_find(error->kind);
    bool one_byte = error->leaked_bytes == 1;
    bytes_print(out, error->leaked_bytes);
    fputs(" in ", out);
    blocks_count_print(out, error->leaked_blocks);
    fprintf(out, " %s %s", one_byte ? "was" : "were", words->how);
    leak_split_print(out, error);
    fprintf(out, "%s\n", one_byte ? words->singular : words->plural);
    const struct vg_frame *frame = frame_pick(&error->stack, own);
    if (frame) {
        fputs(error->leaked_blocks == 1 ? "The block was" : "The blocks were", out);
        fputs(" allocated at ", out);
        frame_print(out, frame, own);
        fputs(".\n", out);
    }
    lesson_print(out, own, "leak");
}

/* Any other kind, known or not: Valgrind's own words, without addresses. */
static void other_explain(FILE *out, const struct vg_error *error,
                          const struct explain_context *own)
{
    const char *tool = error->tool ? error->tool : "Valgrind";
    if (error->what && *error->what) {
        fprintf(out, "%s reports: ", tool);
        words_print(out, error->what);
        fputs(".\n", out);
    } else {
        fprintf(out, "%s reports an error of kind %s.\n", tool,
                error->kind ? error->kind : "unknown");
    }
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "freed");
    origin_print(out, error, own);
}

/** UndefinedBehaviorSanitizer's words that name integer overflow. */
static const char *const INTEGER_WORDS[] = {
    "signed integer overflow", "negation of", "shift exponent", "left shift of",
    "division of", "division by zero", NULL,
};

/* UndefinedBehavior: "signed integer overflow: 2147483647 + 1 cannot be
 * represented in type 'int'", "index 11 out of bounds for type 'char [11]'". */
static void ub_explain(FILE *out, const struct vg_error *error,
                       const struct explain_context *own)
{
    const char *what = error->what ? error->what : "";
    fputs("Undefined behaviour: ", out);
    words_print(out, *what ? what : "the sanitizer gave no words");
    fputs(".\n", out);
    const char *topic = NULL;
    if (strstr(what, " out of bounds for type "))
        topic = "array_overflow";
    for (size_t i = 0; !topic && INTEGER_WORDS[i]; i++)
        if (strncmp(what, INTEGER_WORDS[i], strlen(INTEGER_WORDS[i])) == 0)
            topic = "integer_overflow";
    if (topic && strcmp(topic, "integer_overflow") == 0)
        fputs("The result does not fit its type: check the operands before the "
              "operation, not the result after it.\n", out);
    where_print(out, &error->stack, own);
    lesson_print(out, own, topic);
}

/**
 * @struct kind_rule
 * Which explainer tells an error kind.
 */
static const struct kind_rule {
    const char *kind;    /**< the XML `<kind>`, or a prefix ending in '_' */
    explain_fn *explain; /**< prints every line of the explanation */
} KIND_RULES[] = {
    { "InvalidRead", access_explain },
    { "InvalidWrite", access_explain },
    { "InvalidFree", free_explain },
    { "MismatchedFree", mismatch_explain },
    { "InvalidJump", jump_explain },
    { "Overlap", overlap_explain },
    { "UninitCondition", uninit_explain },
    { "UninitValue", uninit_explain },
    { "SyscallParam", syscall_explain },
    { "FishyValue", fishy_explain },
    { "Leak_", leak_explain },
    { "UndefinedBehavior", ub_explain },
};

static explain_fn *explainer_find(const char *kind)
{
    if (kind == NULL)
        return other_explain;
    for (size_t i = 0; i < sizeof KIND_RULES / sizeof KIND_RULES[0]; i++) {
        const char *rule = KIND_RULES[i].kind;
        size_t len = strlen(rule);
        bool prefix = rule[len - 1] == '_';
        if (prefix ? strncmp(kind, rule, len) == 0 : strcmp(kind, rule) == 0)
            return KIND_RULES[i].explain;
    }
    return other_explain;
}

/* ---- Fatal signals --------------------------------------------------------- */

/** The one table of signals: how a signal is named after "crashed with",
 *  and, when a report says what it did, the sentence that tells it. */
static const struct signal_words {
    int signo;         /**< the signal */
    const char *words; /**< "a segmentation fault (SIGSEGV): ..." */
} SIGNAL_WORDS[] = {
    { SIGSEGV, "a segmentation fault (SIGSEGV): the code touched memory it may not "
               "use, through a pointer that was never set, already freed, or out of "
               "bounds, or it ran out of stack" },
    { SIGABRT, "an abort (SIGABRT): abort() was called, by a failed assert() or by the "
               "C library finding the heap corrupted (a double free, a write past a "
               "block)" },
    { SIGFPE, "an arithmetic error (SIGFPE), such as an integer division by zero" },
    { SIGBUS, "a bus error (SIGBUS): an access to memory that cannot exist, such as a "
              "misaligned or truncated mapping" },
    { SIGILL, "an illegal instruction (SIGILL): often a corrupted function pointer, or "
              "undefined behaviour that the compiler turned into a trap" },
    { SIGXFSZ, "too much output (SIGXFSZ): the test wrote more than the 64 MiB a test "
               "may write" },
    { SIGKILL, "being killed (SIGKILL), usually for using too much memory or time" },
    { SIGPIPE, "a broken pipe (SIGPIPE)" },
    { SIGPROF, "its time limit (SIGPROF): an endless loop, or code that waits forever" },
    { SIGTERM, "its time limit (SIGTERM): an endless loop, or code that waits forever" },
    { SIGALRM, "its time limit (SIGALRM): an endless loop, or code that waits forever" },
};

const char *explain_signal_words(int signal)
{
    for (size_t i = 0; i < sizeof SIGNAL_WORDS / sizeof *SIGNAL_WORDS; i++)
        if (SIGNAL_WORDS[i].signo == signal)
            return SIGNAL_WORDS[i].words;
    return "a signal";
}

/* Prints what the signal means; returns the topic to read, or NULL. */
static const char *signal_print(FILE *out, const struct vg_report *report)
{
    int signo = report->fatal_signal;
    if (report->stack_overflow) {
        fputs("The program ran out of stack (a stack overflow): usually a "
              "recursion that never reaches its base case, or a very large "
              "local array.\n", out);
        return "stack_overflow";
    }
    if (signo == SIGSEGV && report->signal_addr < NULL_PAGE_SIZE)
        fputs("The program crashed with a segmentation fault (SIGSEGV) using a "
              "NULL pointer.\n", out);
    else if (signo == SIGPROF || signo == SIGTERM || signo == SIGALRM)
        fputs("The program was stopped because it ran past its time limit (an "
              "endless loop, or code that waits forever).\n", out);
    else
        fprintf(out, "The program crashed with %s.\n", explain_signal_words(signo));
    return NULL;
}

/* ---- Public -------------------------------------------------------------- */

/* Runs @p print into a new string; NULL when memory runs out. */
static char *text_build(void (*print)(FILE *out, const void *what,
                                      const struct explain_context *own),
                        const void *what, const struct explain_context *own)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out == NULL)
        return NULL;
    print(out, what, own);
    bool failed = ferror(out) != 0;
    failed = fclose(out) != 0 || failed;
    if (failed) {
        free(text);
        return NULL;
    }
    return text;
}

static void error_print(FILE *out, const void *what, const struct explain_context *own)
{
    const struct vg_error *error = what;
    explainer_find(error->kind)(out, error, own);
}

/** What fatal_print() tells. */
struct fatal {
    const struct vg_report *report; /**< the report with a fatal signal */
    bool with_where;                /**< say where it hit */
};

static void fatal_print(FILE *out, const void *what, const struct explain_context *own)
{
    const struct fatal *fatal = what;
    const char *topic = signal_print(out, fatal->report);
    if (fatal->with_where)
        where_print(out, &fatal->report->signal_stack, own);
    lesson_print(out, own, topic);
}

bool explain_is_learners(const struct vg_error *error, const char *const *own_files)
{
    return frame_find(&error->stack, own_files) != NULL;
}

bool explain_block_is_learners(const struct vg_error *error,
                               const struct explain_context *ctx,
                               const char *const *allocator_files)
{
    for (size_t i = 0; i < error->stack.len; i++) {
        const char *file = error->stack.frames[i].file;
        if (file == NULL || file_listed(file, allocator_files))
            continue; /* the C library's allocator, or the course's wrapper */
        return file_listed(file, ctx->learner_files);
    }
    return false;
}

char *explain_error(const struct vg_error *error, const struct explain_context *ctx)
{
    return text_build(error_print, error, ctx);
}

char *explain_fatal_signal(const struct vg_report *report, const struct explain_context *ctx,
                           bool with_where)
{
    if (report->fatal_signal == 0)
        return NULL;
    const struct fatal fatal = { report, with_where };
    return text_build(fatal_print, &fatal, ctx);
}

bool explain_same_place(const struct vg_report *report, const struct vg_error *error,
                        const struct explain_context *ctx)
{
    const struct vg_frame *crash = frame_pick(&report->signal_stack, ctx);
    const struct vg_frame *place = frame_pick(&error->stack, ctx);
    if (crash == NULL || place == NULL)
        return crash == place;
    return crash->line == place->line && crash->file && place->file
           && strcmp(crash->file, place->file) == 0 && crash->fn && place->fn
           && strcmp(crash->fn, place->fn) == 0;
}

/** Frames of a stopped test's stack that are shown. */
#define STOPPED_FRAMES_SHOWN 4

/* "Stopped at vector.c:67 in vector_next_cap(), called from vector.c:78 in
 * vector_push(), called from vector_test.c:22 in vector_of().": from the
 * first frame in the learner's or the test's files, up to the test's. */
static void stopped_print(FILE *out, const void *what, const struct explain_context *own)
{
    const struct vg_stack *stack = what;
    size_t first = 0;
    while (first < stack->len && !file_listed(stack->frames[first].file, own->learner_files)
           && !file_listed(stack->frames[first].file, own->test_files))
        first++;
    if (first == stack->len)
        return;
    fputs("Stopped ", out);
    if (first > 0 && stack->frames[0].fn) {
        fputs("inside ", out);
        fn_print(out, stack->frames[0].fn);
        fputs(", called from ", out);
    } else {
        fputs("at ", out);
    }
    for (size_t i = first, shown = 0; i < stack->len && shown < STOPPED_FRAMES_SHOWN; i++) {
        const struct vg_frame *frame = &stack->frames[i];
        if (!frame_named(frame))
            continue;
        if (shown++ > 0)
            fputs(", called from ", out);
        frame_print(out, frame, own);
        if (file_listed(frame->file, own->test_files))
            break;
    }
    fputs(".\n", out);
}

char *explain_stopped(const struct vg_stack *stack, const struct explain_context *ctx)
{
    char *text = stack && stack->len ? text_build(stopped_print, stack, ctx) : NULL;
    if (text && !text[0]) {
        free(text);
        text = NULL;
    }
    return text;
}
