/**
 * @file sanreport.c
 * @brief Reads sanitizer reports, line by line, into vgreport.h's structs.
 *
 * How a log is read (formats checked against gcc 12's libsanitizer and
 * clang's, whose words differ in places: "to the right of" / "after"):
 *  1. Each line loses its "==PID==" prefix, then is matched by its first
 *     words. A head line starts an error: "ERROR: AddressSanitizer: KIND",
 *     "Direct leak of N byte(s) in M object(s)", "FILE:LINE:COL: runtime
 *     error: WORDS". "SEGV on unknown address" and "stack-overflow" are
 *     deadly signals: they fill the report's fatal signal instead.
 *  2. The lines after a head describe it: "WRITE of size 4" (the access),
 *     "... is located 0 bytes to the right of 40-byte region" (a heap block),
 *     "... located in stack of thread T0" with "'buf' ... <== Memory access
 *     at offset 41 overflows this variable" (a local array), "... global
 *     variable 'table' ... of size 40" (a global array).
 *  3. Frame lines ("#3 0x55d0c6 in vector_push /path/vector.c:42:13") go to
 *     the stack the last line named (an interceptor's frame, such as
 *     "__interceptor_malloc", is named "malloc" in the sanitizer's runtime,
 *     with no source file, as memcheck names its own): where the error happened, "freed by
 *     thread T0 here:", "previously allocated by thread T0 here:". The
 *     frames that describe a stack address, and the shadow-byte map, go
 *     nowhere.
 *  4. Bounds: at most #SAN_MAX_ERRORS errors and #SAN_MAX_FRAMES frames a
 *     stack, names cut at #SAN_NAME_MAX bytes. Lines that match nothing are
 *     skipped, so a report cut short or mixed with the test's own output
 *     still gives what it holds.
 */
#define _POSIX_C_SOURCE 200809L
#include "sanreport.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Errors kept from one log: the first ones are the ones to fix. */
#define SAN_MAX_ERRORS 8
/** Frames kept of one stack: the learner's are near the top. */
#define SAN_MAX_FRAMES 48
/** Longest function, file or variable name kept, in bytes. */
#define SAN_NAME_MAX 256

/** What marks a report, and which sanitizer wrote it. */
static const struct mark {
    const char *words; /**< found anywhere in a line */
    const char *tool;  /**< the sanitizer's name */
} MARKS[] = {
    { "ERROR: AddressSanitizer", "AddressSanitizer" },
    { "ERROR: LeakSanitizer", "LeakSanitizer" },
    { "runtime error:", "UndefinedBehaviorSanitizer" },
};

/** One line of the log, without its end of line and "==PID==" prefix. */
struct line {
    const char *text; /**< its first character */
    size_t len;       /**< its length */
};

/** The reading state. */
struct parser {
    struct vg_report *out;  /**< what is filled */
    struct vg_error *error; /**< the error that lines describe now, or NULL */
    struct vg_stack *stack; /**< where frame lines go now, or NULL */
    bool merge_first;       /**< the stack's first frame came from a UBSan head
                                 line: the next "#0" frame names its function */
    int err;                /**< 0, or -ENOMEM */
};

/* ---- Small readers ------------------------------------------------------- */

/* Whether @p line starts with @p words. */
static bool starts(const struct line *line, const char *words)
{
    size_t len = strlen(words);
    return line->len >= len && memcmp(line->text, words, len) == 0;
}

/* Where @p words first occur in @p line, or NULL. */
static const char *find(const struct line *line, const char *words)
{
    size_t len = strlen(words);
    for (size_t i = 0; len <= line->len && i <= line->len - len; i++)
        if (memcmp(line->text + i, words, len) == 0)
            return line->text + i;
    return NULL;
}

/* Reads a decimal number at @p *at (before @p end) and moves past it. */
static bool number_read(const char **at, const char *end, size_t *out)
{
    size_t value = 0;
    const char *p = *at;
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
        if (value > (SIZE_MAX - 9) / 10)
            return false;
        value = value * 10 + (size_t)(*p - '0');
    }
    if (p == *at)
        return false;
    *at = p;
    *out = value;
    return true;
}

