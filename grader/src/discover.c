/**
 * @file discover.c
 * @brief Submission discovery: one walk of the tree, then one match per
 *        exercise.
 *
 * 1. The walk lists every `.c` regular file below the root with its path,
 *    its name without `.c`, and the names of its two enclosing folders.
 *    Directories are opened with openat(O_NOFOLLOW), entries examined with
 *    fstatat(AT_SYMLINK_NOFOLLOW): a symbolic link is never followed, only
 *    recorded as refused, as is every special file.
 * 2. Each exercise takes its best candidate (exercises/NN-slug/ beats
 *    NN-slug/ beats anywhere; shallower beats deeper). A tie takes nothing.
 * 3. Only then are the leftovers compared with the missing exercises ("did
 *    you mean"), so that a suggestion never points at another exercise's
 *    file; whatever is still left is reported as ignored.
 *
 * Worst case: DISCOVERY_MAX_ENTRIES entries, each compared with every
 * exercise of the course; names are short, so this is milliseconds.
 */
#define _GNU_SOURCE
#include "discover.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/** At most this many "ignored" notes; the rest are counted in one line. */
#define MAX_IGNORED_NOTES 20
/** Names longer than this get no "did you mean". */
#define MAX_NAME 64

/** One file met by the walk: a `.c` candidate, or something refused. */
struct entry {
    char *relative;    /**< Path below the root; owned. */
    char *stem;        /**< Base name without ".c"; owned. */
    char *parent;      /**< Name of the enclosing folder, "" at the root; owned. */
    char *grandparent; /**< Name of the folder above that, or ""; owned. */
    int depth;         /**< Folders between the root and the file. */
    const char *refusal; /**< Why it was refused (static text), or NULL for a
                              regular `.c` file. */
    bool claimed;      /**< Taken, or named, by an exercise. */
};

/** The walk's state. */
struct walk {
    struct entry *entries;  /**< Owned array of @ref n entries. */
    size_t n;               /**< Entries in use. */
    size_t capacity;        /**< Entries allocated. */
    size_t seen;            /**< Directory entries examined so far. */
    bool depth_noted;       /**< The depth limit was reported. */
    int err;                /**< First failure (-ENOMEM), or 0. */
};

static void note_add(struct discovery *out, int *err, enum discovery_note_kind kind,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void note_add(struct discovery *out, int *err, enum discovery_note_kind kind,
                     const char *fmt, ...)
{
    if (*err)
        return;
    va_list args;
    va_start(args, fmt);
    char *text = NULL;
    int len = vasprintf(&text, fmt, args);
    va_end(args);
    struct discovery_note *grown =
        len < 0 ? NULL : realloc(out->notes, (out->n_notes + 1) * sizeof(*grown));
    if (!grown) {
        free(len < 0 ? NULL : text);
        *err = -ENOMEM;
        return;
    }
    out->notes = grown;
    out->notes[out->n_notes++] = (struct discovery_note){ .kind = kind, .text = text };
}

static bool is_archive(const char *name)
{
    static const char *const suffixes[] = { ".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz",
                                            ".7z", ".rar" };
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        if (str_ends_with(name, suffixes[i]))
            return true;
    }
    return false;
}

/* What a file that is neither a directory nor a regular file is. */
static const char *refusal_of(mode_t mode)
{
    if (S_ISLNK(mode))
        return "is a symbolic link, and links are never followed: submit the file itself";
    if (S_ISFIFO(mode))
        return "is a named pipe (FIFO), not a regular file";
    if (S_ISSOCK(mode))
        return "is a socket, not a regular file";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "is a device, not a regular file";
    return "is not a regular file";
}

