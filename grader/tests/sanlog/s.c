#include <stdlib.h>
#include <string.h>
int table[10];
static void fill(char *p, int n) { p[n] = 1; }
static void gfill(int *p, int n) { p[n] = 1; }
int main(int argc, char **argv)
{
    char buf[8];
    if (argv[1][0] == '1') fill(buf, argc + 7);
    if (argv[1][0] == '2') gfill(table, argc + 9);
    if (argv[1][0] == '3') { int *p = 0; return p[argc]; }
    return buf[0];
}
