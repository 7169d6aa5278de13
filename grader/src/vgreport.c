/**
 * @file vgreport.c
 * @brief Reads one Valgrind memcheck XML report (protocol 4) with libxml2.
 *
 * How a report is read:
 *  1. libxml2 parses the file in recover mode, so a file cut short by a
 *     killed process still gives the tree of everything before the cut.
 *  2. The root must be `<valgrindoutput>`; any other file is not a report.
 *  3. Each `<error>` becomes one vg_error. Its first `<stack>` is where the
 *     error happened. Every later `<stack>` is described by the `<auxwhat>`
 *     just before it: "... free'd" (where the block was freed),
 *     "... alloc'd" or "Block was alloc'd at" (where it was allocated),
 *     "Uninitialised value was created by ..." (the origin of the value).
 *  4. In a cut file the last element may itself be cut: an element is whole
 *     only when something follows it, or when the file is well formed.
 *     Cut errors are dropped rather than reported half-read.
 *  5. Valgrind's words are read into numbers once, here: the access size
 *     ("Invalid write of size 4"), where the address lies ("Address 0x.. is
 *     0 bytes after a block of size 40 alloc'd") and how a leak splits
 *     ("32 (16 direct, 16 indirect) bytes"). Explanations use the numbers.
 */
#define _POSIX_C_SOURCE 200809L
#include "vgreport.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "util.h"

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

/** A report larger than this is not read: one test's errors never need it,
 *  and learner code could make the file grow without end. */
#define VG_REPORT_MAX_BYTES (32L << 20)

/**
 * libxml2 parser options for reports. Recover mode keeps what precedes a
 * cut; the others keep libxml2 off the network and off stderr, which belongs
 * to the grader's own messages.
 */
#define VG_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_RECOVER | \
                          XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static bool node_is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE &&
           xmlStrcmp(node->name, (const xmlChar *)name) == 0;
}

/* Returns the first element child of @p parent named @p name, or NULL. */
static const xmlNode *child_find(const xmlNode *parent, const char *name)
{
    for (const xmlNode *child = parent->children; child; child = child->next)
        if (node_is(child, name))
            return child;
    return NULL;
}

/*
 * Returns the text directly inside @p node without copying it, "" when
 * there is none. Enough for numbers and keywords, which hold no entities.
 */
static const char *text_peek(const xmlNode *node)
{
    if (node == NULL)
        return "";
    for (const xmlNode *child = node->children; child; child = child->next)
        if (child->type == XML_TEXT_NODE && child->content)
            return (const char *)child->content;
    return "";
}

/* Reads the number inside @p node (decimal, or hex with 0x); 0 when absent. */
static unsigned long long number_peek(const xmlNode *node)
{
    const char *text = text_peek(node);
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 0);
    if (errno != 0 || end == text)
        return 0;
    return value;
}

/*
 * Copies the text of @p node, without surrounding white space (Valgrind
 * ends some <what> lines with a newline), into @p out. A missing node
 * gives NULL. Returns 0 or -ENOMEM.
 */
static int text_dup(const xmlNode *node, char **out)
{
    *out = NULL;
    if (node == NULL)
        return 0;
    xmlChar *content = xmlNodeGetContent(node);
    if (content == NULL)
        return -ENOMEM;
    const char *start = (const char *)content;
    while (isspace((unsigned char)*start))
        start++;
    size_t len = strlen(start);
    while (len > 0 && isspace((unsigned char)start[len - 1]))
        len--;
    char *copy = strndup(start, len);
    xmlFree(content);
    *out = copy;
    return copy ? 0 : -ENOMEM;
}

/* ---- Valgrind's words, read into numbers ------------------------------ */

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
static bool block_parse(const char *words, struct vg_address *out)
{
    const char *at = strstr(words, " is ");
    if (at == NULL)
        return false;
    at += strlen(" is ");
    if (!count_read(&at, &out->offset))
        return false;
    if (strncmp(at, " bytes after ", 13) == 0)
        out->side = VG_SIDE_AFTER;
    else if (strncmp(at, " bytes before ", 14) == 0)
        out->side = VG_SIDE_BEFORE;
    else if (strncmp(at, " bytes inside ", 14) == 0)
        out->side = VG_SIDE_INSIDE;
    else
        return false;
    if (!count_after(at, "block of size ", &out->size))
        return false;
    out->freed = strstr(at, "free'd") != NULL;
    return true;
}

/* Reads an auxwhat such as "Address 0x.. is 0 bytes after a block of size 40 alloc'd". */
static struct vg_address address_parse(const char *words)
{
    struct vg_address address = { .place = VG_PLACE_UNKNOWN };
    if (words == NULL)
        return address;
    if (strstr(words, "'s stack") || strstr(words, "below stack pointer")) {
        address.place = VG_PLACE_STACK;
    } else if (strstr(words, "not stack'd, malloc'd")) {
        address.place = VG_PLACE_NOWHERE;
        address.null = address_value(words) < NULL_PAGE_SIZE;
    } else if (strstr(words, "data symbol")) {
        address.place = VG_PLACE_GLOBAL;
    } else if (block_parse(words, &address)) {
        address.place = VG_PLACE_BLOCK;
    }
    return address;
}

