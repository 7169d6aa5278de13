/**
 * @file overlay.c
 * @brief Checking the shape of an instructor's hidden-test overlay.
 */
#define _DEFAULT_SOURCE
#include "overlay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* The lesson whose slug is @p name exactly, or NULL. */
static const struct lesson *lesson_named(const struct course *course, const char *name)
{
    for (size_t i = 0; i < course->n_lessons; i++) {
        if (strcmp(course->lessons[i].slug, name) == 0)
            return &course->lessons[i];
    }
    return NULL;
}

/* Whether @p name is EXERCISE_test.c for an exercise of @p lesson. */
static bool test_file_of(const struct lesson *lesson, const char *name)
{
    for (char **ex = lesson->exercises; *ex; ex++) {
        size_t len = strlen(*ex);
        if (strncmp(name, *ex, len) == 0 && strcmp(name + len, "_test.c") == 0)
            return true;
    }
    return false;
}

/* The names that are allowed in @p lesson's folder, for an error message. */
static char *allowed_names(const struct lesson *lesson)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return NULL;
    for (char **ex = lesson->exercises; *ex; ex++)
        fprintf(out, "%s%s_test.c", ex == lesson->exercises ? "" : ", ", *ex);
    fprintf(out, " (and headers, .h)");
    fclose(out);
    return text;
}

/* Checks one lesson folder of the overlay. */
static int lesson_check(const struct lesson *lesson, int dir_fd, const char *shown,
                        size_t *n_tests, char **error)
{
    DIR *dir = fdopendir(dir_fd);
    if (!dir) {
        close(dir_fd);
        *error = str_printf("the hidden tests' folder %s cannot be read", shown);
        return -ENOENT;
    }
    int err = 0;
    struct dirent *entry;
    while (err == 0 && (entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        struct stat st;
        bool regular = fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) == 0
                       && S_ISREG(st.st_mode);
        bool test = test_file_of(lesson, name);
        if (regular && (test || str_ends_with(name, ".h"))) {
            *n_tests += test;
            continue;
        }
        char *allowed = allowed_names(lesson);
        *error = str_printf("the hidden tests' folder %s has %s, which %s; it may hold "
                            "only regular files named %s",
                            shown, name, regular ? "belongs to no exercise of the lesson"
                                                 : "is not a regular file",
                            allowed ? allowed : "EXERCISE_test.c");
        free(allowed);
        err = -EINVAL;
    }
    closedir(dir);
    return err;
}

int overlay_check(const struct course *course, const char *dir, size_t *n_tests,
                  char **error)
{
    *n_tests = 0;
    *error = NULL;
    DIR *root = opendir(dir);
    if (!root) {
        *error = str_printf("the hidden tests' folder %s cannot be read", dir);
        return -ENOENT;
    }
    int err = 0;
    struct dirent *entry;
    while (err == 0 && (entry = readdir(root)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        const struct lesson *lesson = lesson_named(course, name);
        int fd = lesson ? openat(dirfd(root), name,
                                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                        : -1;
        if (fd < 0) {
            *error = str_printf("the hidden tests' folder %s has %s, which is not a "
                                "lesson's folder; name each folder as the course names "
                                "the lesson, e.g. %s",
                                dir, name, course->n_lessons ? course->lessons[0].slug
                                                             : "01-slug");
            err = -EINVAL;
            break;
        }
        char *shown = str_printf("%s/%s", dir, name);
        err = lesson_check(lesson, fd, shown ? shown : name, n_tests, error);
        free(shown);
    }
    closedir(root);
    return err;
}
