/*
 * config: a struct that owns several strings, loaded from a file.
 *
 * Resources, in order of acquisition, and the label that releases each:
 *
 *   1. file    the open FILE *              out_close_file
 *   2. config  the struct and its strings   out_free_config
 *
 * The struct is built with calloc(), so every field starts NULL or 0 and
 * config_free() can release a half-built configuration as safely as a
 * complete one: one destructor serves the error paths and the caller.
 * On success the configuration is handed to the caller and the local
 * pointer cleared, so the shared exit path frees nothing (a "take").
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLANKS " \t"

struct config *config_free(struct config *config)
{
    if (!config)
        return NULL;
    free(config->name);
    free(config->host);
    free(config->motd);
    free(config);
    return NULL;
}

/* Returns text without its leading and trailing blanks (and newline),
 * cutting it in place. */
static char *trim(char *text)
{
    text += strspn(text, BLANKS);
    size_t len = strlen(text);
    while (len > 0 && strchr(BLANKS "\n", text[len - 1]))
        len--;
    text[len] = '\0';
    return text;
}

/* Replaces *field with a copy of value, freeing the old one only once the
 * copy exists. Returns 0 or -ENOMEM (and then *field is unchanged). */
static int set_string(char **field, const char *value)
{
    char *copy = strdup(value);
    if (!copy)
        return -ENOMEM;
    free(*field);
    *field = copy;
    return 0;
}

/* Parses a port: digits only, 1 to 65535. Returns 0, -EINVAL or -ERANGE. */
static int parse_port(const char *value, unsigned *port)
{
    size_t digits = strspn(value, "0123456789");
    if (digits == 0 || value[digits] != '\0')
        return -EINVAL;
    errno = 0;
    unsigned long number = strtoul(value, NULL, 10);
    if (errno == ERANGE || number == 0 || number > 65535)
        return -ERANGE;
    *port = (unsigned)number;
    return 0;
}

/* Applies one line, as read by fgets(), to config. Returns 0 or -errno. */
static int parse_line(struct config *config, char *line, bool at_eof)
{
    if (!strchr(line, '\n') && !at_eof)
        return -EINVAL; /* fgets() stopped before the end of the line */
    char *text = trim(line);
    if (text[0] == '\0' || text[0] == '#')
        return 0;
    char *equals = strchr(text, '=');
    if (!equals)
        return -EINVAL;
    *equals = '\0';
    char *key = trim(text);
    char *value = trim(equals + 1);

    if (strcmp(key, "name") == 0)
        return set_string(&config->name, value);
    if (strcmp(key, "host") == 0)
        return set_string(&config->host, value);
    if (strcmp(key, "motd") == 0)
        return set_string(&config->motd, value);
    if (strcmp(key, "port") == 0)
        return parse_port(value, &config->port);
    return -EINVAL; /* unknown or empty key */
}

int config_load(const char *path, struct config **out)
{
    int err = 0;

    FILE *file = fopen(path, "re");
    if (!file)
        return -errno;

    struct config *config = calloc(1, sizeof *config);
    if (!config) {
        err = -ENOMEM;
        goto out_close_file;
    }

    char line[CONFIG_LINE_MAX + 2]; /* the characters, '\n' and '\0' */
    while (fgets(line, sizeof line, file)) {
        err = parse_line(config, line, feof(file));
        if (err < 0)
            goto out_free_config;
    }
    if (ferror(file)) {
        err = -EIO;
        goto out_free_config;
    }
    if (!config->name || !config->host) {
        err = -EINVAL;
        goto out_free_config;
    }

    *out = config;
    config = NULL; /* taken by the caller: the exit path must not free it */

out_free_config:
    config_free(config);
out_close_file:
    fclose(file); /* read-only: a failure here loses nothing */
    return err;
}