/* Reads the number right after @p words in @p line. */
static bool number_after(const struct line *line, const char *words, size_t *out)
{
    const char *at = find(line, words);
    if (at == NULL)
        return false;
    at += strlen(words);
    return number_read(&at, line->text + line->len, out);
}

/* A copy of @p len bytes at @p text, cut at #SAN_NAME_MAX; NULL for none. */
static char *name_copy(struct parser *p, const char *text, size_t len)
{
    if (len > SAN_NAME_MAX)
        len = SAN_NAME_MAX;
    char *copy = strndup(text, len);
    if (copy == NULL)
        p->err = -ENOMEM;
    return copy;
}

/* The text of @p line between quotes after @p words: 'buf' gives buf. */
static char *quoted_after(struct parser *p, const struct line *line, const char *words)
{
    const char *at = find(line, words);
    if (at == NULL)
        return NULL;
    const char *start = at + strlen(words);
    const char *end = line->text + line->len;
    const char *close = memchr(start, '\'', (size_t)(end - start));
    return close ? name_copy(p, start, (size_t)(close - start)) : NULL;
}

/* ---- Frames -------------------------------------------------------------- */

/* Function names as the learner wrote them: the sanitizer's interceptor of
 * strcmp is strcmp. */
static const char *fn_unwrapped(const char *fn, size_t *len)
{
    static const char *const wrappers[] = { "___interceptor_", "__interceptor_", "__asan_" };
    for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers; i++) {
        size_t n = strlen(wrappers[i]);
        if (*len > n && strncmp(fn, wrappers[i], n) == 0) {
            *len -= n;
            return fn + n;
        }
    }
    return fn;
}

/* Reads "PATH:LINE[:COL]" of @p len bytes into @p frame. */
static void location_read(struct parser *p, const char *text, size_t len,
                          struct vg_frame *frame)
{
    const char *end = text + len;
    size_t numbers[2] = { 0 };
    int n_numbers = 0;
    /* From the end: up to two ":DIGITS" groups are the line and column. */
    while (n_numbers < 2) {
        const char *colon = end;
        while (colon > text && colon[-1] >= '0' && colon[-1] <= '9')
            colon--;
        if (colon == end || colon == text || colon[-1] != ':')
            break;
        const char *at = colon;
        if (!number_read(&at, end, &numbers[n_numbers]))
            break;
        n_numbers++;
        end = colon - 1;
    }
    if (n_numbers == 2) {
        frame->line = numbers[1] <= INT32_MAX ? (int)numbers[1] : 0;
        frame->column = numbers[0] <= INT32_MAX ? (int)numbers[0] : 0;
    } else if (n_numbers == 1) {
        frame->line = numbers[0] <= INT32_MAX ? (int)numbers[0] : 0;
    }
    const char *slash = end;
    while (slash > text && slash[-1] != '/')
        slash--;
    if (slash < end)
        frame->file = name_copy(p, slash, (size_t)(end - slash));
    if (slash > text)
        frame->dir = name_copy(p, text, (size_t)(slash - 1 - text));
}

/* Reads "#3 0x55d0c6 in vector_push /path/vector.c:42:13" or
 * "#9 0x55d0 in _start (/path/tests+0x32a40)" into @p frame. */
static bool frame_read(struct parser *p, const struct line *line, struct vg_frame *frame)
{
    const char *at = line->text + 1, *end = line->text + line->len;
    size_t index = 0;
    if (!number_read(&at, end, &index) || end - at < 3 || strncmp(at, " 0x", 3) != 0)
        return false;
    at += 3;
    while (at < end && *at != ' ')
        at++;
    if (end - at > 4 && strncmp(at, " in ", 4) == 0) {
        const char *fn = at + 4;
        at = fn;
        while (at < end && *at != ' ')
            at++;
        size_t len = (size_t)(at - fn);
        const char *unwrapped = fn_unwrapped(fn, &len);
        frame->fn = name_copy(p, unwrapped, len);
        if (unwrapped != fn) {
            /* The sanitizer's own runtime, as memcheck's preload is: an
             * object, never a source file the learner could open. */
            frame->obj = name_copy(p, "libsanitizer", strlen("libsanitizer"));
            return true;
        }
    }
    while (at < end && *at == ' ')
        at++;
    if (at < end && *at == '(') {
        const char *obj = at + 1;
        const char *stop = obj;
        while (stop < end && *stop != '+' && *stop != ')')
            stop++;
        frame->obj = name_copy(p, obj, (size_t)(stop - obj));
    } else if (at < end) {
        const char *stop = memchr(at, ' ', (size_t)(end - at));
        location_read(p, at, (size_t)((stop ? stop : end) - at), frame);
    }
    return true;
}

