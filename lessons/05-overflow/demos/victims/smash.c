/*
 * smash.c: a victim, not a demo. copy_name() copies its argument into a
 * 16-byte local array without checking its length: a stack buffer
 * overflow. demos/defences.c builds it with each defence and runs it with
 * a name that fits and one that does not.
 *
 * Usage: smash NAME
 */
#include <stdio.h>
#include <string.h>

static void copy_name(const char *name)
{
    char buf[16];

    strcpy(buf, name); /* BUG: no check that name fits in buf */
    printf("hello, %s\n", buf);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    copy_name(argv[1]);
    puts("copy_name returned");
    return 0;
}