static void entry_add(struct walk *w, const char *relative, const char *name,
                      const char *parent, const char *grandparent, int depth,
                      const char *refusal)
{
    if (w->err)
        return;
    if (w->n == w->capacity) {
        size_t capacity = w->capacity ? 2 * w->capacity : 64;
        struct entry *grown = reallocarray(w->entries, capacity, sizeof(*grown));
        if (!grown) {
            w->err = -ENOMEM;
            return;
        }
        w->entries = grown;
        w->capacity = capacity;
    }
    size_t stem_len = str_ends_with(name, ".c") ? strlen(name) - 2 : strlen(name);
    struct entry e = { .relative = strdup(relative), .stem = strndup(name, stem_len),
                       .parent = strdup(parent), .grandparent = strdup(grandparent),
                       .depth = depth, .refusal = refusal };
    if (!e.relative || !e.stem || !e.parent || !e.grandparent) {
        free(e.relative), free(e.stem), free(e.parent), free(e.grandparent);
        w->err = -ENOMEM;
        return;
    }
    w->entries[w->n++] = e;
}

/* True for NN-slug/support/: the course's own code beside the exercises
 * (lesson.json "support"), which a copy of exercises/ carries along and the
 * grader always takes from the course. */
static bool is_course_support(const char *name, const char *parent)
{
    return strcmp(name, "support") == 0 && parent[0] >= '0' && parent[0] <= '9'
           && parent[1] >= '0' && parent[1] <= '9' && parent[2] == '-';
}

/* Walks the directory @p dir_fd (taken: closed here), found at @p relative. */
static void walk_dir(struct walk *w, struct discovery *out, int dir_fd, const char *relative,
                     const char *parent, const char *grandparent, int depth)
{
    DIR *dir = fdopendir(dir_fd);
    if (!dir) {
        close(dir_fd);
        return;
    }
    struct dirent *d;
    while (!w->err && (d = readdir(dir)) != NULL) {
        const char *name = d->d_name;
        /* Hidden files, .git, and the resource forks macOS puts in zips. */
        if (name[0] == '.' || strcmp(name, "__MACOSX") == 0)
            continue;
        if (++w->seen > DISCOVERY_MAX_ENTRIES) {
            note_add(out, &w->err, DISCOVERY_LIMIT,
                     "stopped looking after %d files and folders: submit only your "
                     "exercise files", DISCOVERY_MAX_ENTRIES);
            break;
        }
        char *child = relative[0] ? str_printf("%s/%s", relative, name) : strdup(name);
        struct stat st;
        if (!child) {
            w->err = -ENOMEM;
        } else if (fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            /* Vanished while we looked: nothing to grade there. */
        } else if (S_ISDIR(st.st_mode)) {
            if (is_course_support(name, parent)) {
                /* Not the learner's: neither searched nor named as ignored. */
            } else if (depth + 1 > DISCOVERY_MAX_DEPTH) {
                if (!w->depth_noted)
                    note_add(out, &w->err, DISCOVERY_LIMIT,
                             "%s is more than %d folders deep: not searched", child,
                             DISCOVERY_MAX_DEPTH);
                w->depth_noted = true;
            } else {
                int fd = openat(dirfd(dir), name,
                                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0)
                    walk_dir(w, out, fd, child, name, parent, depth + 1);
            }
        } else if (S_ISREG(st.st_mode)) {
            if (str_ends_with(name, ".c"))
                entry_add(w, child, name, parent, grandparent, depth, NULL);
            else if (is_archive(name))
                note_add(out, &w->err, DISCOVERY_IGNORED,
                         "ignored %s: an archive is not opened; extract it and submit "
                         "the files", child);
        } else {
            entry_add(w, child, name, parent, grandparent, depth, refusal_of(st.st_mode));
        }
        free(child);
    }
    closedir(dir);
}

/* Restricted Damerau-Levenshtein distance (a transposition counts as one
 * edit: "vecotr" is one typo away from "vector"), ignoring letter case. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_NAME || m > MAX_NAME)
        return SIZE_MAX;
    size_t d[MAX_NAME + 1][MAX_NAME + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2])
                && tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

/* True when @p stem looks like @p exercise: a typo or two, another letter
 * case, or a decorated copy such as "vector (1)", "vector_final", "my-vector". */
