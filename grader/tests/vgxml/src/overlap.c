/* BUG: drops a prefix with strcpy, whose source and destination overlap.
 * (memcpy overlaps are not reported for -O0 code on glibc 2.36: Valgrind
 * 3.19 redirects glibc's memcpy to its memmove, which allows overlap.) */
#include <stdio.h>
#include <string.h>

static void drop_prefix(char *text, size_t n)
{
    strcpy(text, text + n);
}

int main(void)
{
    char text[16] = "abcdefgh";
    drop_prefix(text, 2);
    puts(text);
    return 0;
}