/* Adds a frame line to the stack the report is describing now. */
static void frame_add(struct parser *p, const struct line *line)
{
    struct vg_stack *stack = p->stack;
    struct vg_frame frame = { 0 };
    if (stack == NULL || stack->len >= SAN_MAX_FRAMES || !frame_read(p, line, &frame)) {
        vg_frame_done(&frame);
        return;
    }
    if (p->merge_first && stack->len == 1) {
        /* UBSan's head gave the place; its "#0" frame adds the function. */
        struct vg_frame *first = &stack->frames[0];
        p->merge_first = false;
        if (first->fn == NULL && frame.line == first->line && frame.file && first->file
            && strcmp(frame.file, first->file) == 0) {
            first->fn = frame.fn;
            frame.fn = NULL;
            vg_frame_done(&frame);
            return;
        }
    }
    if (stack->len == 0) {
        stack->frames = calloc(SAN_MAX_FRAMES, sizeof *stack->frames);
        if (stack->frames == NULL) {
            p->err = -ENOMEM;
            vg_frame_done(&frame);
            return;
        }
    }
    stack->frames[stack->len++] = frame;
}

/* ---- Heads --------------------------------------------------------------- */

/* Starts a new error of @p kind; NULL when the report holds enough. */
static struct vg_error *error_new(struct parser *p, const char *kind, const char *tool)
{
    p->error = NULL;
    p->stack = NULL;
    p->merge_first = false;
    struct vg_report *out = p->out;
    if (out->n_errors >= SAN_MAX_ERRORS)
        return NULL;
    if (out->errors == NULL) {
        out->errors = calloc(SAN_MAX_ERRORS, sizeof *out->errors);
        if (out->errors == NULL) {
            p->err = -ENOMEM;
            return NULL;
        }
    }
    struct vg_error *error = &out->errors[out->n_errors++];
    error->kind = strdup(kind);
    error->what = strdup("");
    error->tool = tool;
    if (error->kind == NULL || error->what == NULL)
        p->err = -ENOMEM;
    p->error = error;
    p->stack = &error->stack;
    return error;
}

static void what_set(struct parser *p, struct vg_error *error, const char *text, size_t len)
{
    free(error->what);
    error->what = strndup(text, len < SAN_NAME_MAX ? len : SAN_NAME_MAX);
    if (error->what == NULL)
        p->err = -ENOMEM;
}

/** ASan's names of deadly signals, as in "SEGV on unknown address". */
static const struct {
    const char *name; /**< the word ASan prints */
    int signo;        /**< the signal */
} DEADLY[] = {
    { "SEGV", SIGSEGV }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
    { "ILL", SIGILL }, { "ABRT", SIGABRT },
};

/* A deadly signal: the report's fatal signal, and its stack. */
static bool deadly_read(struct parser *p, const struct line *head, const char *kind)
{
    struct vg_report *out = p->out;
    int signo = 0;
    bool overflow = strncmp(kind, "stack-overflow ", 15) == 0;
    for (size_t i = 0; !overflow && i < sizeof DEADLY / sizeof *DEADLY; i++) {
        size_t len = strlen(DEADLY[i].name);
        if (strncmp(kind, DEADLY[i].name, len) == 0 && strncmp(kind + len, " on ", 4) == 0)
            signo = DEADLY[i].signo;
    }
    if (!overflow && signo == 0)
        return false;
    p->error = NULL;
    p->stack = NULL;
    if (out->fatal_signal != 0)
        return true; /* the first one ended the test */
    out->fatal_signal = overflow ? SIGSEGV : signo;
    out->stack_overflow = overflow;
    const char *at = find(head, "address 0x");
    out->signal_addr = at ? strtoull(at + strlen("address "), NULL, 16) : 0;
    p->stack = &out->signal_stack;
    return true;
}

