/**
 * @file scan.c
 * @brief Section and symbol rules for learner objects, read with libelf.
 *
 * Rules, all allowlists:
 *  1. Sections: only code, data, debug info and the bookkeeping sections a
 *     compiler emits for them. Anything else (.init_array, .ctors, Criterion's
 *     cr_tst and report-hook sections...) is refused, named in the message.
 *  2. Defined symbols: only the names the exercise's header declares may be
 *     global; everything else must be static. No IFUNC symbol (its resolver
 *     would run at load time, before any test), no versioned name ('@').
 *  3. Undefined symbols: only the lesson's imports (imports.base plus the
 *     lesson's "imports") and the compiler's own runtime (libgcc), judged by
 *     the name the learner wrote: glibc's headers rename some functions
 *     (`sscanf` becomes `__isoc99_sscanf`, or `__isoc23_sscanf` on glibc
 *     2.38 and later; `_FORTIFY_SOURCE` makes `memcpy` `__memcpy_chk`). A
 *     sanitized object may also call its sanitizer's runtime.
 * scan_source() adds what the object cannot show: no assembly, no pragma,
 * no `#line`, and only attributes from a short allowlist.
 */
#define _GNU_SOURCE /* memmem, memrchr */
#include "scan.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/** Largest source (and assembly) a submission may have; the preprocessed
 *  source may be 8 times as large, with the headers. */
#define SCAN_TEXT_MAX_BYTES (1 << 20)

/* Section-name prefixes an ordinary C translation unit produces. */
static const char *const allowed_sections[] = {
    ".text", ".data", ".bss", ".rodata", ".tbss", ".tdata", ".comment",
    ".note.GNU-stack", ".note.gnu.property", ".eh_frame", ".debug_", ".rela.text",
    ".rela.data", ".rela.rodata", ".rela.eh_frame", ".rela.debug_", ".rela.tdata",
    ".symtab", ".strtab", ".shstrtab", ".group", ".gcc_except_table",
    ".rela.gcc_except_table", ".text.", NULL,
};

/* Why a section that is not allowed was refused, for the common cases. */
static const char *section_reason(const char *name)
{
    if (strstr(name, "init_array") || strstr(name, "ctors") || strcmp(name, ".init") == 0)
        return "it defines a constructor (code that runs before main)";
    if (strstr(name, "fini_array") || strstr(name, "dtors") || strcmp(name, ".fini") == 0)
        return "it defines a destructor (code that runs after main)";
    if (strncmp(name, "cr", 2) == 0 || strstr(name, "crit"))
        return "it registers Criterion tests or report hooks of its own";
    return "it contains a section that ordinary C code does not produce";
}

static bool has_prefix(const char *name, const char *const *prefixes)
{
    for (const char *const *p = prefixes; *p; p++) {
        if (strncmp(name, *p, strlen(*p)) == 0)
            return true;
    }
    return false;
}

static bool section_allowed(const char *name)
{
    return name[0] == '\0' || has_prefix(name, allowed_sections);
}

static bool in_list(const char *name, const char *const *list)
{
    for (const char *const *p = list; list && *p; p++) {
        if (strcmp(name, *p) == 0)
            return true;
    }
    return false;
}

/* What the sanitizer instrumentation itself defines and calls. */
static const char *const sanitizer_prefixes[] = {
    "__asan_", "__ubsan_", "__sanitizer_", "__odr_asan", NULL,
};

/* The name the learner wrote for @p name, an ABI name that glibc's headers
 * chose (`__isoc99_sscanf`, `__isoc23_strtol`, `__memcpy_chk`), in @p out;
 * @p name itself for any other. */
static const char *public_name(const char *name, char *out, size_t size)
{
    static const char *const renamed_prefixes[] = { "__isoc99_", "__isoc23_", NULL };
    for (const char *const *p = renamed_prefixes; *p; p++) {
        if (strncmp(name, *p, strlen(*p)) == 0 && name[strlen(*p)] != '\0')
            return name + strlen(*p);
    }
    size_t len = strlen(name);
    if (len > 6 && strncmp(name, "__", 2) == 0 && strcmp(name + len - 4, "_chk") == 0
        && len - 6 < size) {
        memcpy(out, name + 2, len - 6);
        out[len - 6] = '\0';
        return out;
    }
    return name;
}

