#include <stdlib.h>
#include <string.h>
#include <stdio.h>
int table[10];
static int rec(int n) { volatile char big[1000]; big[0] = (char)n; return rec(n + 1) + big[0]; }
int main(int argc, char **argv)
{
    int which = atoi(argv[1]);
    char buf[8];
    if (which == 1) { buf[argc + 7] = 1; return buf[0]; }
    if (which == 2) { table[argc + 9] = 1; return 0; }
    if (which == 3) { char *p = malloc(4); free(p); free(p); }
    if (which == 4) { char *p = malloc(8); free(p + 1); }
    if (which == 5) { int *p = (int *)(long)(argc - 2); *p = 1; }
    if (which == 6) { return rec(0); }
    if (which == 7) { char *p = malloc(10); memcpy(p, p + 2, 6); }
    if (which == 8) { free(buf); }
    return 0;
}