/* "ERROR: AddressSanitizer: heap-buffer-overflow on address ..." */
static void asan_head(struct parser *p, const struct line *line)
{
    const char *kind = line->text + strlen("ERROR: AddressSanitizer: ");
    size_t kind_len = line->len - strlen("ERROR: AddressSanitizer: ");
    char words[64];
    snprintf(words, sizeof words, "%.*s", (int)(kind_len < 63 ? kind_len : 63), kind);
    if (deadly_read(p, line, words))
        return;
    const char *overlap = strstr(words, "-param-overlap");
    struct vg_error *error;
    if (strncmp(words, "attempting ", 11) == 0) {
        error = error_new(p, "InvalidFree", "AddressSanitizer");
    } else if (overlap) {
        error = error_new(p, "Overlap", "AddressSanitizer");
        if (error) {
            char what[96];
            snprintf(what, sizeof what, "Source and destination overlap in %.*s()",
                     (int)(overlap - words), words);
            what_set(p, error, what, strlen(what));
        }
    } else {
        /* An access, named by its "READ of size" line; until then, the
         * sanitizer's own words for a kind no explainer knows. */
        error = error_new(p, "AddressSanitizer", "AddressSanitizer");
        const char *space = strchr(words, ' ');
        if (error)
            what_set(p, error, words, space ? (size_t)(space - words) : strlen(words));
    }
    if (error && strncmp(words, "heap-use-after-free", 19) == 0)
        error->address.freed = true;
}

/* "WRITE of size 4 at 0x... thread T0" */
static void access_read(struct parser *p, const struct line *line, bool is_write)
{
    struct vg_error *error = p->error;
    if (error == NULL || strcmp(error->kind, "AddressSanitizer") != 0)
        return;
    free(error->kind);
    error->kind = strdup(is_write ? "InvalidWrite" : "InvalidRead");
    if (error->kind == NULL)
        p->err = -ENOMEM;
    number_after(line, "of size ", &error->access_size);
}

/* Which side the words right after "N bytes " name, and their length. */
static bool side_read(const char *at, const char *end, enum vg_side *side, size_t *len)
{
    static const struct { const char *words; enum vg_side side; } SIDES[] = {
        { "to the right of ", VG_SIDE_AFTER }, { "after ", VG_SIDE_AFTER },
        { "to the left of ", VG_SIDE_BEFORE }, { "before ", VG_SIDE_BEFORE },
        { "inside of ", VG_SIDE_INSIDE },
    };
    for (size_t i = 0; i < sizeof SIDES / sizeof *SIDES; i++) {
        size_t n = strlen(SIDES[i].words);
        if ((size_t)(end - at) >= n && strncmp(at, SIDES[i].words, n) == 0) {
            *side = SIDES[i].side;
            *len = n;
            return true;
        }
    }
    return false;
}

/* "0x.. is located 0 bytes to the right of 24-byte region [..)" or
 * "... 4 bytes to the right of global variable 'table' ... of size 40". */
static void located_read(struct parser *p, const struct line *line)
{
    struct vg_error *error = p->error;
    p->stack = NULL;
    if (error == NULL || error->address.place != VG_PLACE_UNKNOWN)
        return; /* a second address (an overlap's) says no more */
    struct vg_address *address = &error->address;
    if (find(line, "located in stack of thread")) {
        address->place = VG_PLACE_LOCAL;
        return; /* the variable comes on its own line */
    }
    const char *at = find(line, " is located ");
    const char *end = line->text + line->len;
    size_t offset = 0, len = 0;
    enum vg_side side;
    if (at == NULL)
        return;
    at += strlen(" is located ");
    if (!number_read(&at, end, &offset) || strncmp(at, " bytes ", 7) != 0)
        return;
    at += 7;
    if (!side_read(at, end, &side, &len))
        return;
    at += len;
    struct line rest = { at, (size_t)(end - at) };
    if (starts(&rest, "global variable '")) {
        address->place = VG_PLACE_GLOBAL;
        address->variable = quoted_after(p, &rest, "global variable '");
        number_after(&rest, "of size ", &address->size);
    } else if (number_read(&at, end, &address->size) && strncmp(at, "-byte region", 12) == 0) {
        address->place = VG_PLACE_BLOCK;
    } else {
        return;
    }
    address->side = side;
    address->offset = offset;
}

