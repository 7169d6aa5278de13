/**
 * @file argv_test.c
 * @brief Tests of the argument vector builder: it grows without bound, and
 *        one lost argument loses the whole command.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

#include "argv.h"

Test(argv, empty_builder_gives_an_empty_vector)
{
    struct argv_builder args = { 0 };
    const char *const *argv = argv_get(&args);
    cr_assert(not(eq(ptr, (void *)argv, NULL)), "an empty builder is not out of memory");
    cr_assert(eq(ptr, (void *)argv[0], NULL), "an empty command has only its NULL");
    argv_done(&args);
}

Test(argv, grows_past_any_fixed_size_keeping_order)
{
    struct argv_builder args = { 0 };
    for (int i = 0; i < 1000; i++)
        argv_addf(&args, "-DN%d", i);
    const char *const *argv = argv_get(&args);
    cr_assert(not(eq(ptr, (void *)argv, NULL)));
    cr_assert(eq(sz, args.n, 1000));
    cr_assert(eq(str, (char *)argv[0], "-DN0"));
    cr_assert(eq(str, (char *)argv[999], "-DN999"));
    cr_assert(eq(ptr, (void *)argv[1000], NULL), "the vector ends with a NULL");
    argv_done(&args);
}

Test(argv, copies_its_arguments)
{
    struct argv_builder args = { 0 };
    char word[] = "gcc";
    argv_add(&args, word);
    word[0] = 'x';
    cr_assert(eq(str, (char *)argv_get(&args)[0], "gcc"),
              "the builder keeps its own copy of an argument");
    argv_done(&args);
}

Test(argv, adds_a_whole_vector_and_accepts_none)
{
    struct argv_builder args = { 0 };
    const char *const flags[] = { "-std=gnu11", "-pthread", NULL };
    argv_add(&args, "gcc");
    argv_add_all(&args, flags);
    argv_add_all(&args, NULL);
    argv_add(&args, "-c");
    const char *const *argv = argv_get(&args);
    cr_assert(eq(sz, args.n, 4));
    cr_assert(eq(str, (char *)argv[1], "-std=gnu11"));
    cr_assert(eq(str, (char *)argv[2], "-pthread"));
    cr_assert(eq(str, (char *)argv[3], "-c"));
    argv_done(&args);
}

Test(argv, a_lost_argument_loses_the_whole_command)
{
    struct argv_builder args = { 0 };
    argv_add(&args, "gcc");
    argv_add(&args, NULL); /* as from a str_printf() out of memory */
    argv_add(&args, "-o");
    cr_assert(args.oom, "a NULL argument marks the builder out of memory");
    cr_assert(eq(ptr, (void *)argv_get(&args), NULL),
              "a command with a lost argument is never run cut short");
    argv_done(&args);
}

Test(argv, done_empties_the_builder_for_reuse)
{
    struct argv_builder args = { 0 };
    argv_add(&args, NULL);
    argv_done(&args);
    cr_assert(not(args.oom), "argv_done() clears the out-of-memory flag");
    argv_add(&args, "ls");
    cr_assert(eq(str, (char *)argv_get(&args)[0], "ls"));
    argv_done(&args);
    argv_done(NULL);
}
