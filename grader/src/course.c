/**
 * @file course.c
 * @brief Finds the lessons of the course tree and reads their lesson.json.
 */
#define _DEFAULT_SOURCE
#include "course.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "course_protocol.h"
#include "util.h"

/* Copies an optional JSON array of strings; a missing key gives an empty list. */
static int strv_from_json(json_t *array, strv *out)
{
    size_t n = json_is_array(array) ? json_array_size(array) : 0;
    strv v = calloc(n + 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *text = json_string_value(json_array_get(array, i));
        if (!text || !(v[i] = strdup(text))) {
            strv_free(v);
            return text ? -ENOMEM : -EINVAL;
        }
    }
    *out = v;
    return 0;
}

static void lesson_done(struct lesson *lesson)
{
    free(lesson->slug);
    free(lesson->title);
    strv_free(lesson->exercises);
    strv_free(lesson->cflags);
    strv_free(lesson->ldlibs);
    strv_free(lesson->imports);
    strv_free(lesson->support);
    free(lesson->cpu_shares);
    strv_free(lesson->sections);
    for (size_t i = 0; i < lesson->n_error_sections; i++)
        free(lesson->error_sections[i].kind), free(lesson->error_sections[i].title);
    free(lesson->error_sections);
}

/* The sections that explanations cite, from "error_sections" ({"leak":
 * "Leaks"}). Returns 0, -EINVAL for a value that is not a string, or
 * -ENOMEM. */
static int error_sections_from_json(json_t *map, struct lesson *lesson)
{
    if (!map)
        return 0;
    if (!json_is_object(map))
        return -EINVAL;
    lesson->error_sections = calloc(json_object_size(map) + 1, sizeof(*lesson->error_sections));
    if (!lesson->error_sections)
        return -ENOMEM;
    const char *kind;
    json_t *title;
    json_object_foreach(map, kind, title) {
        if (!json_is_string(title))
            return -EINVAL;
        struct lesson_section *section = &lesson->error_sections[lesson->n_error_sections++];
        section->kind = strdup(kind);
        section->title = strdup(json_string_value(title));
        if (!section->kind || !section->title)
            return -ENOMEM;
    }
    return 0;
}

const char *course_section(const struct course *course, const char *kind,
                           const struct lesson **lesson)
{
    *lesson = NULL;
    for (size_t l = 0; l < course->n_lessons; l++) {
        const struct lesson *candidate = &course->lessons[l];
        for (size_t i = 0; i < candidate->n_error_sections; i++) {
            if (strcmp(candidate->error_sections[i].kind, kind) == 0) {
                *lesson = candidate;
                return candidate->error_sections[i].title;
            }
        }
    }
    return NULL;
}

/* The position of exercise @p name in @p lesson's list, or the list's
 * length when it is none of them. */
static size_t exercise_index(const struct lesson *lesson, const char *name)
{
    size_t e = 0;
    while (lesson->exercises[e] && strcmp(lesson->exercises[e], name) != 0)
        e++;
    return e;
}

/* Each exercise's share of the lesson's CPU budget from "cpu_shares"
 * ({"mm": 3}: 1 for an exercise it does not name). Returns 0, or -EINVAL
 * for a name that is no exercise or a share that is not a positive
 * number. */
static int shares_from_json(json_t *shares, struct lesson *lesson)
{
    size_t n = strv_len(lesson->exercises);
    lesson->cpu_shares = calloc(n ? n : 1, sizeof(*lesson->cpu_shares));
    if (!lesson->cpu_shares)
        return -ENOMEM;
    for (size_t e = 0; e < n; e++)
        lesson->cpu_shares[e] = 1;
    if (!shares)
        return 0;
    if (!json_is_object(shares))
        return -EINVAL;
    const char *name;
    json_t *value;
    json_object_foreach(shares, name, value) {
        size_t e = exercise_index(lesson, name);
        if (e == n || !json_is_number(value) || !(json_number_value(value) > 0))
            return -EINVAL;
        lesson->cpu_shares[e] = json_number_value(value);
    }
    return 0;
}

/* Each exercise's section from "sections" ({"mm": "The checker"}; "" for
 * an exercise it does not name). Returns 0, or -EINVAL for a name that is
 * no exercise or a title that is not a string. */
