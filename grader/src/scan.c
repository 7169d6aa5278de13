/**
 * @file scan.c
 * @brief Section and symbol rules for learner objects, read with libelf.
 *
 * Rules:
 *  1. Sections: only code, data, debug info and the bookkeeping sections a
 *     compiler emits for them. Anything else (.init_array, .ctors, Criterion's
 *     cr_tst and report-hook sections...) is refused, named in the message.
 *  2. Defined symbols: not main, not Criterion's or the harness's names, not
 *     sanitizer hooks, not the libc allocator and exit functions the harness
 *     stands in for.
 *  3. Undefined symbols: no raw system calls, no dynamic symbol lookup, no
 *     ptrace, no Criterion internals, no fault-injection controls, no
 *     sanitizer hooks.
 */
#define _POSIX_C_SOURCE 200809L
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

/* Prefixes nobody's learner code may define or call. */
static const char *const tool_prefixes[] = {
    "criterion_", "cri_", "cr_", "course_", "__wrap_", "__real_", "__asan",
    "__lsan", "__ubsan", "__sanitizer", "__msan", "__tsan", "__hwasan", "__gcov",
    "__valgrind", "vgPlain_", "_vgr", NULL,
};

/* Names learner code may not define: the harness owns them. */
static const char *const reserved_definitions[] = {
    "main", "malloc", "calloc", "realloc", "free", "aligned_alloc",
    "posix_memalign", "reallocarray", "strdup", "strndup", "exit", "_exit",
    "_Exit", "quick_exit", "abort", "alloc_fail_after", "alloc_fail_never",
    "alloc_stats", "alloc_live_blocks", "_init", "_fini", "_start", NULL,
};

/* Functions learner code may not call: escapes from the harness. */
static const char *const forbidden_calls[] = {
    "syscall", "dlsym", "dlvsym", "dlopen", "ptrace", "alloc_fail_after",
    "alloc_fail_never", "prctl", "personality", NULL,
};

static bool in_list(const char *name, const char *const *list)
{
    for (const char *const *p = list; *p; p++) {
        if (strcmp(name, *p) == 0)
            return true;
    }
    return false;
}

/* Returns a message if the symbol breaks rule 2 or 3, else NULL. */
static char *check_symbol(const char *name, bool defined)
{
    if (name[0] == '\0')
        return NULL;
    if (has_prefix(name, tool_prefixes))
        return str_printf("it %s '%s', which belongs to the test tools "
                          "(Criterion, the grader, Valgrind or a sanitizer)",
                          defined ? "defines" : "uses", name);
    if (defined && in_list(name, reserved_definitions))
        return str_printf("it defines '%s': the tests provide their own %s", name,
                          strcmp(name, "main") == 0 ? "main()" : "version of it");
    if (!defined && in_list(name, forbidden_calls))
        return str_printf("it calls '%s', which could bypass the grader's checks", name);
    return NULL;
}

static char *check_symbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr *shdr)
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
        if (bind != STB_GLOBAL && bind != STB_WEAK)
            continue;
        const char *name = elf_strptr(elf, shdr->sh_link, sym.st_name);
        char *why = name ? check_symbol(name, sym.st_shndx != SHN_UNDEF) : NULL;
        if (why)
            return why;
    }
    return NULL;
}

static char *scan_elf(Elf *elf)
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
        if (!section_allowed(name))
            return str_printf("%s (section '%s')", section_reason(name), name);
        if (shdr.sh_type == SHT_SYMTAB) {
            char *why = check_symbols(elf, scn, &shdr);
            if (why)
                return why;
        }
    }
    return NULL;
}

char *scan_object(const char *object_path)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return str_printf("libelf is unusable: %s", elf_errmsg(-1));
    int fd = open(object_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return str_printf("cannot open the compiled object %s", object_path);
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    char *why = elf ? scan_elf(elf) : str_printf("cannot read the compiled object: %s",
                                                   elf_errmsg(-1));
    if (elf)
        elf_end(elf);
    close(fd);
    return why;
}

char *scan_assembly(const char *asm_path)
{
    FILE *in = fopen(asm_path, "r");
    if (!in)
        return str_printf("cannot read the compiler's output %s", asm_path);
    char *line = NULL;
    size_t cap = 0;
    bool found = false;
    while (!found && getline(&line, &cap, in) > 0)
        found = strncmp(line, "#APP", 4) == 0;
    free(line);
    fclose(in);
    if (!found)
        return NULL;
    return str_printf("it contains inline assembly (asm): submissions must be plain C; "
                      "this also rules out Valgrind client requests");
}
