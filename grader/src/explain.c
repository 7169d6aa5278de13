/**
 * @file explain.c
 * @brief Memcheck errors told in plain words, pointing at the learner's code.
 *
 * An explanation has up to four lines, each built from the report alone:
 *  1. what happened, from the error kind and Valgrind's own numbers (access
 *     size, offset from the block, block size, bytes lost);
 *  2. where: the first frame in the learner's files, else in the test's,
 *     else the first frame that has a name; an error inside a library
 *     function (memcpy, strlen, free...) names that function and the code
 *     that called it;
 *  3. where the block involved was allocated and freed, or where an
 *     uninitialised value came from;
 *  4. the lesson section that teaches the fix.
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

/** The lesson text on the stack, from the course root. */
#define LESSON_STACK "lessons/01-stack-frames/README.md"
/** The lesson text on the heap, from the course root. */
#define LESSON_HEAP "lessons/02-heap/README.md"

/**
 * Top of the main thread's stack under Valgrind.
 *
 * Valgrind 3.19 on amd64 puts the main thread's stack just below
 * 0x1fff001000 and caps it at 16 MiB; a fault in the 4 GiB below that top
 * is the stack growing past its limit (deep recursion or a huge local
 * array). Nothing else of the program's is mapped there.
 */
#define VG_STACK_TOP 0x1fff001000ULL
/** Bottom of the 4 GiB below #VG_STACK_TOP where a fault is a stack overflow. */
#define VG_STACK_FLOOR 0x1eff001000ULL

/** Size of the first page: an address in it is a NULL pointer plus a field
 *  offset. */
#define NULL_PAGE_SIZE 4096ULL

/** The files whose frames a learner can act on. */
struct own_files {
    const char *const *learner; /**< the learner's sources, NULL-terminated */
    const char *const *test;    /**< the test's sources, NULL-terminated */
};

/** Where an address lies, as Valgrind's "Address 0x... is ..." line says. */
enum place {
    PLACE_UNKNOWN, /**< no description, or words we do not know */
    PLACE_BLOCK,   /**< near or in a heap block */
    PLACE_STACK,   /**< on a thread's stack, below its stack pointer */
    PLACE_GLOBAL,  /**< inside a global variable */
    PLACE_NOWHERE, /**< in no block, no stack, no variable */
};

/** Which side of a block an address lies on. */
enum side {
    SIDE_INSIDE, /**< offset counts from the block's start */
    SIDE_AFTER,  /**< offset counts from the byte just past the end */
    SIDE_BEFORE, /**< offset counts back from the block's start */
};

/** An address description, read from an auxwhat line. */
struct address {
    enum place place;  /**< what kind of memory the address is in */
    enum side side;    /**< for PLACE_BLOCK */
    size_t offset;     /**< bytes from the edge that @c side names */
    size_t block_size; /**< bytes in the block, for PLACE_BLOCK */
    bool freed;        /**< the block had already been freed */
    bool null;         /**< PLACE_NOWHERE within the first page: a NULL pointer */
};

/* ---- Reading Valgrind's words ------------------------------------------ */

/*
 * Reads a decimal count at @p *text, which may hold the thousands
 * separators Valgrind prints ("1,968"), and moves @p *text past it.
 */
static bool count_read(const char **text, size_t *out)
{
    const char *at = *text;
    size_t value = 0;
    bool any = false;
    for (; (*at >= '0' && *at <= '9') || (*at == ',' && any); at++) {
        if (*at == ',')
            continue;
        if (value > (SIZE_MAX - 9) / 10)
            return false; /* no block is that large: not a count we know */
        value = value * 10 + (size_t)(*at - '0');
        any = true;
    }
    if (any) {
        *text = at;
        *out = value;
    }
    return any;
}

/* Reads the count right after the first @p marker in @p text. */
static bool count_after(const char *text, const char *marker, size_t *out)
{
    const char *at = text ? strstr(text, marker) : NULL;
    if (at == NULL)
        return false;
    at += strlen(marker);
    return count_read(&at, out);
}

