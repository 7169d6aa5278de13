/*
 * defences.c: builds the victims in demos/victims/ with each defence, runs
 * them, and checks what the lesson says each defence does: how the program
 * ends (exit status or signal) and the message it prints.
 *
 *   victim          built with                      expected
 *   smash.c         gcc's defaults (-O0)            SIGSEGV, no message
 *   smash.c         -fstack-protector-strong        SIGABRT, "stack smashing detected"
 *   smash.c         -O2 -D_FORTIFY_SOURCE=2         SIGABRT, "buffer overflow detected"
 *   smash.c         -fsanitize=address              exit 1, "stack-buffer-overflow"
 *   off_by_one.c    gcc's defaults                  exit 0, right answer: silent
 *   off_by_one.c    defaults, under memcheck        "ERROR SUMMARY: 0 errors"
 *   off_by_one.c    -fsanitize=address              exit 1, "stack-buffer-overflow"
 *   overlap.c       gcc's defaults                  exit 0, whatever memcpy did
 *   overlap.c       defaults, under memcheck        "ERROR SUMMARY: 0 errors" (!)
 *   overlap.c       -fsanitize=address              exit 1, "memcpy-param-overlap"
 *   clash.c         gcc's defaults                  exit 0, wrote past the guard
 *   clash.c         -fstack-clash-protection        exit 3, fault in the guard
 *   signed_check.c  -O0 / -O2 / -fsanitize=undefined  0 / 1 / "signed integer overflow"
 *   fortify.c       -O2, no _FORTIFY_SOURCE         both overflows run: not on by default
 *   fortify.c       -O2 -D_FORTIFY_SOURCE=1         "member" (whole-struct size) runs
 *   fortify.c       -O2 -D_FORTIFY_SOURCE=2         "member" aborts, "heap 20" runs
 *   fortify.c       -O2 -D_FORTIFY_SOURCE=3         "heap 20" aborts (size read at run time)
 *   smash.c         -O2 -D_FORTIFY_SOURCE=2         the preprocessed source holds glibc's
 *                                                   bits/string_fortified.h; the program
 *                                                   imports __strcpy_chk, not strcpy
 *   smash.c         defaults / -fcf-protection      no endbr64 / endbr64 (objdump)
 *   cet.c           -fcf-protection                 object marked IBT, SHSTK; program not
 *                                                   (readelf -n); an indirect call to a
 *                                                   function without endbr64 runs; no
 *                                                   shadow stack
 *
 * And two facts about the system: the stack is mapped without execute
 * permission (NX), and it lands at a new address in every process (ASLR).
 * Exits 1 if any check fails. Needs gcc, objdump, nm and readelf, and
 * valgrind for one line.
 *
 * Run from the course's top directory: make demo LESSON=05 DEMO=defences
 * (it finds the victims next to its source, or pass their directory).
 * With ARGS="--report off_by_one.c" it builds that one victim with
 * AddressSanitizer and prints all it says, instead of the checks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LONG_NAME "a name far too long for sixteen bytes"

static char work[] = "/tmp/defences-XXXXXX"; /* built victims and their output */
static const char *victims;                    /* directory of the victims' sources */

/* Runs argv with stdout and stderr in out (NUL-terminated, cut to size). */
static int run(char *const argv[], char *out, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "%s/output", work);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    ssize_t n = pread(fd, out, size - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    return status;
}

/* Builds victims/src with flags (space-separated) into work/bin. */
static bool build(const char *src, const char *flags, char *bin, size_t size)
{
    static int serial;
    char source[512], flag_copy[128], out[4096];
    char *argv[16] = { "gcc", "-std=gnu11", "-g", "-pthread", "-w" };
    int n = 5;

    snprintf(source, sizeof source, "%s/%s", victims, src);
    snprintf(bin, size, "%s/bin%d", work, serial++);
    snprintf(flag_copy, sizeof flag_copy, "%s", flags);
    for (char *save, *f = strtok_r(flag_copy, " ", &save); f; f = strtok_r(NULL, " ", &save))
        argv[n++] = f;
    argv[n++] = source;
    argv[n++] = "-o";
    argv[n++] = bin;
    int status = run(argv, out, sizeof out);
    if (status != 0)
        printf("could not build %s with %s:\n%s", src, flags, out);
    return status == 0;
}

/* How a process ended, in words: "exit 0", "SIGSEGV". */
static const char *ending(int status, char *words, size_t size)
{
    if (WIFSIGNALED(status)) {
        const char *name = sigabbrev_np(WTERMSIG(status));
        snprintf(words, size, "SIG%s", name ? name : "?");
    } else {
        snprintf(words, size, "exit %d", WEXITSTATUS(status));
    }
    return words;
}

