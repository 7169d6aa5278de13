/*
 * gcc_flags.c: what the compiler does with frames and variable-size locals
 * at -O0 and at -O2. Writes a small source file, compiles it with this
 * machine's gcc, and checks the lesson's claims:
 *   1. at -O0 `outer` starts with `push rbp; mov rbp, rsp` (a saved frame
 *      pointer chain); at -O2 it saves no frame pointer at all, unless
 *      -fno-omit-frame-pointer asks for one; and at -O2 gcc still describes
 *      every frame with call frame information (.cfi_ directives, which
 *      become the .eh_frame section debuggers unwind with);
 *   2. -Wvla-larger-than= and -Walloca-larger-than= say nothing at -O0 and
 *      warn at -O2 (they need the optimiser's range analysis), while -Wvla
 *      warns at every level;
 *   3. -fstack-clash-protection is off unless asked for.
 * Exits 1 if any claim fails here.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char source[] =
    "#include <alloca.h>\n"
    "#include <stddef.h>\n"
    "long leaf(long x);\n"
    "long outer(long slot)\n"
    "{\n"
    "    volatile long local = slot;\n"
    "    return leaf(local) + 1;\n"
    "}\n"
    "int use_vla(size_t n)\n"
    "{\n"
    "    char buf[n];\n"
    "    buf[0] = 1;\n"
    "    return buf[n / 2];\n"
    "}\n"
    "int use_alloca(size_t n)\n"
    "{\n"
    "    char *buf = alloca(n);\n"
    "    buf[0] = 1;\n"
    "    return buf[n / 2];\n"
    "}\n";

static char dir[] = "/tmp/gcc_flags.XXXXXX";
static bool all_hold = true;

/* Runs a shell command; returns its output (stdout and stderr), or NULL. */
static char *run(const char *command)
{
    static char output[65536];
    char line[4096];
    size_t used = 0;

    snprintf(line, sizeof line, "cd %s && %s 2>&1", dir, command);
    FILE *pipe = popen(line, "r");
    if (!pipe)
        return NULL;
    used = fread(output, 1, sizeof output - 1, pipe);
    output[used] = '\0';
    pclose(pipe);
    return output;
}

static void check(const char *claim, bool holds)
{
    printf("  %-62s %s\n", claim, holds ? "yes" : "NO  CONTRADICTS THE LESSON");
    all_hold = all_hold && holds;
}

/* Prints the assembly of `outer` compiled with flags, and tells whether
 * it saves the frame pointer. */
static bool outer_pushes_rbp(const char *flags)
{
    char command[512];

    snprintf(command, sizeof command,
             "gcc %s -S -masm=intel -fno-asynchronous-unwind-tables snip.c -o - "
             "| sed -n '/^outer:/,/ret/p'", flags);
    const char *assembly = run(command);
    printf("$ %s\n%s", command, assembly ? assembly : "");
    return assembly && strstr(assembly, "push\trbp") != NULL;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/snip.c", dir);
    FILE *file = fopen(path, "w");
    if (!file || fputs(source, file) == EOF || fclose(file) != 0)
        return 1;

    bool o0 = outer_pushes_rbp("-O0");
    bool o2 = outer_pushes_rbp("-O2");
    bool o2_kept = outer_pushes_rbp("-O2 -fno-omit-frame-pointer");
    puts("1. frame pointers:");
    check("-O0 saves the frame pointer (push rbp)", o0);
    check("-O2 does not", !o2);
    check("-O2 -fno-omit-frame-pointer does", o2_kept);
    const char *cfi = run("gcc -O2 -S snip.c -o - | grep -c '\\.cfi_def_cfa_offset'");
    check("-O2 emits call frame information (.cfi_def_cfa_offset)", cfi && atoi(cfi) > 0);

    puts("2. warnings about variable-size locals:");
    const char *larger = "gcc -c -Wvla-larger-than=1000 -Walloca-larger-than=1000 snip.c -o /dev/null";
    char command[512];
    snprintf(command, sizeof command, "%s -O0", larger);
    bool silent_o0 = strstr(run(command), "warning") == NULL;
    snprintf(command, sizeof command, "%s -O2", larger);
    const char *o2_warnings = run(command);
    bool vla_o2 = strstr(o2_warnings, "-Wvla-larger-than=") != NULL;
    bool alloca_o2 = strstr(o2_warnings, "-Walloca-larger-than=") != NULL;
    bool wvla_o0 = strstr(run("gcc -c -O0 -Wvla snip.c -o /dev/null"), "[-Wvla]") != NULL;
    bool wvla_o2 = strstr(run("gcc -c -O2 -Wvla snip.c -o /dev/null"), "[-Wvla]") != NULL;
    check("-Wvla-larger-than, -Walloca-larger-than silent at -O0", silent_o0);
    check("-Wvla-larger-than= warns at -O2", vla_o2);
    check("-Walloca-larger-than= warns at -O2", alloca_o2);
    check("-Wvla warns at -O0 and at -O2", wvla_o0 && wvla_o2);

    puts("3. stack probes:");
    const char *options = run("gcc -Q --help=common | grep -- '-fstack-clash-protection'");
    check("-fstack-clash-protection is [disabled] by default",
          options && strstr(options, "[disabled]") != NULL);

    snprintf(command, sizeof command, "rm -rf %s", dir);
    if (system(command) != 0)
        return 1;
    return all_hold ? 0 : 1;
}