/* Reads the hex address after "Address " in @p words; 0 when absent. */
static unsigned long long address_value(const char *words)
{
    const char *at = strstr(words, "Address 0x");
    return at ? strtoull(at + strlen("Address "), NULL, 16) : 0;
}

/* Reads "is N bytes after|before|inside a block of size S alloc'd|free'd". */
static bool block_parse(const char *words, struct address *out)
{
    const char *at = strstr(words, " is ");
    if (at == NULL)
        return false;
    at += strlen(" is ");
    if (!count_read(&at, &out->offset))
        return false;
    if (strncmp(at, " bytes after ", 13) == 0)
        out->side = SIDE_AFTER;
    else if (strncmp(at, " bytes before ", 14) == 0)
        out->side = SIDE_BEFORE;
    else if (strncmp(at, " bytes inside ", 14) == 0)
        out->side = SIDE_INSIDE;
    else
        return false;
    if (!count_after(at, "block of size ", &out->block_size))
        return false;
    out->freed = strstr(at, "free'd") != NULL;
    return true;
}

/* Reads an auxwhat such as "Address 0x.. is 0 bytes after a block of size 40 alloc'd". */
static struct address address_parse(const char *words)
{
    struct address address = { .place = PLACE_UNKNOWN };
    if (words == NULL)
        return address;
    if (strstr(words, "'s stack") || strstr(words, "below stack pointer")) {
        address.place = PLACE_STACK;
    } else if (strstr(words, "not stack'd, malloc'd")) {
        address.place = PLACE_NOWHERE;
        address.null = address_value(words) < NULL_PAGE_SIZE;
    } else if (strstr(words, "data symbol")) {
        address.place = PLACE_GLOBAL;
    } else if (block_parse(words, &address)) {
        address.place = PLACE_BLOCK;
    }
    return address;
}

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
                                         const struct own_files *own)
{
    const struct vg_frame *frame = frame_find(stack, own->learner);
    if (frame == NULL)
        frame = frame_find(stack, own->test);
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

/* Prints "vector.c:42 in vector_push()", or what the frame knows of it. */
static void frame_print(FILE *out, const struct vg_frame *frame)
{
    if (frame->file && frame->line > 0)
        fprintf(out, "%s:%d in ", frame->file, frame->line);
    else if (frame->file)
        fprintf(out, "%s in ", frame->file);
    fn_print(out, frame->fn);
    if (frame->file == NULL && frame->obj)
        fprintf(out, " (in %s)", path_base(frame->obj));
}

/*
 * Prints where the error happened. When the innermost frame is not the one
 * shown, the error is inside a library function: name it and its caller.
 */
static void where_print(FILE *out, const struct vg_stack *stack,
                        const struct own_files *own)
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
    frame_print(out, frame);
    fputs(".\n", out);
}

/*
 * Prints "The block was allocated at A and freed at F." with the parts
 * Valgrind reported; @p freed_words says how the freeing is named.
 */