void vg_error_words_read(struct vg_error *error)
{
    char *variable = error->address.variable;
    error->address = address_parse(error->auxwhat);
    error->address.variable = variable;
    if (!count_after(error->what, "of size ", &error->access_size))
        error->access_size = 0;
    /* "32 (16 direct, 16 indirect) bytes in 1 blocks are definitely lost" */
    const char *open = error->what ? strchr(error->what, '(') : NULL;
    if (open == NULL || !count_after(open, "(", &error->leaked_direct)
        || !count_after(open, "direct, ", &error->leaked_indirect))
        error->leaked_direct = error->leaked_indirect = 0;
}

void vg_frame_done(struct vg_frame *frame)
{
    free(frame->fn);
    free(frame->dir);
    free(frame->file);
    free(frame->obj);
    memset(frame, 0, sizeof *frame);
}

static int frame_load(const xmlNode *node, struct vg_frame *out)
{
    int err = text_dup(child_find(node, "fn"), &out->fn);
    if (err == 0)
        err = text_dup(child_find(node, "dir"), &out->dir);
    if (err == 0)
        err = text_dup(child_find(node, "file"), &out->file);
    if (err == 0)
        err = text_dup(child_find(node, "obj"), &out->obj);
    out->line = (int)number_peek(child_find(node, "line"));
    return err;
}

void vg_stack_done(struct vg_stack *stack)
{
    for (size_t i = 0; i < stack->len; i++)
        vg_frame_done(&stack->frames[i]);
    free(stack->frames);
    stack->frames = NULL;
    stack->len = 0;
}

/* Fills @p out from a <stack>. On failure, @p out holds what was read. */
static int stack_load(const xmlNode *node, struct vg_stack *out)
{
    size_t count = 0;
    for (const xmlNode *child = node->children; child; child = child->next)
        count += node_is(child, "frame");
    if (count == 0)
        return 0;
    out->frames = calloc(count, sizeof *out->frames);
    if (out->frames == NULL)
        return -ENOMEM;
    for (const xmlNode *child = node->children; child; child = child->next) {
        if (!node_is(child, "frame"))
            continue;
        /* Counted before loading, so that vg_stack_done() frees a half frame. */
        int err = frame_load(child, &out->frames[out->len++]);
        if (err)
            return err;
    }
    return 0;
}

static void error_done(struct vg_error *error)
{
    free(error->kind);
    free(error->what);
    free(error->auxwhat);
    free(error->address.variable);
    vg_stack_done(&error->stack);
    vg_stack_done(&error->freed_at);
    vg_stack_done(&error->alloc_at);
    vg_stack_done(&error->origin);
    memset(error, 0, sizeof *error);
}

/*
 * Returns the stack that a <stack> following the auxwhat @p words
 * describes, or NULL when the words say nothing Valgrind is known to
 * follow with a stack.
 */
static struct vg_stack *stack_slot(struct vg_error *error, const char *words)
{
    if (words == NULL)
        return NULL;
    if (strstr(words, "free'd"))
        return &error->freed_at;
    if (strstr(words, "alloc'd"))
        return &error->alloc_at;
    if (strstr(words, "created by"))
        return &error->origin;
    return NULL;
}

/* Reads <xwhat>: the headline of leaks, with their byte and block counts. */
static int xwhat_load(const xmlNode *node, struct vg_error *out)
{
    out->leaked_bytes = (size_t)number_peek(child_find(node, "leakedbytes"));
    out->leaked_blocks = (size_t)number_peek(child_find(node, "leakedblocks"));
    free(out->what);
    return text_dup(child_find(node, "text"), &out->what);
}

/* Reads an <auxwhat> or <xauxwhat>, the latter holding its words in <text>. */
static int auxwhat_load(const xmlNode *node, char **out)
{
    const xmlNode *words = node_is(node, "xauxwhat") ? child_find(node, "text") : node;
    return text_dup(words, out);
}

/* Reads one <stack> of an error into the place the preceding words say. */
static int error_stack_load(const xmlNode *node, struct vg_error *out,
                            bool *seen_first, const char *latest_auxwhat)
{
    struct vg_stack *slot = &out->stack;
    if (*seen_first)
        slot = stack_slot(out, latest_auxwhat);
    *seen_first = true;
    /* A second stack for the same place would be Valgrind's news to us:
     * keep the first, which is the one the documentation describes. */
    if (slot == NULL || slot->len > 0)
        return 0;
    return stack_load(node, slot);
}