/* The line of out that contains needle, or out's first line. */
static void print_line(const char *out, const char *needle)
{
    const char *line = needle ? strstr(out, needle) : NULL;
    if (!line)
        line = out;
    while (line > out && line[-1] != '\n')
        line--;
    printf("%.*s\n", (int)strcspn(line, "\n"), line);
}

/* Builds and runs one victim with args (comma-separated; NULL for none);
 * checks its ending and that out holds needle (or, for needle NULL, holds
 * none of the defences' messages). */
static bool check(const char *src, const char *flags, const char *args, int expect_signal,
                  int expect_exit, const char *needle)
{
    char bin[128], out[16384], words[32], arg_copy[128], label[128];
    if (!build(src, flags, bin, sizeof bin))
        return false;
    char *argv[8] = { bin };
    int n = 1;
    snprintf(arg_copy, sizeof arg_copy, "%s", args ? args : "");
    for (char *save, *a = strtok_r(arg_copy, ",", &save); a && n < 7; a = strtok_r(NULL, ",", &save))
        argv[n++] = a;
    argv[n] = NULL;
    snprintf(label, sizeof label, "%s", !args ? "" : strcmp(args, LONG_NAME) == 0 ? "long" : args);
    for (char *comma = strchr(label, ','); comma; comma = strchr(comma, ','))
        *comma = ' ';
    int status = run(argv, out, sizeof out);
    bool ok = expect_signal ? WIFSIGNALED(status) && WTERMSIG(status) == expect_signal
                            : WIFEXITED(status) && WEXITSTATUS(status) == expect_exit;
    if (needle)
        ok = ok && strstr(out, needle);
    else
        ok = ok && !strstr(out, "***") && !strstr(out, "Sanitizer");
    printf("%-15s %-28s %-7s %-8s ", src, flags[0] ? flags : "(gcc's defaults)", label,
           ending(status, words, sizeof words));
    print_line(out, needle);
    if (!ok)
        printf("  CONTRADICTS THE LESSON: expected %s %d%s%s\n",
               expect_signal ? "signal" : "exit", expect_signal ? expect_signal : expect_exit,
               needle ? " and " : "", needle ? needle : "");
    return ok;
}

/* A victim under memcheck: it reports no error. */
static bool check_memcheck(const char *src)
{
    char bin[128], out[16384];
    if (!build(src, "", bin, sizeof bin))
        return false;
    char *argv[] = { "valgrind", "--error-exitcode=99", bin, NULL };
    int status = run(argv, out, sizeof out);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        printf("%s under valgrind: valgrind is not installed, skipped\n", src);
        return true;
    }
    printf("%-15s %-28s %-7s %-8s ", src, "(defaults), under valgrind", "",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "exit 0" : "error");
    print_line(out, "ERROR SUMMARY");
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
              strstr(out, "ERROR SUMMARY: 0 errors");
    if (!ok)
        puts("  CONTRADICTS THE LESSON: memcheck was expected to see nothing");
    return ok;
}

/* The [stack] line of a new process's /proc/self/maps. */
static bool stack_line(char *line, size_t size)
{
    char out[16384];
    char *argv[] = { "cat", "/proc/self/maps", NULL };
    if (run(argv, out, sizeof out) != 0)
        return false;
    const char *found = strstr(out, "[stack]");
    if (!found)
        return false;
    while (found > out && found[-1] != '\n')
        found--;
    snprintf(line, size, "%.*s", (int)strcspn(found, "\n"), found);
    return true;
}

static bool check_nx_aslr(void)
{
    char first[256], second[256];
    if (!stack_line(first, sizeof first) || !stack_line(second, sizeof second))
        return false;
    printf("\n[stack] of two runs of cat /proc/self/maps:\n  %s\n  %s\n", first, second);
    const char *perms = strchr(first, ' ');
    bool nx = perms && strncmp(perms + 1, "rw-p", 4) == 0;
    bool aslr = strncmp(first, second, strcspn(first, " ")) != 0;
    if (!nx)
        puts("  CONTRADICTS THE LESSON: the stack should be rw-p, not executable");
    if (!aslr)
        puts("  CONTRADICTS THE LESSON: the stack should move between runs (ASLR)");
    return nx && aslr;
}

/* Whether copy_name() in smash.c built with flags starts with endbr64, the
 * landing pad that -fcf-protection puts at every indirect-call target. */
static bool starts_with_endbr64(const char *flags)
{
    char bin[128], out[1 << 16];
    if (!build("smash.c", flags, bin, sizeof bin))
        return false;
    char *argv[] = { "objdump", "-d", "--no-show-raw-insn", bin, NULL };
    if (run(argv, out, sizeof out) != 0)
        return false;
    /* objdump prints "    1159:\tendbr64" for the first instruction. */
    const char *fn = strstr(out, "<copy_name>:\n");
    const char *insn = fn ? strchr(fn + strlen("<copy_name>:\n"), '\t') : NULL;
    return insn && strncmp(insn + 1, "endbr64", 7) == 0;
}

