/* BUG: allocates strlen(name) bytes and forgets the terminating '\0'. */
#include <stdlib.h>
#include <string.h>

static char *name_copy(const char *name)
{
    size_t len = strlen(name);
    char *copy = malloc(len);
    for (size_t i = 0; i < len; i++)
        copy[i] = name[i];
    copy[len] = '\0';
    return copy;
}

int main(void)
{
    char *copy = name_copy("abcd");
    free(copy);
    return 0;
}