/* Returns a message if the symbol breaks rule 2 or 3, else NULL. */
static char *check_symbol(const char *name, int type, bool global, bool defined,
                          const struct scan_rules *rules)
{
    if (name[0] == '\0')
        return NULL;
    if (type == STT_GNU_IFUNC)
        return str_printf("it defines '%s' as an IFUNC, whose resolver would run before "
                          "any test: write an ordinary function", name);
    if (strchr(name, '@'))
        return str_printf("it gives the symbol '%s' a version ('@'): write plain C "
                          "functions", name);
    if (!global)
        return NULL;
    if (rules->sanitized && has_prefix(name, sanitizer_prefixes))
        return NULL;
    if (defined && !in_list(name, (const char *const *)rules->definitions))
        return str_printf("it defines '%s', which %s does not declare: helper "
                          "functions and file-scope variables must be 'static' (the "
                          "tests and the C library own every other name)",
                          name, rules->header_name);
    char written[256];
    const char *called = defined ? name : public_name(name, written, sizeof(written));
    if (!defined && !in_list(called, (const char *const *)rules->imports)
        && !in_list(name, (const char *const *)rules->runtime))
        return str_printf("it calls '%s', which this lesson does not allow (the lesson "
                          "text says which library functions an exercise needs; see "
                          "grader/harness/imports.base and the lesson's lesson.json)",
                          called);
    return NULL;
}

static char *check_symbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr *shdr,
                           const struct scan_rules *rules)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data || shdr->sh_entsize == 0)
        return NULL;
    size_t count = shdr->sh_size / shdr->sh_entsize;
    for (size_t i = 1; i < count; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym))
            continue;
        int bind = GELF_ST_BIND(sym.st_info);
        int type = GELF_ST_TYPE(sym.st_info);
        if (type == STT_SECTION || type == STT_FILE)
            continue;
        const char *name = elf_strptr(elf, shdr->sh_link, sym.st_name);
        bool global = bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE;
        char *why = name ? check_symbol(name, type, global, sym.st_shndx != SHN_UNDEF, rules)
                         : NULL;
        if (why)
            return why;
    }
    return NULL;
}

static char *scan_elf(Elf *elf, const struct scan_rules *rules)
{
    size_t names_index;
    if (elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &names_index) != 0)
        return str_printf("the compiled file is not an ELF object");
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr))
            continue;
        const char *name = elf_strptr(elf, names_index, shdr.sh_name);
        if (!name)
            continue;
        /* A sanitized object registers its globals with the runtime from a
         * constructor of the compiler's; the learner's own were refused in
         * the source and in the plain object. */
        bool sanitizer_init = rules->sanitized && (strncmp(name, ".init_array", 11) == 0
                                                   || strncmp(name, ".fini_array", 11) == 0
                                                   || strncmp(name, ".rela.init_array", 16) == 0
                                                   || strncmp(name, ".rela.fini_array", 16) == 0
                                                   || strcmp(name, "asan_globals") == 0
                                                   || strcmp(name, ".rela" "asan_globals") == 0);
        if (!section_allowed(name) && !sanitizer_init)
            return str_printf("%s (section '%s')", section_reason(name), name);
        if (shdr.sh_type == SHT_SYMTAB) {
            char *why = check_symbols(elf, scn, &shdr, rules);
            if (why)
                return why;
        }
    }
    return NULL;
}

char *scan_object(const char *object_path, const struct scan_rules *rules)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return str_printf("libelf is unusable: %s", elf_errmsg(-1));
    int fd = file_open_untrusted(object_path, NULL);
    if (fd < 0)
        return str_printf("cannot open the compiled object %s", object_path);
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    char *why = elf ? scan_elf(elf, rules) : str_printf("cannot read the compiled object: %s",
                                                   elf_errmsg(-1));
    if (elf)
        elf_end(elf);
    close(fd);
    return why;
}