/* Runs argv; true if its output holds needle. */
static bool output_has(char *const argv[], const char *needle)
{
    static char out[1 << 20];
    return run(argv, out, sizeof out) == 0 && strstr(out, needle);
}

/* It is glibc's <string.h> that swaps strcpy for __strcpy_chk, when
 * _FORTIFY_SOURCE asks it to: the compiler only computes the sizes. */
static bool check_fortify_headers(void)
{
    char source[512], bin_plain[128], bin_fortified[128];
    snprintf(source, sizeof source, "%s/smash.c", victims);
    char *preprocess[] = { "gcc", "-E", "-O2", "-D_FORTIFY_SOURCE=2", source, NULL };
    const bool header = output_has(preprocess, "bits/string_fortified.h");
    const bool plain_ok = build("smash.c", "-O2", bin_plain, sizeof bin_plain);
    const bool fortified_ok = build("smash.c", "-O2 -D_FORTIFY_SOURCE=2", bin_fortified,
                                    sizeof bin_fortified);
    char *nm_plain[] = { "nm", "-u", bin_plain, NULL };
    char *nm_fortified[] = { "nm", "-u", bin_fortified, NULL };
    const bool plain_strcpy = plain_ok && output_has(nm_plain, " strcpy@");
    const bool fortified_chk = fortified_ok && output_has(nm_fortified, " __strcpy_chk@");

    printf("\nsmash.c at -O2 -D_FORTIFY_SOURCE=2: <string.h> includes bits/string_fortified.h: %s\n"
           "  the program imports (nm -u): strcpy at -O2 alone %s, __strcpy_chk with the macro %s\n",
           header ? "yes" : "no", plain_strcpy ? "yes" : "no", fortified_chk ? "yes" : "no");
    if (!header || !plain_strcpy || !fortified_chk)
        puts("  CONTRADICTS THE LESSON: glibc's headers should swap strcpy for __strcpy_chk");
    return header && plain_strcpy && fortified_chk;
}

/* Whether the flags of /proc/cpuinfo list flag as a whole word. */
static bool cpu_has(const char *cpuinfo, const char *flag)
{
    const size_t len = strlen(flag);
    for (const char *at = strstr(cpuinfo, flag); at; at = strstr(at + 1, flag))
        if (at > cpuinfo && at[-1] == ' ' && (at[len] == ' ' || at[len] == '\n'))
            return true;
    return false;
}

/* -fcf-protection marks the object for IBT and SHSTK; the program keeps the
 * mark only if every object linked in has it, and Debian 12's glibc start
 * files do not. Nothing enforces either here. */
static bool check_cet(void)
{
    char source[512], object[128], bin[128];
    snprintf(source, sizeof source, "%s/cet.c", victims);
    snprintf(object, sizeof object, "%s/cet.o", work);
    char *compile[] = { "gcc", "-std=gnu11", "-g", "-w", "-fcf-protection", "-c", source, "-o",
                        object, NULL };
    char *notes_object[] = { "readelf", "-n", object, NULL };
    static char out[4096];
    const bool object_marked = run(compile, out, sizeof out) == 0
                               && output_has(notes_object, "x86 feature: IBT, SHSTK");
    if (!build("cet.c", "-fcf-protection", bin, sizeof bin))
        return false;
    char *notes_program[] = { "readelf", "-n", bin, NULL };
    const bool program_marked = output_has(notes_program, "x86 feature:");

    printf("\ncet.c with -fcf-protection (readelf -n): the object is marked IBT, SHSTK: %s;"
           " the program: %s\n", object_marked ? "yes" : "no", program_marked ? "yes" : "no");
    bool ok = object_marked && !program_marked;
    if (!ok)
        puts("  CONTRADICTS THE LESSON: the object should be marked and the program not");
    char *cpuinfo[] = { "cat", "/proc/cpuinfo", NULL };
    static char flags[1 << 20];
    run(cpuinfo, flags, sizeof flags);
    printf("this CPU's flags (/proc/cpuinfo): ibt %s, user_shstk %s\n",
           cpu_has(flags, "ibt") ? "yes" : "no", cpu_has(flags, "user_shstk") ? "yes" : "no");
    char *argv[] = { bin, NULL };
    int status = run(argv, out, sizeof out);
    printf("%s", out);
    const bool ran = WIFEXITED(status) && WEXITSTATUS(status) == 0
                     && strstr(out, "without endbr64: ran") && strstr(out, "shadow stack: off");
    if (!ran)
        puts("  CONTRADICTS THE LESSON: nothing should enforce IBT or a shadow stack here");
    return ok && ran;
}

