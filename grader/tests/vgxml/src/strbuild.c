/* A learner's exercise file. BUG: str_concat allocates no room for the '\0'
 * that its second memcpy copies, and the test never frees the result. */
#include <stdlib.h>
#include <string.h>

/*
 * Returns a new string holding a followed by b; the caller frees it.
 * Returns NULL when memory runs out.
 */
char *str_concat(const char *a, const char *b)
{
    size_t len_a = strlen(a);
    size_t len_b = strlen(b);
    char *out = malloc(len_a + len_b);
    if (out == NULL)
        return NULL;
    memcpy(out + len_a, b, len_b + 1);
    memcpy(out, a, len_a);
    return out;
}
