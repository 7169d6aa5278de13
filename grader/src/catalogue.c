/**
 * @file catalogue.c
 * @brief `--list` output to struct catalogue, and back for JSON readers.
 *
 * Every member is read with the accessor that its readers used on the JSON
 * object (json_integer_value() for points, json_number_value() for the
 * timeout...), so that a listing means what it meant before it was typed.
 */
#define _GNU_SOURCE
#include "catalogue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A copy of the string member @p key of @p object; NULL when it is not a
 * string. Sets *oom when the copy fails. */
static char *member_copy(json_t *object, const char *key, bool *oom)
{
    const char *text = json_string_value(json_object_get(object, key));
    char *copy = text ? strdup(text) : NULL;
    if (text && !copy)
        *oom = true;
    return copy;
}

static bool entry_read(json_t *object, struct test_entry *entry)
{
    bool oom = false;
    *entry = (struct test_entry){
        .suite = member_copy(object, "suite", &oom),
        .name = member_copy(object, "name", &oom),
        .description = member_copy(object, "description", &oom),
        .visibility = member_copy(object, "visibility", &oom),
        .file = member_copy(object, "file", &oom),
        .line = json_integer_value(json_object_get(object, "line")),
        .points = json_integer_value(json_object_get(object, "points")),
        .timeout = json_number_value(json_object_get(object, "timeout")),
        .signal = (int)json_integer_value(json_object_get(object, "signal")),
        .disabled = json_is_true(json_object_get(object, "disabled")),
    };
    return !oom;
}

static void entry_done(struct test_entry *entry)
{
    free(entry->suite), free(entry->name), free(entry->description);
    free(entry->visibility), free(entry->file);
    *entry = (struct test_entry){ 0 };
}

int catalogue_parse(const char *text, struct catalogue *out)
{
    *out = (struct catalogue){ 0 };
    json_error_t parse_error;
    json_t *list = json_loads(text, 0, &parse_error);
    size_t n = json_array_size(list);
    int err = json_is_array(list) ? 0 : -EINVAL;
    out->tests = err == 0 ? calloc(n ? n : 1, sizeof(*out->tests)) : NULL;
    if (err == 0 && !out->tests)
        err = -ENOMEM;
    for (size_t i = 0; err == 0 && i < n; i++) {
        json_t *object = json_array_get(list, i);
        if (!json_is_object(object))
            err = -EINVAL;
        else if (!entry_read(object, &out->tests[out->n++]))
            err = -ENOMEM;
    }
    json_decref(list);
    if (err != 0)
        catalogue_done(out);
    return err;
}

int catalogue_load(const char *path, size_t max_bytes, struct catalogue *out)
{
    *out = (struct catalogue){ 0 };
    char *text = file_read_capped(path, max_bytes, NULL);
    if (!text)
        return -EIO;
    int err = catalogue_parse(text, out);
    free(text);
    return err;
}

void catalogue_done(struct catalogue *catalogue)
{
    if (!catalogue)
        return;
    for (size_t i = 0; i < catalogue->n; i++)
        entry_done(&catalogue->tests[i]);
    free(catalogue->tests);
    *catalogue = (struct catalogue){ 0 };
}

/* Both present and equal. */
static bool same_text(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

bool test_entry_same(const struct test_entry *a, const struct test_entry *b)
{
    return same_text(a->suite, b->suite) && same_text(a->name, b->name)
           && same_text(a->file, b->file);
}