/* Appends the global names that member @p elf defines to @p names. */
static int member_definitions(Elf *elf, char ***names, size_t *count, size_t *cap)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        GElf_Shdr shdr;
        Elf_Data *data;
        if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0
            || !(data = elf_getdata(scn, NULL)))
            continue;
        for (size_t i = 1; i < shdr.sh_size / shdr.sh_entsize; i++) {
            GElf_Sym sym;
            int bind = gelf_getsym(data, (int)i, &sym) ? GELF_ST_BIND(sym.st_info) : STB_LOCAL;
            const char *name = elf_strptr(elf, shdr.sh_link, sym.st_name);
            if (bind == STB_LOCAL || sym.st_shndx == SHN_UNDEF || !name || !name[0])
                continue;
            if (*count + 1 >= *cap) {
                char **grown = realloc(*names, 2 * *cap * sizeof(**names));
                if (!grown)
                    return -1;
                *names = grown, *cap *= 2;
            }
            if (!((*names)[(*count)++] = strdup(name)))
                return -1;
            (*names)[*count] = NULL;
        }
    }
    return 0;
}

char **scan_archive_definitions(const char *archive_path)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return NULL;
    int fd = open(archive_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    Elf *archive = elf_begin(fd, ELF_C_READ, NULL);
    size_t count = 0, cap = 256;
    char **names = archive && elf_kind(archive) == ELF_K_AR ? calloc(cap, sizeof(*names))
                                                            : NULL;
    int err = names ? 0 : -1;
    Elf *member;
    while (err == 0 && (member = elf_begin(fd, ELF_C_READ, archive)) != NULL) {
        if (elf_kind(member) == ELF_K_ELF)
            err = member_definitions(member, &names, &count, &cap);
        elf_next(member);
        elf_end(member);
    }
    if (archive)
        elf_end(archive);
    close(fd);
    if (err != 0) {
        for (size_t i = 0; names && i < count; i++)
            free(names[i]);
        free(names);
        return NULL;
    }
    return names;
}

char *scan_assembly(const char *asm_path)
{
    char *text = file_read_capped(asm_path, SCAN_TEXT_MAX_BYTES, NULL);
    if (!text)
        return str_printf("the compiler's output is missing or too large");
    bool found = strncmp(text, "#APP", 4) == 0 || strstr(text, "\n#APP") != NULL;
    free(text);
    if (!found)
        return NULL;
    return str_printf("it contains inline assembly (asm): submissions must be plain C; "
                      "this also rules out Valgrind client requests");
}

/* ---- Source rules ------------------------------------------------------- */

/* Attributes a learner may write: none of them changes where code or data
 * goes, what runs when, or which symbol a name binds to. */
static const char *const allowed_attributes[] = {
    "cleanup", "unused", "noreturn", "format", "nonnull", "warn_unused_result",
    "malloc", "alloc_size", "aligned", "packed", "pure", "const", "noinline",
    "always_inline", "fallthrough", "deprecated", "maybe_unused", "returns_nonnull",
    "sentinel", "access", "noclone", "noipa", "cold", "hot", NULL,
};

/* Keywords that put assembly into the object. */
static const char *const asm_keywords[] = { "asm", "__asm", "__asm__", NULL };

