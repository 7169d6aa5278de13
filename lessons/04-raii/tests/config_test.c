/*
 * Tests of config.h.
 *
 * Each test writes its configuration file into the test's own empty
 * directory, loads it, and checks what a leak would leave: a block
 * (alloc_live_blocks()) or the file still open (io_open_fds()).
 *
 * The error tests put the bad line after `name` and `host`, so that
 * strings are already allocated when the error is found: the error path
 * must free them.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "io_faults.h"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most runs a fault-injection loop makes before giving up. */
#define MAX_RUNS 100

/* What config_load must leave in *out when it fails. */
static struct config untouched;

/* Writes text to the file "cfg" and loads it. */
static int load(const char *text, struct config **out)
{
    cr_assert(eq(int, io_write_file("cfg", text, strlen(text)), 0),
              "test setup: cannot write cfg");
    return config_load("cfg", out);
}

/* Frees config and asserts that nothing of the learner's code is left. */
static void free_and_check(struct config *config, size_t fds_before)
{
    cr_assert(eq(ptr, config_free(config), NULL), "config_free must return "
              "NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) still "
              "allocated after config_free: does it free every string?",
              alloc_live_blocks());
    cr_assert(eq(sz, io_open_fds(), fds_before), "a descriptor is still "
              "open: config_load must fclose the file");
}

/* Loads text, which must fail with err, and asserts nothing is left. */
static void assert_fails(const char *text, int err, const char *why)
{
    size_t fds = io_open_fds();
    struct config *config = &untouched;
    int got = load(text, &config);

    cr_assert(eq(int, got, err), "config_load returned %d instead of %d (%s) "
              "for:\n%s", got, err, strerror(-err), text);
    cr_assert(eq(ptr, config, &untouched), "config_load failed but changed "
              "*out (%s)", why);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "config_load failed (%s) and "
              "left %zu block(s) allocated: free the strings already "
              "parsed", why, alloc_live_blocks());
    cr_assert(eq(sz, io_open_fds(), fds), "config_load failed (%s) and left "
              "the file open", why);
}

static const char full[] =
    "name = demo server\n"
    "host = example.org\n"
    "port = 8080\n"
    "motd = welcome, and mind the heap\n";

GRADED_TEST(config, loads_every_field, 2,
            .description = "config_load reads name, host, port and motd")
{
    size_t fds = io_open_fds();
    struct config *config = NULL;

    cr_assert(eq(int, load(full, &config), 0), "config_load failed on a "
              "valid file");
    cr_assert(ne(ptr, config, NULL), "config_load returned 0 but set no "
              "config");
    cr_assert(eq(str, config->name, "demo server"), "wrong name");
    cr_assert(eq(str, config->host, "example.org"), "wrong host");
    cr_assert(eq(u32, config->port, 8080), "wrong port");
    cr_assert(eq(str, config->motd, "welcome, and mind the heap"), "wrong "
              "motd");
    free_and_check(config, fds);
}

GRADED_TEST(config, trims_and_skips_comments, 2,
            .description = "config_load skips blank and comment lines, "
                           "trims blanks, keeps '=' inside a value, accepts "
                           "a last line without newline")
{
    size_t fds = io_open_fds();
    struct config *config = NULL;

    cr_assert(eq(int, load("# comment\n\n \t\n  # indented comment\n"
                           "\tname\t=  a = b  \n"
                           "host=h\n"
                           "motd =", &config), 0),
              "config_load failed on a valid file with comments and blanks");
    cr_assert(eq(str, config->name, "a = b"), "the value of '\\tname\\t=  "
              "a = b  ' is 'a = b': blanks around it are trimmed, the "
              "second '=' is part of it");
    cr_assert(eq(str, config->host, "h"), "wrong host");
    cr_assert(ne(ptr, config->motd, NULL), "'motd =' sets an empty motd");
    cr_assert(eq(str, config->motd, ""), "'motd =' sets an empty motd");
    free_and_check(config, fds);
}

GRADED_TEST(config, optional_fields_default, 1,
            .description = "without motd and port, motd is NULL and port 0")
{
    size_t fds = io_open_fds();
    struct config *config = NULL;

    cr_assert(eq(int, load("host = h\nname = n\n", &config), 0),
              "config_load failed on a file with only name and host");
    cr_assert(eq(ptr, config->motd, NULL), "motd is absent: it must be NULL");
    cr_assert(eq(u32, config->port, 0), "port is absent: it must be 0");
    free_and_check(config, fds);
}

