/*
 * fortify.c: a victim, not a demo. Two overflows by strcpy that
 * _FORTIFY_SOURCE catches at some levels only. glibc's <string.h> (its
 * bits/string_fortified.h) replaces strcpy(d, s) with
 * __strcpy_chk(d, s, size of d) when it is asked to, and the level decides
 * how that size is found (sys/cdefs.h):
 *
 *   member   13 bytes into the 8-byte `name` of a struct, over the member
 *            after it. Level 1 takes the size of the whole struct (32
 *            bytes: no overflow); level 2 the size of the member.
 *   heap N   24 bytes into a block of N bytes, N read at run time. Level 2
 *            asks __builtin_object_size, which knows only sizes fixed at
 *            compile time; level 3 asks __builtin_dynamic_object_size, which
 *            reads N at run time from the call to malloc.
 *
 * With N = 20, malloc's block has 24 usable bytes, so the overflow of the
 * 20 asked for corrupts nothing that glibc would notice on its own.
 * demos/defences.c builds this at -O2 with each level.
 *
 * Usage: fortify member | fortify heap N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct record {
    char name[8];
    char note[24];
};

static void member(const char *text)
{
    struct record r = { .note = "untouched" };

    strcpy(r.name, text); /* BUG: text does not fit in name */
    printf("member: copied; note is now \"%s\"\n", r.note);
}

static void heap(const char *text, size_t size)
{
    char *buf = malloc(size);

    if (!buf)
        return;
    strcpy(buf, text); /* BUG: text does not fit in size bytes */
    printf("heap: copied \"%s\" (%zu bytes) into a block of %zu\n", buf, strlen(text) + 1, size);
    free(buf);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "member") == 0)
        member("name overrun"); /* 12 chars and the NUL */
    else if (argc == 3 && strcmp(argv[1], "heap") == 0)
        heap("twenty-three characters", strtoul(argv[2], NULL, 10));
    else
        return 2;
    return 0;
}