/* Fills @p out from an <error>. On failure, @p out holds what was read. */
static int error_load(const xmlNode *node, struct vg_error *out)
{
    bool seen_first_stack = false;
    char *latest_auxwhat = NULL; /* the words that describe the next stack */
    int err = 0;
    for (const xmlNode *child = node->children; child && err == 0;
         child = child->next) {
        if (node_is(child, "kind")) {
            free(out->kind);
            err = text_dup(child, &out->kind);
        } else if (node_is(child, "what")) {
            free(out->what);
            err = text_dup(child, &out->what);
        } else if (node_is(child, "xwhat")) {
            err = xwhat_load(child, out);
        } else if (node_is(child, "auxwhat") || node_is(child, "xauxwhat")) {
            free(latest_auxwhat);
            err = auxwhat_load(child, &latest_auxwhat);
            if (err == 0 && out->auxwhat == NULL && latest_auxwhat) {
                out->auxwhat = strdup(latest_auxwhat);
                err = out->auxwhat ? 0 : -ENOMEM;
            }
        } else if (node_is(child, "stack")) {
            err = error_stack_load(child, out, &seen_first_stack, latest_auxwhat);
        }
    }
    free(latest_auxwhat);
    /* Readers may print and compare these without checking: never NULL. */
    if (err == 0 && out->kind == NULL)
        err = (out->kind = strdup("")) ? 0 : -ENOMEM;
    if (err == 0 && out->what == NULL)
        err = (out->what = strdup("")) ? 0 : -ENOMEM;
    if (err == 0)
        vg_error_words_read(out);
    return err;
}

/* An element is whole if the file is, or if anything was written after it. */
static bool node_is_whole(const xmlNode *node, bool file_whole)
{
    return file_whole || node->next != NULL;
}

static int fatal_signal_load(const xmlNode *node, struct vg_report *out)
{
    out->fatal_signal = (int)number_peek(child_find(node, "signo"));
    out->signal_addr = number_peek(child_find(node, "siaddr"));
    out->stack_overflow = out->fatal_signal == SIGSEGV && out->signal_addr >= VG_STACK_FLOOR
                          && out->signal_addr < VG_STACK_TOP;
    const xmlNode *stack = child_find(node, "stack");
    return stack ? stack_load(stack, &out->signal_stack) : 0;
}

/* Fills @p out from the children of <valgrindoutput>. */
static int report_fill(const xmlNode *root, bool file_whole, struct vg_report *out)
{
    size_t count = 0;
    for (const xmlNode *child = root->children; child; child = child->next)
        count += node_is(child, "error") && node_is_whole(child, file_whole);
    if (count > 0) {
        out->errors = calloc(count, sizeof *out->errors);
        if (out->errors == NULL)
            return -ENOMEM;
    }
    bool saw_finished = false;
    int err = 0;
    for (const xmlNode *child = root->children; child && err == 0;
         child = child->next) {
        if (node_is(child, "pid")) {
            out->pid = (int)number_peek(child);
        } else if (node_is(child, "status")) {
            const char *state = text_peek(child_find(child, "state"));
            saw_finished = saw_finished || strcmp(state, "FINISHED") == 0;
        } else if (node_is(child, "fatal_signal")) {
            err = fatal_signal_load(child, out);
        } else if (node_is(child, "error") && node_is_whole(child, file_whole)) {
            /* Counted before loading, so that vg_report_done() frees a half error. */
            err = error_load(child, &out->errors[out->n_errors++]);
        }
    }
    /* Leak errors come after the FINISHED status: only a whole file has them all. */
    out->finished = saw_finished && file_whole;
    return err;
}

/*
 * Parses the file open on @p fd. Sets @p file_whole to whether it is well
 * formed: recover mode builds a tree even from a cut file, and only the
 * parser context remembers that it was cut. Returns the tree or NULL.
 */
static xmlDoc *doc_read(int fd, const char *path, bool *file_whole)
{
    xmlParserCtxt *parser = xmlNewParserCtxt();
    if (parser == NULL)
        return NULL;
    xmlDoc *doc = xmlCtxtReadFd(parser, fd, path, NULL, VG_PARSE_OPTIONS);
    *file_whole = parser->wellFormed != 0;
    xmlFreeParserCtxt(parser);
    return doc;
}

int vg_report_load(const char *path, struct vg_report *out)
{
    memset(out, 0, sizeof *out);
    /* The file is opened here, not by libxml2, whose I/O errors would go to
     * stderr whatever the options say. */
    off_t size = 0;
    int fd = file_open_untrusted(path, &size);
    if (fd < 0)
        return fd == -ENOENT || fd == -ENOTDIR ? -ENOENT : -EINVAL;
    bool file_whole = false;
    xmlDoc *doc = NULL;
    if (size <= VG_REPORT_MAX_BYTES)
        doc = doc_read(fd, path, &file_whole);
    close(fd);
    if (doc == NULL)
        return -EINVAL;

    const xmlNode *root = xmlDocGetRootElement(doc);
    int err = -EINVAL;
    if (root && node_is(root, "valgrindoutput"))
        err = report_fill(root, file_whole, out);
    xmlFreeDoc(doc);
    if (err)
        vg_report_done(out);
    return err;
}

void vg_report_done(struct vg_report *report)
{
    if (report == NULL)
        return;
    for (size_t i = 0; i < report->n_errors; i++)
        error_done(&report->errors[i]);
    free(report->errors);
    vg_stack_done(&report->signal_stack);
    memset(report, 0, sizeof *report);
}