static bool check_cf_protection(void)
{
    const bool by_default = starts_with_endbr64(""), asked = starts_with_endbr64("-fcf-protection");

    printf("\ncopy_name() starts with endbr64: gcc's defaults %s, -fcf-protection %s\n",
           by_default ? "yes" : "no", asked ? "yes" : "no");
    if (by_default || !asked)
        puts("  CONTRADICTS THE LESSON: Debian's gcc 12 adds endbr64 only with -fcf-protection");
    return !by_default && asked;
}

/* --report VICTIM: the victim built with AddressSanitizer, and its whole
 * output. Exits 0 if the sanitizer reported an error, as it must. */
static int report(const char *src)
{
    char bin[128], out[16384], words[32];
    if (!build(src, "-fsanitize=address", bin, sizeof bin))
        return EXIT_FAILURE;
    char *argv[] = { bin, NULL };
    int status = run(argv, out, sizeof out);
    printf("%s built with -fsanitize=address: %s\n%s", src, ending(status, words, sizeof words), out);
    return strstr(out, "ERROR: AddressSanitizer") ? EXIT_SUCCESS : EXIT_FAILURE;
}

int main(int argc, char **argv)
{
    char self[512];
    snprintf(self, sizeof self, "%s", __FILE__);
    const bool reporting = argc == 3 && strcmp(argv[1], "--report") == 0;
    victims = argc == 2 ? argv[1] : strcat(dirname(self), "/victims");
    if (!mkdtemp(work))
        return 1;
    if (reporting) {
        const int status = report(argv[2]);
        char *rm[] = { "rm", "-rf", work, NULL };
        char out[256];
        run(rm, out, sizeof out);
        return status;
    }

    printf("%-15s %-28s %-7s %-8s %s\n", "victim", "built with", "args", "ended", "message");
    bool ok = check("smash.c", "", "short", 0, 0, "copy_name returned");
    ok &= check("smash.c", "", LONG_NAME, SIGSEGV, 0, NULL);
    ok &= check("smash.c", "-fstack-protector-strong", LONG_NAME, SIGABRT, 0,
                "*** stack smashing detected ***");
    ok &= check("smash.c", "-O2 -D_FORTIFY_SOURCE=2", LONG_NAME, SIGABRT, 0,
                "*** buffer overflow detected ***");
    ok &= check("smash.c", "-fsanitize=address", LONG_NAME, 0, 1, "stack-buffer-overflow");
    ok &= check("off_by_one.c", "", NULL, 0, 0, "sum of the first 8 squares: 140");
    ok &= check_memcheck("off_by_one.c");
    ok &= check("off_by_one.c", "-fsanitize=address", NULL, 0, 1, "stack-buffer-overflow");
    ok &= check("overlap.c", "", NULL, 0, 0, "");
    ok &= check_memcheck("overlap.c");
    ok &= check("overlap.c", "-fsanitize=address", NULL, 0, 1, "memcpy-param-overlap");
    ok &= check("clash.c", "", NULL, 0, 0, "inside the neighbour, past the guard");
    ok &= check("clash.c", "-fstack-clash-protection", NULL, 0, 3, "in the guard page");
    ok &= check("signed_check.c", "-O0", NULL, 0, 0, "= 0");
    ok &= check("signed_check.c", "-O2", NULL, 0, 0, "= 1");
    ok &= check("signed_check.c", "-fsanitize=undefined", NULL, 0, 0, "signed integer overflow");
    ok &= check("fortify.c", "-O2", "member", 0, 0, "note is now");
    ok &= check("fortify.c", "-O2", "heap,20", 0, 0, "into a block of 20");
    ok &= check("fortify.c", "-O2 -D_FORTIFY_SOURCE=1", "member", 0, 0, "note is now");
    ok &= check("fortify.c", "-O2 -D_FORTIFY_SOURCE=2", "member", SIGABRT, 0,
                "*** buffer overflow detected ***");
    ok &= check("fortify.c", "-O2 -D_FORTIFY_SOURCE=2", "heap,20", 0, 0, "into a block of 20");
    ok &= check("fortify.c", "-O2 -D_FORTIFY_SOURCE=3", "heap,20", SIGABRT, 0,
                "*** buffer overflow detected ***");
    ok &= check_fortify_headers();
    ok &= check_cf_protection();
    ok &= check_cet();
    ok &= check_nx_aslr();

    char *rm[] = { "rm", "-rf", work, NULL };
    char out[256];
    run(rm, out, sizeof out);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