/* "[32, 40) 'buf' (line 8) <== Memory access at offset 41 overflows this
 * variable": the local array that an access near the stack hit. */
static void local_read(struct parser *p, const struct line *line)
{
    struct vg_error *error = p->error;
    const char *at = line->text + 1, *end = line->text + line->len;
    size_t start = 0, stop = 0, access = 0;
    if (error == NULL || error->address.place != VG_PLACE_LOCAL || error->address.variable
        || !number_read(&at, end, &start) || strncmp(at, ", ", 2) != 0)
        return;
    at += 2;
    if (!number_read(&at, end, &stop) || stop < start
        || !number_after(line, "Memory access at offset ", &access))
        return;
    struct vg_address *address = &error->address;
    address->variable = quoted_after(p, line, ") '");
    address->size = stop - start;
    if (access >= stop)
        address->side = VG_SIDE_AFTER, address->offset = access - stop;
    else if (access < start)
        address->side = VG_SIDE_BEFORE, address->offset = start - access;
    else
        address->side = VG_SIDE_INSIDE, address->offset = access - start;
}

/* "Direct leak of 40 byte(s) in 1 object(s) allocated from:" */
static void leak_head(struct parser *p, const struct line *line, bool direct)
{
    struct vg_error *error = error_new(p, direct ? "Leak_DefinitelyLost" : "Leak_IndirectlyLost",
                                       "LeakSanitizer");
    if (error == NULL)
        return;
    number_after(line, " leak of ", &error->leaked_bytes);
    number_after(line, " byte(s) in ", &error->leaked_blocks);
}

/** UBSan's words for a NULL pointer used, and whether they write. */
static const struct {
    const char *words; /**< how the message starts */
    bool is_write;     /**< a store */
} NULL_USES[] = {
    { "store to null pointer", true },
    { "load of null pointer", false },
    { "member access within null pointer", false },
};

/* "vector.c:12:5: runtime error: signed integer overflow: ..." */
static void ubsan_head(struct parser *p, const struct line *line, const char *marker)
{
    const char *words = marker + strlen(": runtime error: ");
    size_t words_len = (size_t)(line->text + line->len - words);
    const char *kind = "UndefinedBehavior";
    bool null_use = false;
    for (size_t i = 0; i < sizeof NULL_USES / sizeof *NULL_USES; i++) {
        size_t n = strlen(NULL_USES[i].words);
        if (words_len >= n && strncmp(words, NULL_USES[i].words, n) == 0) {
            kind = NULL_USES[i].is_write ? "InvalidWrite" : "InvalidRead";
            null_use = true;
        }
    }
    struct vg_error *error = error_new(p, kind, "UndefinedBehaviorSanitizer");
    if (error == NULL)
        return;
    what_set(p, error, words, words_len);
    if (null_use)
        error->address = (struct vg_address){ .place = VG_PLACE_NOWHERE, .null = true };
    error->stack.frames = calloc(SAN_MAX_FRAMES, sizeof *error->stack.frames);
    if (error->stack.frames == NULL) {
        p->err = -ENOMEM;
        return;
    }
    location_read(p, line->text, (size_t)(marker - line->text), &error->stack.frames[0]);
    error->stack.len = 1;
    p->merge_first = true;
}

/* ---- Lines --------------------------------------------------------------- */

/* The line at @p at, up to @p end, without "==PID==". */
static struct line line_at(const char *at, const char *end)
{
    struct line line = { at, (size_t)(end - at) };
    if (line.len > 4 && at[0] == '=' && at[1] == '=' && at[2] >= '0' && at[2] <= '9') {
        const char *close = at + 2;
        while (close < end && *close >= '0' && *close <= '9')
            close++;
        if (end - close >= 2 && close[0] == '=' && close[1] == '=') {
            line.text = close + 2;
            line.len = (size_t)(end - line.text);
        }
    }
    while (line.len > 0 && (line.text[line.len - 1] == '\r' || line.text[line.len - 1] == ' '))
        line.len--;
    return line;
}