static bool is_near(const char *stem, const char *exercise)
{
    size_t len = strlen(exercise);
    if (edit_distance(stem, exercise) <= (len <= 4 ? 1u : 2u))
        return true;
    size_t n = strlen(stem);
    if (n > len && strncasecmp(stem, exercise, len) == 0 && !isalnum((unsigned char)stem[len]))
        return true;
    return n > len && strcasecmp(stem + n - len, exercise) == 0
           && !isalnum((unsigned char)stem[n - len - 1]);
}

/* How well entry @p e fits lesson @p slug: 2 in exercises/NN-slug/, 1 in
 * NN-slug/, 0 elsewhere, -1 inside another lesson's folder. */
static int fit(const struct entry *e, const struct course *course, const char *slug)
{
    if (strcmp(e->parent, slug) == 0)
        return strcmp(e->grandparent, "exercises") == 0 ? 2 : 1;
    for (size_t i = 0; i < course->n_lessons; i++) {
        if (strcmp(e->parent, course->lessons[i].slug) == 0)
            return -1;
    }
    return 0;
}

/* "a.c, b.c and c.c": the paths of the entries of @p idx, as a new string. */
static char *entry_list(const struct walk *w, const size_t *idx, size_t n)
{
    char *text = NULL;
    size_t size = 0;
    FILE *list = open_memstream(&text, &size);
    if (!list)
        return NULL;
    for (size_t i = 0; i < n; i++)
        fprintf(list, "%s%s", i == 0 ? "" : (i + 1 == n ? " and " : ", "),
                w->entries[idx[i]].relative);
    if (fclose(list) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Step 2 for one exercise: sets its relative path, or leaves it NULL with
 * the matching candidates in @p idx (count in *n_idx) when it is a tie. */
static void match_exercise(struct walk *w, const struct course *course, struct discovered *f,
                           size_t *idx, size_t *n_idx)
{
    int best_fit = -1, best_depth = INT_MAX;
    size_t best = SIZE_MAX, ties = 0;
    *n_idx = 0;
    for (size_t i = 0; i < w->n; i++) {
        const struct entry *e = &w->entries[i];
        int score = fit(e, course, f->lesson->slug);
        if (e->refusal || score < 0 || strcmp(e->stem, f->exercise) != 0)
            continue;
        idx[(*n_idx)++] = i;
        if (score > best_fit || (score == best_fit && e->depth < best_depth)) {
            best_fit = score, best_depth = e->depth, best = i, ties = 1;
        } else if (score == best_fit && e->depth == best_depth) {
            ties++;
        }
    }
    for (size_t i = 0; i < *n_idx; i++)
        w->entries[idx[i]].claimed = true;
    if (best == SIZE_MAX || ties > 1) {
        /* Keep only the tied ones, for the message. */
        size_t kept = 0;
        for (size_t i = 0; i < *n_idx; i++) {
            const struct entry *e = &w->entries[idx[i]];
            if (fit(e, course, f->lesson->slug) == best_fit && e->depth == best_depth)
                idx[kept++] = idx[i];
        }
        *n_idx = kept;
        return;
    }
    f->relative = strdup(w->entries[best].relative);
    /* Move the chosen one first; the others are second copies. */
    for (size_t i = 0; i < *n_idx; i++) {
        if (idx[i] == best) {
            idx[i] = idx[0];
            idx[0] = best;
        }
    }
    if (!f->relative)
        w->err = -ENOMEM;
}

/* The sentence for an exercise with several equally good files. */
static char *ambiguous_why(const struct walk *w, const struct discovered *f,
                           const size_t *idx, size_t n_tied)
{
    char *names = entry_list(w, idx, n_tied);
    char *why = str_printf("%s/%s.c is ambiguous: %s are equally likely; submit only one "
                           "%s.c, ideally in exercises/%s/", f->lesson->slug, f->exercise,
                           names ? names : "several files", f->exercise, f->lesson->slug);
    free(names);
    return why;
}

/* Step 3 for one missing exercise: its sentence, naming a refused file of
 * that name or near names; *kind says which. */
static char *missing_why(struct walk *w, const struct discovered *f, size_t *idx,
                         enum discovery_note_kind *kind)
{
    const char *slug = f->lesson->slug, *ex = f->exercise;
    *kind = DISCOVERY_MISSING;
    for (size_t i = 0; i < w->n; i++) {
        struct entry *e = &w->entries[i];
        if (e->refusal && strcmp(e->stem, ex) == 0) {
            e->claimed = true;
            *kind = DISCOVERY_REFUSED;
            return str_printf("%s/%s.c: %s %s", slug, ex, e->relative, e->refusal);
        }
    }
    size_t n_near = 0;
    for (size_t i = 0; i < w->n && n_near < 3; i++) {
        struct entry *e = &w->entries[i];
        if (!e->refusal && !e->claimed && is_near(e->stem, ex))
            idx[n_near++] = i;
    }
    if (n_near == 0)
        return str_printf("%s/%s.c is missing from the submission", slug, ex);
    for (size_t i = 0; i < n_near; i++)
        w->entries[idx[i]].claimed = true;
    char *names = entry_list(w, idx, n_near);
    char *why = str_printf("%s/%s.c is missing from the submission: did you mean %s? "
                           "Rename it %s.c.", slug, ex, names ? names : "a near name", ex);
    free(names);
    return why;
}

static void walk_done(struct walk *w)
{
    for (size_t i = 0; i < w->n; i++) {
        struct entry *e = &w->entries[i];
        free(e->relative), free(e->stem), free(e->parent), free(e->grandparent);
    }
    free(w->entries);
    *w = (struct walk){ 0 };
}

/* Notes sorted by kind, keeping the order within a kind (insertion sort:
 * stable, and there are few notes). */
static void notes_sort(struct discovery *out)
{
    for (size_t i = 1; i < out->n_notes; i++) {
        struct discovery_note note = out->notes[i];
        size_t j = i;
        while (j > 0 && out->notes[j - 1].kind > note.kind) {
            out->notes[j] = out->notes[j - 1];
            j--;
        }
        out->notes[j] = note;
    }
}

/* Orders entries by path; paths are unique, so the order is total. */
static int entry_compare(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->relative, ((const struct entry *)b)->relative);
}

/* Steps 2 and 3 over the whole course, then the leftovers. */
static int match_all(struct walk *w, const struct course *course, struct discovery *out)
{
    int err = 0;
    size_t *idx = calloc(w->n + 3, sizeof(*idx));
    if (!idx)
        return -ENOMEM;
    /* Every exercise takes its own file before any "did you mean". */
    for (size_t k = 0; k < out->n_files && !w->err && !err; k++) {
        struct discovered *f = &out->files[k];
        const char *slug = f->lesson->slug;
        size_t n_idx = 0;
        match_exercise(w, course, f, idx, &n_idx);
        if (!f->relative) {
            if (n_idx > 1 && (f->why = ambiguous_why(w, f, idx, n_idx)) != NULL)
                note_add(out, &err, DISCOVERY_AMBIGUOUS, "%s", f->why);
            err = n_idx > 1 && !f->why ? -ENOMEM : err;
            continue;
        }
        if (!(f->path = str_printf("%s/%s", out->root, f->relative)))
            err = -ENOMEM;
        out->n_found++;
        /* Say where only when it is not where exercises/ would have it. */
        char *usual = str_printf("%s/%s.c", slug, f->exercise);
        if (usual && strcmp(usual, f->relative) == 0)
            note_add(out, &err, DISCOVERY_FOUND, "found %s", usual);
        else
            note_add(out, &err, DISCOVERY_FOUND, "found %s/%s.c at %s", slug, f->exercise,
                     f->relative);
        free(usual);
        for (size_t i = 1; i < n_idx; i++)
            note_add(out, &err, DISCOVERY_IGNORED, "ignored %s: a second %s.c (graded: %s)",
                     w->entries[idx[i]].relative, f->exercise, f->relative);
    }
    for (size_t k = 0; k < out->n_files && !w->err && !err; k++) {
        struct discovered *f = &out->files[k];
        if (f->relative || f->why)
            continue;
        enum discovery_note_kind kind;
        if (!(f->why = missing_why(w, f, idx, &kind)))
            err = -ENOMEM;
        else
            note_add(out, &err, kind, "%s", f->why);
    }
    size_t n_ignored = 0;
    for (size_t i = 0; i < w->n && !err; i++) {
        const struct entry *e = &w->entries[i];
        if (e->claimed)
            continue;
        if (e->refusal)
            note_add(out, &err, DISCOVERY_REFUSED, "%s %s", e->relative, e->refusal);
        else if (++n_ignored <= MAX_IGNORED_NOTES)
            note_add(out, &err, DISCOVERY_IGNORED, "ignored %s: no exercise of this course "
                     "is named %s", e->relative, e->stem);
    }
    if (n_ignored > MAX_IGNORED_NOTES)
        note_add(out, &err, DISCOVERY_IGNORED, "ignored %zu more .c files",
                 n_ignored - MAX_IGNORED_NOTES);
    free(idx);
    return w->err ? w->err : err;
}

int discover_submission(const char *submission_root, const struct course *course,
                        struct discovery *out)
{
    *out = (struct discovery){ 0 };
    char *root = realpath(submission_root, NULL);
    if (!root)
        return errno == ENOMEM ? -ENOMEM : -ENOENT;
    int root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        int err = -errno;
        free(root);
        return err;
    }
    out->root = root;
    for (size_t i = 0; i < course->n_lessons; i++)
        out->n_files += strv_len(course->lessons[i].exercises);
    out->files = calloc(out->n_files ? out->n_files : 1, sizeof(*out->files));
    if (!out->files) {
        close(root_fd);
        discovery_done(out);
        return -ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < course->n_lessons; i++) {
        for (char **ex = course->lessons[i].exercises; ex && *ex; ex++)
            out->files[k++] = (struct discovered){ .lesson = &course->lessons[i],
                                                   .exercise = *ex };
    }
    struct walk w = { 0 };
    walk_dir(&w, out, root_fd, "", "", "", 0);
    /* readdir() order is the file system's: sort for stable reports. */
    int err = w.err;
    if (!err) {
        if (w.n > 1)
            qsort(w.entries, w.n, sizeof(*w.entries), entry_compare);
        err = match_all(&w, course, out);
    }
    walk_done(&w);
    if (err) {
        discovery_done(out);
        return err;
    }
    notes_sort(out);
    return 0;
}