static void blocks_print(FILE *out, const struct vg_error *error,
                         const struct own_files *own, const char *freed_words)
{
    const struct vg_frame *alloc = frame_pick(&error->alloc_at, own);
    const struct vg_frame *freed = frame_pick(&error->freed_at, own);
    if (alloc == NULL && freed == NULL)
        return;
    fputs("The block was ", out);
    if (alloc) {
        fputs("allocated at ", out);
        frame_print(out, alloc);
    }
    if (freed) {
        fprintf(out, "%s%s at ", alloc ? " and " : "", freed_words);
        frame_print(out, freed);
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
                         const struct own_files *own)
{
    const struct vg_frame *frame = frame_pick(&error->origin, own);
    if (frame == NULL)
        return;
    if (origin_is_heap(&error->origin)) {
        fputs("The value comes from a block allocated at ", out);
        frame_print(out, frame);
        fputs(" and never written since (malloc does not clear memory).\n", out);
    } else if (frame->fn && frame->file && frame->line > 0) {
        fputs("The value comes from a local variable of ", out);
        fn_print(out, frame->fn);
        fprintf(out, " (%s:%d) that was never set.\n", frame->file, frame->line);
    } else {
        fputs("The value comes from a local variable, never set, of ", out);
        frame_print(out, frame);
        fputs(".\n", out);
    }
}

/* Doxygen has one struct namespace for the whole project and would merge
 * this file's struct lesson into course.h's: it is left out of the docs. */
/** @cond INTERNAL */
/* A section of a lesson's README. */
struct lesson {
    const char *file;    /* README path from the course root */
    const char *section; /* section title, exactly as in the README; NULL: none */
};
/** @endcond */

/** No lesson section to point to. */
#define NO_LESSON ((struct lesson){ NULL, NULL })
/** Section @p section of the heap lesson, #LESSON_HEAP. */
#define HEAP_LESSON(section) ((struct lesson){ LESSON_HEAP, section })
/** Section @p section of the stack lesson, #LESSON_STACK. */
#define STACK_LESSON(section) ((struct lesson){ LESSON_STACK, section })

static void lesson_print(FILE *out, struct lesson lesson)
{
    if (lesson.section)
        fprintf(out, "Read: %s, section \"%s\".\n", lesson.file, lesson.section);
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
                        const struct own_files *own);

/* Prints where an access fell relative to a block, after "Read 4 bytes". */
static void block_access_print(FILE *out, const struct address *address)
{
    if (address->side == SIDE_AFTER && address->offset == 0)
        fputs(" just past the end of", out);
    else if (address->side == SIDE_AFTER)
        fprintf(out, " %zu byte%s past the end of", address->offset,
                address->offset == 1 ? "" : "s");
    else if (address->side == SIDE_BEFORE)
        fprintf(out, " %zu byte%s before the start of", address->offset,
                address->offset == 1 ? "" : "s");
    else
        fprintf(out, " at offset %zu of", address->offset);
    fprintf(out, " a %zu-byte block", address->block_size);
    if (address->freed)
        fputs(" that was already freed (use after free)", out);
    else if (address->side == SIDE_INSIDE)
        fputs(", running past its end", out);
    fputs(".\n", out);
}

/* Returns the lesson that teaches how not to touch memory at @p address. */
static struct lesson address_lesson(const struct address *address)
{
    if (address->place == PLACE_BLOCK)
        return HEAP_LESSON(address->freed ? "Use after free"
                                          : "Writing past the end of a block");
    if (address->place == PLACE_STACK)
        return STACK_LESSON("Dangling pointers to locals");
    return NO_LESSON;
}

/* Prints the rest of "Read 4 bytes ..." for @p address. */
static void access_print(FILE *out, const struct address *address, bool is_write)
{
    switch (address->place) {
    case PLACE_BLOCK:
        block_access_print(out, address);
        return;
    case PLACE_STACK:
        fprintf(out, " %s the stack memory of a function that has already "
                     "returned (a dangling pointer to one of its local variables).\n",
                is_write ? "to" : "from");
        return;
    case PLACE_NOWHERE:
        fputs(address->null ? " through a NULL pointer.\n"
                            : " at an address that is in no block and no variable: "
                              "a pointer that was never set, or that points far "
                              "from where it should.\n",
              out);
        return;
    case PLACE_GLOBAL:
    case PLACE_UNKNOWN:
        break;
    }
    fputs(" of memory the program may not use.\n", out);
}

/* InvalidRead, InvalidWrite: "Wrote 1 byte just past the end of a 4-byte block." */
static void access_explain(FILE *out, const struct vg_error *error,
                           const struct own_files *own)
{
    bool is_write = strcmp(error->kind, "InvalidWrite") == 0;
    size_t size = 0;
    fputs(is_write ? "Wrote " : "Read ", out);
    if (count_after(error->what, "of size ", &size))
        bytes_print(out, size);
    else
        fputs("memory", out);
    struct address address = address_parse(error->auxwhat);
    access_print(out, &address, is_write);
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "freed");
    lesson_print(out, address_lesson(&address));
}

/* True when realloc, not free, was handed the bad pointer. */
static bool freed_by_realloc(const struct vg_stack *stack)
{
    const char *fn = stack->len > 0 ? stack->frames[0].fn : NULL;
    return fn && strncmp(fn, "realloc", strlen("realloc")) == 0;
}