static bool is_ident_start(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Copies the identifier at @p p into @p out (cut at its size); returns its end. */
static const char *ident_read(const char *p, char *out, size_t size)
{
    size_t n = 0;
    while (is_ident(*p)) {
        if (n + 1 < size)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return p;
}

/* Skips a string or character literal that starts at @p p. */
static const char *literal_skip(const char *p)
{
    char quote = *p++;
    while (*p && *p != quote && *p != '\n') {
        if (*p == '\\' && p[1])
            p++;
        p++;
    }
    return *p == quote ? p + 1 : p;
}

/* Checks the names inside `__attribute__((...))` starting at @p p (the
 * first '('); returns a message for a name outside the allowlist. */
static char *attributes_check(const char *p, const char **end)
{
    int depth = 0;
    bool expect_name = false;
    for (; *p; p++) {
        if (*p == '"' || *p == '\'') {
            p = literal_skip(p) - 1;
            continue;
        }
        if (*p == '(') {
            depth++;
            expect_name = depth == 2;
        } else if (*p == ')') {
            if (--depth == 0)
                break;
        } else if (*p == ',' && depth == 2) {
            expect_name = true;
        } else if (is_ident_start(*p)) {
            char name[64];
            const char *after = ident_read(p, name, sizeof(name));
            if (expect_name) {
                char bare[64];
                size_t len = strlen(name);
                if (len > 4 && strncmp(name, "__", 2) == 0 && strcmp(name + len - 2, "__") == 0)
                    snprintf(bare, sizeof(bare), "%.*s", (int)(len - 4), name + 2);
                else
                    snprintf(bare, sizeof(bare), "%s", name);
                if (!in_list(bare, allowed_attributes))
                    return str_printf("it uses __attribute__((%s)), which submissions may "
                                      "not use (allowed: cleanup, unused, noreturn, format, "
                                      "aligned, packed and a few more that change no "
                                      "symbol, section or start-up code)", bare);
                expect_name = false;
            }
            p = after - 1;
        }
    }
    *end = p;
    return NULL;
}

/* Names of the judging machinery that learner code may not write: the
 * sanitizers' interfaces. A sanitized object may import them (rule 3), but
 * only the compiler's instrumentation may call them, never the learner's
 * code by name (`__asan_unpoison_memory_region` would hide an overrun).
 * Every other name of the harness or Criterion is refused by rule 3. */
static const char *const judging_prefixes[] = {
    "__asan", "__ubsan", "__lsan", "__sanitizer", "__tsan", "__msan", "__hwasan", NULL,
};

/* Checks a line of the snapshot that came from a header: no header the
 * course allows names the sanitizers' interface, so such a name there was
 * put in by a macro of the learner's (or by a sanitizer header, which a
 * submission has no use for). */
static char *judging_names_check(const char *p, const char *line_end)
{
    while (p < line_end) {
        if (*p == '"' || *p == '\'') {
            p = literal_skip(p);
            continue;
        }
        if (!is_ident_start(*p)) {
            p++;
            continue;
        }
        char name[64];
        p = ident_read(p, name, sizeof(name));
        if (has_prefix(name, judging_prefixes))
            return str_printf("a header it includes names '%s', part of the sanitizers' own "
                              "interface, which judges it: submissions may not call it", name);
    }
    return NULL;
}

/* Checks the code that came from the learner's own file. */
static char *code_check(const char *p, const char *line_end)
{
    while (p < line_end) {
        if (*p == '"' || *p == '\'') {
            p = literal_skip(p);
            continue;
        }
        if (p[0] == '[' && p[1] == '[')
            return str_printf("it uses the [[...]] attribute syntax: write "
                              "__attribute__((...)) with an allowed attribute");
        if (!is_ident_start(*p) || (p > line_end - 1) ) {
            p++;
            continue;
        }
        char name[64];
        const char *after = ident_read(p, name, sizeof(name));
        if (in_list(name, asm_keywords))
            return str_printf("it contains inline assembly ('%s'): submissions must be "
                              "plain C; this also rules out Valgrind client requests", name);
        if (has_prefix(name, judging_prefixes))
            return str_printf("it names '%s', part of the sanitizers' own interface, "
                              "which judges it: submissions may not call it", name);
        if (strcmp(name, "__attribute__") == 0 || strcmp(name, "__attribute") == 0) {
            const char *q = after;
            while (*q == ' ' || *q == '\t' || *q == '\n')
                q++;
            if (*q == '(') {
                const char *end = q;
                char *why = attributes_check(q, &end);
                if (why)
                    return why;
                after = end;
            }
        }
        p = after;
    }
    return NULL;
}

/* Reads a line marker `# N "file" flags...`; returns the file name's length
 * and sets *name to it, or returns 0 when @p line is no marker. */
static size_t marker_file(const char *line, const char **name)
{
    if (line[0] != '#' || line[1] != ' ' || line[2] < '0' || line[2] > '9')
        return 0;
    const char *quote = strchr(line, '"');
    const char *close = quote ? strchr(quote + 1, '"') : NULL;
    if (!close)
        return 0;
    *name = quote + 1;
    return (size_t)(close - quote - 1);
}

/* Whether the file a line marker names is trusted by where it lives: the
 * system's headers (under /usr, which only root writes), the compiler's own
 * pseudo-files, or the course header copies that the grader put beside the
 * learner's file (a submission supplies only its .c file). */
static bool file_trusted(const char *name, size_t len, const char *learner_dir)
{
    size_t dir_len = strlen(learner_dir);
    if ((len >= 5 && strncmp(name, "/usr/", 5) == 0 && !memmem(name, len, "/../", 4))
        || (len == 10 && strncmp(name, "<built-in>", len) == 0)
        || (len == 14 && strncmp(name, "<command-line>", len) == 0)
        || (len >= 2 && strncmp(name + len - 2, "//", 2) == 0)) /* gcc -g's cwd note */
        return true;
    return len > dir_len + 3 && strncmp(name, learner_dir, dir_len) == 0
           && name[dir_len] == '/' && !memchr(name + dir_len + 1, '/', len - dir_len - 1)
           && strncmp(name + len - 2, ".h", 2) == 0;
}

/* The preprocessed source, the very snapshot that is compiled: every line
 * that came from the learner's file is checked; any other file must be a
 * trusted header, so that nothing reaches the compiler unchecked (a file
 * that includes itself by another spelling of its path, or another file
 * the learner could control, is refused). */
static char *preprocessed_check(char *text, const char *learner_path)
{
    size_t learner_len = strlen(learner_path);
    const char *slash = strrchr(learner_path, '/');
    char *learner_dir = strndup(learner_path, slash ? (size_t)(slash - learner_path) : 0);
    if (!learner_dir)
        return str_printf("the grader ran out of memory checking the source");
    bool learners = false;
    char *line = text, *refused = NULL;
    while (*line && !refused) {
        char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        const char *name = NULL;
        size_t len = marker_file(line, &name);
        if (!len && !learners) {
            char *why = judging_names_check(line, end);
            if (why)
                refused = why;
        }
        if (len) {
            learners = len == learner_len && strncmp(name, learner_path, len) == 0;
            if (!learners && !file_trusted(name, len, learner_dir)) {
                const char *base = memrchr(name, '/', len);
                base = base ? base + 1 : name;
                refused = str_printf("it includes '%.*s', which is neither a system header "
                                     "nor its exercise's: a submission is its one .c file, "
                                     "and may include only <system headers> and the "
                                     "course's \"headers\"", (int)(len - (size_t)(base - name)),
                                     base);
            }
        } else if (learners && line[0] == '#') {
            refused = str_printf("it uses a #pragma or _Pragma: submissions may not change "
                                 "how the compiler treats their code");
        } else if (learners) {
            char saved = *end;
            *end = '\0';
            char *why = code_check(line, end);
            *end = saved;
            if (why)
                refused = why;
        }
        line = *end ? end + 1 : end;
    }
    free(learner_dir);
    return refused;
}

/** Reserved macro names a submission may define: the feature-test macros
 *  that choose what the system headers declare. */
static const char *const feature_macros[] = {
    "_GNU_SOURCE", "_POSIX_C_SOURCE", "_XOPEN_SOURCE", "_XOPEN_SOURCE_EXTENDED",
    "_DEFAULT_SOURCE", "_ISOC99_SOURCE", "_ISOC11_SOURCE", "_ISOC2X_SOURCE",
    "_LARGEFILE64_SOURCE", "_FILE_OFFSET_BITS", "_TIME_BITS", "_REENTRANT",
    "_FORTIFY_SOURCE", "_DYNAMIC_STACK_SIZE_SOURCE", NULL,
};

static char *directives_check_spliced(const char *src);

/* After `#` and its blanks at @p p: refuses #define and #undef of a name
 * reserved to the implementation (`__x`, `_X`), other than feature-test
 * macros. The system headers' own code is built from such names, so a
 * learner's macro with one would put code of the learner's into lines that
 * the scan trusts as the system's. */
static char *macro_name_check(const char *p)
{
    size_t keyword = strncmp(p, "define", 6) == 0 ? 6 : strncmp(p, "undef", 5) == 0 ? 5 : 0;
    if (!keyword || is_ident(p[keyword]))
        return NULL;
    p += keyword;
    while (*p == ' ' || *p == '\t')
        p++;
    char name[64];
    ident_read(p, name, sizeof(name));
    bool reserved = name[0] == '_' && (name[1] == '_' || (name[1] >= 'A' && name[1] <= 'Z'));
    if (!reserved || in_list(name, feature_macros) || strncmp(name, "__STDC_WANT_", 12) == 0)
        return NULL;
    return str_printf("it defines the macro '%s': names that begin with '__' or '_' and a "
                      "capital letter belong to the compiler and the C library (their "
                      "headers are built from them); choose another name", name);
}

/* The raw source, its line splices removed (so that a directive's name
 * cannot be split over lines): #line (or `# N`) would make the learner's
 * code claim another file's name and lines. Comments and digraphs
 * handled. */
static char *directives_check(const char *raw)
{
    char *spliced = strdup(raw);
    if (!spliced)
        return str_printf("the grader ran out of memory checking the source");
    char *to = spliced;
    for (const char *from = raw; *from; from++) {
        if (from[0] == '\\' && from[1] == '\n')
            from++;
        else
            *to++ = *from;
    }
    *to = '\0';
    char *why = directives_check_spliced(spliced);
    free(spliced);
    return why;
}

/* directives_check() on a source without splices. */
static char *directives_check_spliced(const char *src)
{
    bool line_start = true;
    for (const char *p = src; *p;) {
        if (p[0] == '\\' && p[1] == '\n') {
            p += 2;
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            const char *close = strstr(p + 2, "*/");
            p = close ? close + 2 : p + strlen(p);
            continue;
        }
        if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p += (p[0] == '\\' && p[1] == '\n') ? 2 : 1;
            continue;
        }
        if (*p == '\n') {
            line_start = true;
            p++;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\v' || *p == '\r') {
            p++;
            continue;
        }
        if (line_start && (*p == '#' || (p[0] == '%' && p[1] == ':'))) {
            p += *p == '#' ? 1 : 2;
            while (*p == ' ' || *p == '\t' || (p[0] == '\\' && p[1] == '\n'))
                p += *p == '\\' ? 2 : 1;
            if ((*p >= '0' && *p <= '9') || (strncmp(p, "line", 4) == 0 && !is_ident(p[4])))
                return str_printf("it uses a #line directive: submissions may not change "
                                  "the file names and line numbers the compiler records");
            if (strncmp(p, "pragma", 6) == 0 && !is_ident(p[6]))
                return str_printf("it uses a #pragma or _Pragma: submissions may not change "
                                  "how the compiler treats their code");
            char *why = macro_name_check(p);
            if (why)
                return why;
        }
        line_start = false;
        if (*p == '"' || *p == '\'')
            p = literal_skip(p);
        else
            p++;
    }
    return NULL;
}

char *scan_source(const char *source_path, const char *preprocessed_path,
                  const char *learner_path)
{
    char *src = file_read_capped(source_path, SCAN_TEXT_MAX_BYTES, NULL);
    if (!src)
        return str_printf("the source file is unreadable or larger than %d KiB",
                          SCAN_TEXT_MAX_BYTES >> 10);
    char *why = directives_check(src);
    free(src);
    if (why)
        return why;
    char *text = file_read_capped(preprocessed_path, SCAN_TEXT_MAX_BYTES * 8, NULL);
    if (!text)
        return str_printf("the preprocessed source is missing or too large");
    why = preprocessed_check(text, learner_path);
    free(text);
    return why;
}