const struct discovered *discovery_find(const struct discovery *discovery, const char *slug,
                                        const char *exercise)
{
    for (size_t i = 0; i < discovery->n_files; i++) {
        const struct discovered *f = &discovery->files[i];
        if (strcmp(f->lesson->slug, slug) == 0 && strcmp(f->exercise, exercise) == 0)
            return f;
    }
    return NULL;
}

/* Opens @p relative below @p root_fd one component at a time, never
 * following a link; returns a read-only fd of a regular file, or -errno. */
static int open_beneath(int root_fd, const char *relative)
{
    char *copy = strdup(relative);
    if (!copy)
        return -ENOMEM;
    int dir_fd = dup(root_fd);
    char *part = copy, *slash;
    while (dir_fd >= 0 && (slash = strchr(part, '/')) != NULL) {
        *slash = '\0';
        int next = openat(dir_fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        /* O_DIRECTORY says ENOTDIR for a link: call it what it is. */
        if (next < 0 && errno == ENOTDIR && fstatat(dir_fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0
            && S_ISLNK(st.st_mode))
            errno = ELOOP;
        int saved = errno;
        close(dir_fd);
        errno = saved;
        dir_fd = next;
        part = slash + 1;
    }
    int fd = dir_fd < 0 ? -1
                        : openat(dir_fd, part, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int err = fd < 0 ? -errno : 0;
    if (dir_fd >= 0)
        close(dir_fd);
    free(copy);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        return -ELOOP;
    }
    if (fd >= 0 && st.st_size > DISCOVERY_MAX_FILE_BYTES) {
        close(fd);
        return -EFBIG;
    }
    return fd >= 0 ? fd : err;
}

/* Copies the open file @p in_fd to a new file @p to. */
static int copy_fd(int in_fd, const char *to)
{
    int out_fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (out_fd < 0)
        return -errno;
    char buffer[65536];
    ssize_t got;
    size_t total = 0;
    int err = 0;
    while (err == 0 && (got = read(in_fd, buffer, sizeof(buffer))) != 0) {
        if (got < 0) {
            err = errno == EINTR ? 0 : -errno;
            continue;
        }
        total += (size_t)got;
        if (total > DISCOVERY_MAX_FILE_BYTES)
            err = -EFBIG; /* it grew after fstat() */
        for (ssize_t done = 0; err == 0 && done < got;) {
            ssize_t put = write(out_fd, buffer + done, (size_t)(got - done));
            if (put < 0 && errno != EINTR)
                err = -errno;
            done += put > 0 ? put : 0;
        }
    }
    if (close(out_fd) != 0 && err == 0)
        err = -errno;
    return err;
}

int discovery_materialize(const struct discovery *discovery, const char *dest_root)
{
    int root_fd = open(discovery->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        return -errno;
    int err = 0;
    for (size_t i = 0; i < discovery->n_files && err == 0; i++) {
        const struct discovered *f = &discovery->files[i];
        if (!f->relative)
            continue;
        char *dir = str_printf("%s/%s", dest_root, f->lesson->slug);
        char *to = str_printf("%s/%s/%s.c", dest_root, f->lesson->slug, f->exercise);
        int in_fd = dir && to ? open_beneath(root_fd, f->relative) : -ENOMEM;
        if (in_fd < 0)
            err = in_fd;
        else if ((err = dir_make(dir)) == 0)
            err = copy_fd(in_fd, to);
        if (in_fd >= 0)
            close(in_fd);
        free(dir), free(to);
    }
    close(root_fd);
    return err;
}

char *discovery_unknown_exercise(const struct course *course,
                                 const struct lesson *const *lessons, size_t n_lessons,
                                 const char *name)
{
    /* Named in another lesson than the ones asked for: say which. */
    for (size_t i = 0; i < course->n_lessons; i++) {
        for (char *const *ex = course->lessons[i].exercises; *ex; ex++) {
            if (strcmp(*ex, name) == 0)
                return str_printf("no exercise '%s' in the lessons asked for; it is in "
                                  "lesson %s", name, course->lessons[i].slug);
        }
    }
    char *near = NULL;
    for (size_t i = 0; i < n_lessons; i++) {
        for (char *const *ex = lessons[i]->exercises; *ex; ex++) {
            if (!is_near(name, *ex))
                continue;
            char *longer = near ? str_printf("%s or '%s'", near, *ex) : str_printf("'%s'", *ex);
            free(near);
            if (!(near = longer))
                return NULL;
        }
    }
    char *why = near ? str_printf("no exercise '%s'; did you mean %s?", name, near)
                     : str_printf("no exercise '%s'%s; `make list` names them all", name,
                                  n_lessons < course->n_lessons ? " in the lessons asked for"
                                                                : "");
    free(near);
    return why;
}

void discovery_done(struct discovery *discovery)
{
    for (size_t i = 0; i < discovery->n_files && discovery->files; i++) {
        free(discovery->files[i].relative);
        free(discovery->files[i].path);
        free(discovery->files[i].why);
    }
    free(discovery->files);
    for (size_t i = 0; i < discovery->n_notes; i++)
        free(discovery->notes[i].text);
    free(discovery->notes);
    free(discovery->root);
    *discovery = (struct discovery){ 0 };
}