/* InvalidFree: a double free, or free() of a pointer malloc never returned. */
static void free_explain(FILE *out, const struct vg_error *error,
                         const struct own_files *own)
{
    struct address address = address_parse(error->auxwhat);
    bool by_free = !freed_by_realloc(&error->stack);
    const char *verb = by_free ? "Freed" : "Passed realloc()";
    if (address.place == PLACE_BLOCK && address.freed) {
        fprintf(out, "%s a block that was already freed%s.\n", verb,
                by_free ? " (double free)" : "");
    } else {
        fprintf(out, "%s a pointer that malloc never returned", verb);
        if (address.place == PLACE_STACK)
            fputs(": it is the address of a local variable", out);
        else if (address.place == PLACE_GLOBAL)
            fputs(": it is the address of a global variable", out);
        else if (address.place == PLACE_BLOCK && address.side == SIDE_INSIDE)
            fprintf(out, ": it points %zu byte%s into a %zu-byte block",
                    address.offset, address.offset == 1 ? "" : "s",
                    address.block_size);
        fputs(".\n", out);
    }
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "first freed");
    lesson_print(out, HEAP_LESSON("Double free and invalid free"));
}

static void mismatch_explain(FILE *out, const struct vg_error *error,
                             const struct own_files *own)
{
    fputs("Released a block with a function that does not match the one that "
          "allocated it: free() goes with malloc(), delete with new, delete[] "
          "with new[].\n", out);
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "freed");
    lesson_print(out, HEAP_LESSON("Double free and invalid free"));
}

static void jump_explain(FILE *out, const struct vg_error *error,
                         const struct own_files *own)
{
    struct address address = address_parse(error->auxwhat);
    if (address.place == PLACE_NOWHERE && address.null)
        fputs("Called a function through a NULL function pointer.\n", out);
    else
        fputs("Jumped to an address that holds no code: a function pointer that "
              "was never set or was overwritten, or a return address overwritten "
              "by a write past the end of a local array.\n", out);
    where_print(out, &error->stack, own);
}

/* Overlap: "Source and destination overlap in strcpy(0x.., 0x..)". */
static void overlap_explain(FILE *out, const struct vg_error *error,
                            const struct own_files *own)
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
                           const struct own_files *own)
{
    if (strcmp(error->kind, "UninitCondition") == 0)
        fputs("A decision (if/while/?:) depends on memory that was never "
              "initialised.\n", out);
    else
        fputs("Used a value that was never initialised, as an address or an "
              "index, or inside a library function such as printf().\n", out);
    where_print(out, &error->stack, own);
    origin_print(out, error, own);
    lesson_print(out, HEAP_LESSON("Uninitialised reads"));
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
                            const struct own_files *own)
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
        lesson_print(out, HEAP_LESSON("Uninitialised reads"));
    } else {
        struct address address = address_parse(error->auxwhat);
        lesson_print(out, address_lesson(&address));
    }
}

/* FishyValue: "Argument 'size' of function malloc has a fishy (possibly negative) value: -1". */
static void fishy_explain(FILE *out, const struct vg_error *error,
                          const struct own_files *own)
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
 * through it)" from "32 (16 direct, 16 indirect) bytes in 1 blocks ...". */
static void leak_split_print(FILE *out, const struct vg_error *error)
{
    size_t direct = 0;
    size_t indirect = 0;
    const char *open = error->what ? strchr(error->what, '(') : NULL;
    if (open == NULL || !count_after(open, "(", &direct) ||
        !count_after(open, "direct, ", &indirect))
        return;
    bool one = error->leaked_blocks == 1;
    fputs(" (", out);
    bytes_print(out, direct);
    fputs(one ? " in the block itself, " : " in the blocks themselves, ", out);
    bytes_print(out, indirect);
    fprintf(out, " in blocks reachable only through %s)", one ? "it" : "them");
}