static void line_read(struct parser *p, struct line line)
{
    while (line.len > 0 && *line.text == ' ')
        line.text++, line.len--;
    const char *marker = find(&line, ": runtime error: ");
    if (starts(&line, "#"))
        frame_add(p, &line);
    else if (starts(&line, "ERROR: AddressSanitizer: "))
        asan_head(p, &line);
    else if (starts(&line, "ERROR: LeakSanitizer: "))
        p->error = NULL, p->stack = NULL;
    else if (starts(&line, "Direct leak of ") || starts(&line, "Indirect leak of "))
        leak_head(p, &line, starts(&line, "Direct"));
    else if (marker)
        ubsan_head(p, &line, marker);
    else if (starts(&line, "READ of size ") || starts(&line, "WRITE of size "))
        access_read(p, &line, starts(&line, "WRITE"));
    else if (starts(&line, "freed by thread ") && p->error) {
        p->stack = &p->error->freed_at;
        p->error->address.freed = true;
    } else if ((starts(&line, "previously allocated by thread ")
                || starts(&line, "allocated by thread ")) && p->error)
        p->stack = p->error->alloc_at.len ? NULL : &p->error->alloc_at;
    else if (find(&line, " is located "))
        located_read(p, &line);
    else if (starts(&line, "[") && find(&line, "<== Memory access"))
        local_read(p, &line);
    else if (starts(&line, "SUMMARY: ") || starts(&line, "Shadow bytes"))
        p->error = NULL, p->stack = NULL;
}

int san_report_parse(const char *log, struct vg_report *out)
{
    *out = (struct vg_report){ 0 };
    const char *start = san_report_start(log);
    if (start == NULL)
        return 0;
    struct parser p = { .out = out };
    for (const char *at = start; *at && p.err == 0;) {
        const char *end = strchr(at, '\n');
        if (end == NULL)
            end = at + strlen(at);
        line_read(&p, line_at(at, end));
        at = *end ? end + 1 : end;
    }
    if (p.err != 0)
        vg_report_done(out);
    return p.err;
}

/* ---- Where a report starts ---------------------------------------------- */

/* The earliest mark in @p log, or NULL. */
static const struct mark *mark_first(const char *log, const char **where)
{
    const struct mark *first = NULL;
    *where = NULL;
    for (size_t i = 0; log && i < sizeof MARKS / sizeof *MARKS; i++) {
        const char *at = strstr(log, MARKS[i].words);
        if (at && (*where == NULL || at < *where))
            *where = at, first = &MARKS[i];
    }
    return first;
}

/* Whether the line before @p line_start belongs to the report's head: its
 * "=====" rule, or ASan's "AddressSanitizer:DEADLYSIGNAL". */
static const char *head_extend(const char *log, const char *line_start)
{
    while (line_start > log) {
        const char *prev = line_start - 1;
        while (prev > log && prev[-1] != '\n')
            prev--;
        size_t len = (size_t)(line_start - 1 - prev);
        bool rule = len > 10 && strspn(prev, "=") == len;
        bool deadly = len == strlen("AddressSanitizer:DEADLYSIGNAL")
                      && strncmp(prev, "AddressSanitizer:DEADLYSIGNAL", len) == 0;
        if (!rule && !deadly)
            break;
        line_start = prev;
    }
    return line_start;
}

const char *san_report_start(const char *log)
{
    const char *at;
    if (mark_first(log, &at) == NULL)
        return NULL;
    while (at > log && at[-1] != '\n')
        at--;
    return head_extend(log, at);
}

const char *san_report_tool(const char *log)
{
    const char *at;
    const struct mark *mark = mark_first(log, &at);
    return mark ? mark->tool : NULL;
}

char *san_report_text(const char *log, size_t max_lines)
{
    const char *at = san_report_start(log);
    if (at == NULL)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    bool shadow = false;
    for (size_t n = 0; *at && n < max_lines;) {
        const char *end = strchr(at, '\n');
        if (end == NULL)
            end = at + strlen(at);
        struct line line = line_at(at, end);
        bool prefixed = line.text != at;
        if (starts(&line, "Shadow bytes around"))
            shadow = true;
        else if (prefixed)
            shadow = false; /* "==PID==ABORTING" ends the map and its legend */
        if (!shadow && !(line.len > 10 && strspn(line.text, "=") == line.len)) {
            fprintf(out, "%.*s\n", (int)line.len, line.text);
            n++;
        }
        at = *end ? end + 1 : end;
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