GRADED_TEST(config, last_value_wins_without_leak, 2,
            .description = "a key given twice keeps its last value and the "
                           "first value is freed")
{
    size_t fds = io_open_fds();
    struct config *config = NULL;

    cr_assert(eq(int, load("name = first\nhost = h\nname = second\n"
                           "motd = a\nmotd = b\n", &config), 0),
              "config_load failed on a file with repeated keys");
    cr_assert(eq(str, config->name, "second"), "the last name must win");
    cr_assert(eq(str, config->motd, "b"), "the last motd must win");
    free_and_check(config, fds);
}

GRADED_TEST(config, missing_required_key_is_einval, 1,
            .description = "a file without name or without host is -EINVAL "
                           "and leaves nothing allocated")
{
    struct config *config = NULL;

    cr_assert(eq(int, load(full, &config), 0), "config_load failed on a "
              "valid file");
    config_free(config);
    assert_fails("name = n\nmotd = m\n", -EINVAL, "no host");
    assert_fails("host = h\nport = 1\n", -EINVAL, "no name");
    assert_fails("", -EINVAL, "an empty file");
}

GRADED_TEST(config, bad_lines_are_einval, 2,
            .description = "a line without '=', an unknown or empty key, or "
                           "a port that is not digits is -EINVAL, and the "
                           "strings already parsed are freed")
{
    struct config *config = NULL;

    cr_assert(eq(int, load(full, &config), 0), "config_load failed on a "
              "valid file");
    config_free(config);
    assert_fails("name = n\nhost = h\nmotd = m\njust words\n", -EINVAL,
                 "a line without '='");
    assert_fails("name = n\nhost = h\ncolour = blue\n", -EINVAL,
                 "an unknown key");
    assert_fails("name = n\nhost = h\n = value\n", -EINVAL, "an empty key");
    assert_fails("name = n\nhost = h\nport = 80x\n", -EINVAL, "port 80x");
    assert_fails("name = n\nhost = h\nport =\n", -EINVAL, "an empty port");
    assert_fails("name = n\nhost = h\nport = -1\n", -EINVAL, "port -1");
    assert_fails("name = n\nhost = h\nport = +80\n", -EINVAL, "port +80");
}

GRADED_TEST(config, port_range_is_checked_at_both_ends, 2,
            .description = "ports 1 and 65535 load; 0, 65536 and a number "
                           "too large for unsigned long are -ERANGE")
{
    struct config *config = NULL;

    cr_assert(eq(int, load("name=n\nhost=h\nport=1\n", &config), 0),
              "port 1 is valid");
    cr_assert(eq(u32, config->port, 1), "wrong port");
    config = config_free(config);
    cr_assert(eq(int, load("name=n\nhost=h\nport=65535\n", &config), 0),
              "port 65535 is valid");
    cr_assert(eq(u32, config->port, 65535), "wrong port");
    config_free(config);
    assert_fails("name=n\nhost=h\nport=0\n", -ERANGE, "port 0");
    assert_fails("name=n\nhost=h\nport=65536\n", -ERANGE, "port 65536");
    assert_fails("name=n\nhost=h\nport=18446744073709551617\n", -ERANGE,
                 "port 2^64 + 1: strtoul reports ERANGE in errno");
}

GRADED_TEST(config, line_length_is_checked_at_the_boundary, 2,
            .description = "a line of CONFIG_LINE_MAX characters loads; one "
                           "of CONFIG_LINE_MAX + 1 is -EINVAL")
{
    char text[CONFIG_LINE_MAX + 64];
    struct config *config = NULL;
    const char *head = "name=n\nhost=h\nmotd=";
    size_t value_len = CONFIG_LINE_MAX - strlen("motd=");

    /* motd=xxx...x: exactly CONFIG_LINE_MAX characters, then more. */
    for (int extra = 0; extra <= 1; extra++) {
        for (int newline = 1; newline >= 0; newline--) {
            int len = snprintf(text, sizeof text, "%s%0*d%s", head,
                               (int)value_len + extra, 0,
                               newline ? "\n" : "");
            cr_assert(lt(int, len, (int)sizeof text), "test setup");
            if (extra == 0) {
                cr_assert(eq(int, load(text, &config), 0), "a line of "
                          "exactly %d characters%s is valid: is the line "
                          "buffer big enough for the characters, the "
                          "newline and the NUL?", CONFIG_LINE_MAX,
                          newline ? "" : " (last, no newline)");
                cr_assert(eq(sz, strlen(config->motd), value_len),
                          "the motd was cut");
                config = config_free(config);
            } else {
                assert_fails(text, -EINVAL, "a line one character too "
                             "long");
            }
        }
    }
}

