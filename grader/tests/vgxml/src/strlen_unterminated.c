/* BUG: copies a word without its '\0', then takes its length. */
#include <stdlib.h>
#include <string.h>

static char *word_dup(const char *word)
{
    size_t len = strlen(word);
    char *copy = malloc(len);
    memcpy(copy, word, len);
    return copy;
}

int main(void)
{
    char *copy = word_dup("hello");
    size_t len = strlen(copy);
    free(copy);
    return len == 5 ? 0 : 1;
}