/* Leak_*: how much was lost, how, and where it was allocated. */
static void leak_explain(FILE *out, const struct vg_error *error,
                         const struct own_files *own)
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
        frame_print(out, frame);
        fputs(".\n", out);
    }
    lesson_print(out, HEAP_LESSON("Leaks"));
}

/* Any other kind, known or not: Valgrind's own words, without addresses. */
static void other_explain(FILE *out, const struct vg_error *error,
                          const struct own_files *own)
{
    if (error->what) {
        fputs("Valgrind reports: ", out);
        words_print(out, error->what);
        fputs(".\n", out);
    } else {
        fprintf(out, "Valgrind reports an error of kind %s.\n",
                error->kind ? error->kind : "unknown");
    }
    where_print(out, &error->stack, own);
    blocks_print(out, error, own, "freed");
    origin_print(out, error, own);
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

static bool signal_is_stack_overflow(const struct vg_report *report)
{
    return report->fatal_signal == SIGSEGV &&
           report->signal_addr >= VG_STACK_FLOOR &&
           report->signal_addr < VG_STACK_TOP;
}

/* Prints what the signal means; returns true for a stack overflow. */
static bool signal_print(FILE *out, const struct vg_report *report)
{
    int signo = report->fatal_signal;
    if (signal_is_stack_overflow(report)) {
        fputs("The program ran out of stack (a stack overflow): usually a "
              "recursion that never reaches its base case, or a very large "
              "local array.\n", out);
        return true;
    }
    if (signo == SIGSEGV && report->signal_addr < NULL_PAGE_SIZE)
        fputs("The program crashed (SIGSEGV, segmentation fault) using a NULL "
              "pointer.\n", out);
    else if (signo == SIGSEGV)
        fputs("The program crashed (SIGSEGV, segmentation fault): it touched "
              "memory it may not use, through a pointer that was never set, "
              "already freed, or out of bounds.\n", out);
    else if (signo == SIGABRT)
        fputs("The program stopped itself (SIGABRT): abort() was called, by a "
              "failed assert() or by the C library finding the heap "
              "corrupted.\n", out);
    else if (signo == SIGFPE)
        fputs("The program crashed on an arithmetic error (SIGFPE), such as an "
              "integer division by zero.\n", out);
    else if (signo == SIGBUS)
        fputs("The program crashed (SIGBUS, bus error) touching memory that "
              "does not exist behind its address.\n", out);
    else if (signo == SIGILL)
        fputs("The program crashed (SIGILL) running something that is not an "
              "instruction, often through a corrupted function pointer.\n", out);
    else if (signo == SIGPROF || signo == SIGTERM || signo == SIGALRM)
        fputs("The program was stopped because it ran past its time limit (an "
              "endless loop, or code that waits forever).\n", out);
    else
        fprintf(out, "The program was ended by signal %d.\n", signo);
    return false;
}

/* ---- Public -------------------------------------------------------------- */

/* Runs @p print into a new string; NULL when memory runs out. */
static char *text_build(void (*print)(FILE *out, const void *what,
                                      const struct own_files *own),
                        const void *what, const struct own_files *own)
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

static void error_print(FILE *out, const void *what, const struct own_files *own)
{
    const struct vg_error *error = what;
    explainer_find(error->kind)(out, error, own);
}

static void fatal_print(FILE *out, const void *what, const struct own_files *own)
{
    const struct vg_report *report = what;
    bool overflow = signal_print(out, report);
    where_print(out, &report->signal_stack, own);
    if (overflow)
        lesson_print(out, STACK_LESSON("Stack overflow"));
}

bool explain_is_learners(const struct vg_error *error, const char *const *own_files)
{
    return frame_find(&error->stack, own_files) != NULL;
}

char *explain_error(const struct vg_error *error,
                    const char *const *learner_files,
                    const char *const *test_files)
{
    const struct own_files own = { learner_files, test_files };
    return text_build(error_print, error, &own);
}

char *explain_fatal_signal(const struct vg_report *report,
                           const char *const *learner_files,
                           const char *const *test_files)
{
    if (report->fatal_signal == 0)
        return NULL;
    const struct own_files own = { learner_files, test_files };
    return text_build(fatal_print, report, &own);
}
