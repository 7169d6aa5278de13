/*
 * object_limit.c: the largest object is PTRDIFF_MAX bytes, as a rule of GCC
 * and glibc, not of ISO C.
 *
 * ISO C sets no such limit; it only makes `p - q` undefined when the result
 * does not fit in ptrdiff_t. GCC and glibc close that hole by refusing
 * larger objects: gcc rejects an array larger than PTRDIFF_MAX and warns
 * about a constant malloc size above it (-Walloc-size-larger-than=, on by
 * default), and glibc's malloc fails for any larger size at once, with
 * ENOMEM, whatever memory the machine has.
 *
 * The demo compiles two small files with this machine's gcc and calls
 * malloc. Exits 1 if any of the three refusals is missing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[] = "/tmp/object_limit.XXXXXX";

/* Writes text to dir/name, compiles it, returns gcc's messages. */
static const char *compile(const char *name, const char *text)
{
    static char output[8192];
    char path[256], command[512];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "w");
    if (!file || fputs(text, file) == EOF || fclose(file) != 0)
        return "";
    snprintf(command, sizeof command, "cd %s && gcc -c %s -o /dev/null 2>&1", dir, name);
    const char *code = strrchr(text, '#');  /* the line after the last #include */
    code = code ? strchr(code, '\n') + 1 : text;
    printf("$ gcc -c %s    (%.*s)\n", name, (int)strcspn(code, "\n"), code);
    FILE *pipe = popen(command, "r");
    if (!pipe)
        return "";
    size_t used = fread(output, 1, sizeof output - 1, pipe);
    output[used] = '\0';
    pclose(pipe);
    const char *first = strstr(output, "error:") ? strstr(output, "error:") : strstr(output, "warning:");
    if (first) {
        printf("  %.*s\n", (int)strcspn(first, "\n"), first);
    }
    return output;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    bool gcc_refuses = strstr(compile("array.c", "#include <stddef.h>\n#include <stdint.h>\n"
                                                 "char big[(size_t)PTRDIFF_MAX + 1];\n"),
                              "too large") != NULL;
    bool gcc_warns = strstr(compile("call.c", "#include <stdint.h>\n#include <stdlib.h>\n"
                                              "void *f(void) { return malloc((size_t)PTRDIFF_MAX + 1); }\n"),
                            "exceeds maximum object size") != NULL;

    volatile size_t size = (size_t)PTRDIFF_MAX + 1; /* hidden from gcc */
    errno = 0;
    void *block = malloc(size);
    int err = errno;
    printf("malloc(PTRDIFF_MAX + 1) = %p, errno %s\n", block, err == ENOMEM ? "ENOMEM" : strerror(err));
    bool glibc_refuses = block == NULL && err == ENOMEM;
    free(block);

    char command[256];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    if (system(command) != 0)
        return 1;
    if (!gcc_refuses || !gcc_warns || !glibc_refuses) {
        puts("CONTRADICTS THE LESSON");
        return 1;
    }
    return 0;
}