GRADED_TEST(config, missing_file_is_enoent, 1,
            .description = "config_load of a missing file returns -ENOENT")
{
    struct config *config = NULL;

    cr_assert(eq(int, load(full, &config), 0), "config_load failed on a "
              "valid file");
    config_free(config);
    config = &untouched;
    cr_assert(eq(int, config_load("missing", &config), -ENOENT),
              "config_load of a missing file must return -errno of fopen");
    cr_assert(eq(ptr, config, &untouched), "*out changed on failure");
}

GRADED_TEST(config, every_allocation_failure_is_clean, 3,
            .description = "whichever allocation fails, config_load returns "
                           "-ENOMEM, leaves *out alone and frees everything")
{
    size_t fds = io_open_fds();
    struct config *config = NULL;
    size_t run = 0;

    /* A repeated key: replacing a value can fail too. */
    cr_assert(eq(int, load("name = first\nhost = h\nport = 80\n"
                           "name = second\nmotd = m\n", &config), 0),
              "config_load failed on a valid file");
    config_free(config);
    for (; run < MAX_RUNS; run++) {
        size_t failed = alloc_stats().failed;

        config = &untouched;
        alloc_fail_after(run);
        int err = config_load("cfg", &config);
        alloc_fail_never();
        if (alloc_stats().failed == failed) {
            cr_assert(eq(int, err, 0), "config_load failed with no "
                      "allocation failing");
            config_free(config);
            cr_assert(eq(sz, alloc_live_blocks(), 0), "blocks left after "
                      "config_free");
            break; /* no allocation failed: every one has been tried */
        }
        cr_assert(eq(int, err, -ENOMEM), "allocation %zu failed: expected "
                  "-ENOMEM, got %d", run + 1, err);
        cr_assert(eq(ptr, config, &untouched), "*out changed on failure");
        cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu failed "
                  "and %zu block(s) were left: which strings were already "
                  "allocated at that point?", run + 1, alloc_live_blocks());
        cr_assert(eq(sz, io_open_fds(), fds), "allocation %zu failed and "
                  "the file was left open", run + 1);
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many allocations");
}

GRADED_TEST(config, failing_file_calls_are_clean, 1,
            .description = "when fopen or fclose fails, config_load reports "
                           "an open failure and leaks nothing")
{
    size_t fds = io_open_fds();
    struct config *config = NULL;

    cr_assert(eq(int, load(full, &config), 0), "config_load failed on a "
              "valid file");
    config_free(config);
    for (size_t run = 0; run < 3; run++) {
        size_t failed = io_stats().failed;

        config = &untouched;
        io_fail_once_after(run);
        int err = config_load("cfg", &config);
        io_fail_never();
        if (io_stats().failed == failed) {
            cr_assert(eq(int, err, 0), "no call failed, yet config_load "
                      "failed");
            config = config_free(config);
            break;
        }
        if (err == 0) {
            config = config_free(config); /* a failed read-only close */
        } else {
            cr_assert(lt(int, err, 0), "errors are negative errno values");
            cr_assert(eq(ptr, config, &untouched), "*out changed on "
                      "failure");
        }
        cr_assert(eq(sz, alloc_live_blocks(), 0), "I/O call %zu failed and "
                  "blocks were left", run + 1);
        cr_assert(eq(sz, io_open_fds(), fds), "I/O call %zu failed and a "
                  "descriptor was left open", run + 1);
    }
}

GRADED_TEST(config, free_accepts_null, 1,
            .description = "config_free frees everything and accepts NULL")
{
    size_t fds = io_open_fds();
    struct config *config = NULL;

    cr_assert(eq(int, load(full, &config), 0), "config_load failed on a "
              "valid file");
    free_and_check(config, fds);
    cr_assert(eq(ptr, config_free(NULL), NULL), "config_free(NULL) does "
              "nothing and returns NULL");
}