static int sections_from_json(json_t *sections, struct lesson *lesson)
{
    size_t n = strv_len(lesson->exercises);
    lesson->sections = calloc(n + 1, sizeof(*lesson->sections));
    if (!lesson->sections)
        return -ENOMEM;
    for (size_t e = 0; e < n; e++) {
        const char *title = json_string_value(json_object_get(sections, lesson->exercises[e]));
        if (!(lesson->sections[e] = strdup(title ? title : "")))
            return -ENOMEM;
    }
    if (!sections)
        return 0;
    if (!json_is_object(sections))
        return -EINVAL;
    const char *name;
    json_t *value;
    json_object_foreach(sections, name, value) {
        size_t e = exercise_index(lesson, name);
        if (e == n || !json_is_string(value))
            return -EINVAL;
    }
    return 0;
}

double lesson_cpu_budget(const struct lesson *lesson, const char *exercise)
{
    double total = 0, mine = 0;
    for (size_t e = 0; lesson->exercises[e]; e++) {
        total += lesson->cpu_shares[e];
        if (strcmp(lesson->exercises[e], exercise) == 0)
            mine = lesson->cpu_shares[e];
    }
    return total > 0 ? PROTO_LESSON_CPU_S * mine / total : 0;
}

static int lesson_load(const char *root, const char *slug, struct lesson *out, char **error)
{
    char *path = str_printf("%s/lessons/%s/lesson.json", root, slug);
    if (!path)
        return -ENOMEM;
    json_error_t parse_error;
    json_t *doc = json_load_file(path, 0, &parse_error);
    if (!doc) {
        *error = str_printf("%s:%d: %s", path, parse_error.line, parse_error.text);
        free(path);
        return -EINVAL;
    }
    *out = (struct lesson){ .slug = strdup(slug) };
    const char *title = json_string_value(json_object_get(doc, "title"));
    out->title = strdup(title ? title : slug);
    int err = -ENOMEM;
    if (out->slug && out->title
        && (err = strv_from_json(json_object_get(doc, "exercises"), &out->exercises)) == 0
        && (err = strv_from_json(json_object_get(doc, "cflags"), &out->cflags)) == 0
        && (err = strv_from_json(json_object_get(doc, "imports"), &out->imports)) == 0
        && (err = strv_from_json(json_object_get(doc, "support"), &out->support)) == 0)
        err = strv_from_json(json_object_get(doc, "ldlibs"), &out->ldlibs);
    if (err == 0)
        err = shares_from_json(json_object_get(doc, "cpu_shares"), out);
    if (err == 0)
        err = sections_from_json(json_object_get(doc, "sections"), out);
    if (err == 0)
        err = error_sections_from_json(json_object_get(doc, "error_sections"), out);
    out->asan = json_is_true(json_object_get(doc, "asan"));
    if (err == 0 && strv_len(out->exercises) == 0)
        err = -EINVAL;
    if (err != 0) {
        *error = str_printf("%s: needs \"exercises\": a non-empty list of names, and "
                            "optional \"cflags\", \"ldlibs\", \"imports\", \"support\" "
                            "lists of strings, \"asan\": true, \"cpu_shares\": an "
                            "object of exercise names and positive numbers and "
                            "\"sections\": an object of exercise names and section "
                            "titles, \"error_sections\": an object of error kinds and "
                            "section titles", path);
        lesson_done(out);
    }
    json_decref(doc);
    free(path);
    return err;
}

static int by_slug(const void *a, const void *b)
{
    return strcmp(((const struct lesson *)a)->slug, ((const struct lesson *)b)->slug);
}

int course_load(const char *root, struct course *out, char **error)
{
    *out = (struct course){ 0 };
    *error = NULL;
    char resolved[PATH_MAX];
    char *lessons_dir = str_printf("%s/lessons", root);
    if (!lessons_dir)
        return -ENOMEM;
    DIR *dir = realpath(root, resolved) ? opendir(lessons_dir) : NULL;
    free(lessons_dir);
    if (!dir) {
        *error = str_printf("%s is not a course tree: it has no lessons/ directory", root);
        return -ENOENT;
    }
    out->root = strdup(resolved);
    int err = out->root ? 0 : -ENOMEM;
    struct dirent *entry;
    while (err == 0 && (entry = readdir(dir)) != NULL) {
        const char *slug = entry->d_name;
        if (!(slug[0] >= '0' && slug[0] <= '9' && slug[1] >= '0' && slug[1] <= '9'
              && slug[2] == '-'))
            continue;
        struct lesson *grown = realloc(out->lessons, (out->n_lessons + 1) * sizeof(*grown));
        if (!grown) {
            err = -ENOMEM;
            break;
        }
        out->lessons = grown;
        err = lesson_load(out->root, slug, &out->lessons[out->n_lessons], error);
        if (err == 0)
            out->n_lessons++;
    }
    closedir(dir);
    if (err != 0) {
        course_done(out);
        return err;
    }
    qsort(out->lessons, out->n_lessons, sizeof(*out->lessons), by_slug);
    return 0;
}

const struct lesson *course_find(const struct course *course, const char *name)
{
    char *end = NULL;
    long number = strtol(name, &end, 10);
    bool by_number = end != name && *end == '\0';
    for (size_t i = 0; i < course->n_lessons; i++) {
        const struct lesson *lesson = &course->lessons[i];
        if (strcmp(lesson->slug, name) == 0)
            return lesson;
        if (by_number && strtol(lesson->slug, NULL, 10) == number)
            return lesson;
    }
    return NULL;
}

/* A JSON array of the strings of @p v, each after @p prefix. */
static json_t *json_strings(const strv v, const char *prefix)
{
    json_t *array = json_array();
    for (size_t i = 0; array && v[i]; i++) {
        if (json_array_append_new(array, json_sprintf("%s%s", prefix, v[i])) != 0)
            return json_decref(array), NULL;
    }
    return array;
}

/* One exercise of @p lesson (index @p e) as course_describe() shows it. */
static json_t *exercise_describe(const struct lesson *lesson, size_t e)
{
    const char *slug = lesson->slug, *name = lesson->exercises[e];
    const char *section = lesson->sections[e];
    json_t *out = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:s?, s:f}", "name", name,
                            "file", json_sprintf("exercises/%s/%s.c", slug, name),
                            "header", json_sprintf("exercises/%s/%s.h", slug, name),
                            "tests", json_sprintf("lessons/%s/tests/%s_test.c", slug, name),
                            "solution", json_sprintf("solutions/%s/%s.c", slug, name),
                            "hints", json_sprintf("lessons/%s/hints/%s.md", slug, name),
                            "section", section[0] ? section : NULL,
                            "cpu_seconds", lesson_cpu_budget(lesson, name));
    return out;
}

/* One lesson as course_describe() shows it: every exercise, or @p only. */
static json_t *lesson_describe(const struct lesson *lesson, const char *only)
{
    json_t *exercises = json_array();
    for (size_t e = 0; exercises && lesson->exercises[e]; e++) {
        if (only && strcmp(lesson->exercises[e], only) != 0)
            continue;
        if (json_array_append_new(exercises, exercise_describe(lesson, e)) != 0)
            return json_decref(exercises), NULL;
    }
    char *support_dir = str_printf("exercises/%s/support/", lesson->slug);
    json_t *out = exercises && support_dir
        ? json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o}", "slug", lesson->slug,
                    "title", lesson->title,
                    "readme", json_sprintf("lessons/%s/README.md", lesson->slug),
                    "cflags", json_strings(lesson->cflags, ""),
                    "ldlibs", json_strings(lesson->ldlibs, ""),
                    "imports", json_strings(lesson->imports, ""),
                    "support", json_strings(lesson->support, support_dir),
                    "asan", lesson->asan, "exercises", exercises)
        : NULL;
    if (!out)
        json_decref(exercises);
    free(support_dir);
    return out;
}

int course_describe(FILE *out, const struct course *course,
                    const struct lesson *const *lessons, size_t n_lessons,
                    const char *exercise)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < n_lessons; i++) {
        json_t *lesson = lesson_describe(lessons[i], exercise);
        size_t n_shown = json_array_size(json_object_get(lesson, "exercises"));
        if (!lesson || (n_shown == 0 && exercise)) {
            json_decref(lesson);
            if (!lesson)
                return json_decref(list), -ENOMEM;
            continue;
        }
        if (json_array_append_new(list, lesson) != 0)
            return json_decref(list), -ENOMEM;
    }
    json_t *doc = list ? json_pack("{s:s, s:o}", "root", course->root, "lessons", list) : NULL;
    if (!doc)
        return -ENOMEM;
    int err = json_dumpf(doc, out, JSON_INDENT(2)) == 0 && fputc('\n', out) != EOF ? 0 : -EIO;
    json_decref(doc);
    return err;
}

void course_done(struct course *course)
{
    for (size_t i = 0; i < course->n_lessons; i++)
        lesson_done(&course->lessons[i]);
    free(course->lessons);
    free(course->root);
    *course = (struct course){ 0 };
}
