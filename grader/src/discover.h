/**
 * @file discover.h
 * @brief Finds a learner's exercise files in whatever shape they submitted.
 *
 * A submission may be the `exercises/` tree, a flat folder of `.c` files
 * (exercise names are unique across the course), the same inside one or more
 * wrapping folders (`Homework1/my-course/exercises/...`), or an extracted zip
 * with its `__MACOSX/` debris. discover_submission() walks the tree without
 * ever following a symbolic link, matches each exercise of the course to at
 * most one regular file, and explains in plain words what it found where,
 * what is missing (with a "did you mean" from near names), what it ignored,
 * and what it refused.
 */
#ifndef GRADER_DISCOVER_H
#define GRADER_DISCOVER_H

#include <stddef.h>
#include <stdio.h>

#include "course.h"

/** The kind of a discovery note, from good news to refusals. */
enum discovery_note_kind {
    DISCOVERY_FOUND,     /**< An exercise file, and where it was found. */
    DISCOVERY_MISSING,   /**< An exercise without a file, maybe with "did you mean". */
    DISCOVERY_AMBIGUOUS, /**< Several equally good files for one exercise: none taken. */
    DISCOVERY_REFUSED,   /**< A symbolic link or a special file: never opened. */
    DISCOVERY_IGNORED,   /**< A second copy of an exercise file, or an extra `.c` file. */
    DISCOVERY_LIMIT,     /**< The walk stopped at a depth or size limit. */
};

/** One human-readable line of the discovery report. */
struct discovery_note {
    enum discovery_note_kind kind; /**< What the note is about. */
    char *text;                    /**< One line without a newline; owned. */
};

/** Where one exercise of the course was found. */
struct discovered {
    const struct lesson *lesson; /**< The lesson; borrowed from the course. */
    const char *exercise;        /**< Exercise name; borrowed from the lesson. */
    char *relative;   /**< Path below the submission root, e.g. "hw/02-heap/vector.c";
                           owned; NULL when not found. */
    char *path;       /**< The same as an absolute path; owned; NULL when not found. */
    char *why;        /**< When not found: the sentence the learner reads in place
                           of the test results (missing, did you mean, ambiguous,
                           refused); owned. NULL when found. */
};

/** What discover_submission() found: one entry per exercise, and notes. */
struct discovery {
    char *root;                    /**< Absolute submission root; owned. */
    struct discovered *files;      /**< One per exercise of the course, in course
                                        order; owned array of @ref n_files. */
    size_t n_files;                /**< Number of exercises of the course. */
    struct discovery_note *notes;  /**< Owned array of @ref n_notes notes, found
                                        files first, in course order. */
    size_t n_notes;                /**< Number of notes. */
    size_t n_found;                /**< Exercises with a file. */
};

/** Directories deeper than this below the root are not searched. */
#define DISCOVERY_MAX_DEPTH 8
/** The walk stops after this many directory entries. */
#define DISCOVERY_MAX_ENTRIES 20000
/** discovery_materialize() refuses learner files larger than this, in bytes. */
#define DISCOVERY_MAX_FILE_BYTES (1024 * 1024)

/**
 * @brief Finds the file of every exercise of @p course in a submission.
 *
 * Rules, in order:
 * 1. The walk skips hidden entries (`.git`, `._vector.c`), `__MACOSX/`, and
 *    the course's support code that a copy of exercises/ carries along
 *    (`NN-slug/support/`),
 *    never follows a symbolic link (each directory is opened with
 *    `O_NOFOLLOW`), and refuses, with a note, symbolic links and special
 *    files (FIFOs, sockets, devices).
 * 2. The candidates for exercise X of lesson NN-slug are the regular files
 *    named `X.c`. The best is in `exercises/NN-slug/`, then in any
 *    `NN-slug/` folder, then anywhere; among equals, the shallowest wins.
 *    Equally good candidates make the exercise ambiguous: none is taken.
 * 3. A missing exercise gets "did you mean" with the `.c` files whose names
 *    are near (letter case, one or two typos) and that no exercise claimed.
 * 4. Every other `.c` file is named as ignored, and an archive (`.zip`,
 *    `.tar.gz`) found in the tree is named as not extracted.
 *
 * The submission root itself may be given through a symbolic link; nothing
 * below it is ever followed.
 *
 * @param[in]  submission_root the submission directory; borrowed.
 * @param[in]  course          the loaded course; borrowed, and must outlive
 *                             @p out (its entries point into it).
 * @param[out] out             filled on success, owned by the caller, who
 *                             releases it with discovery_done(); zeroed on
 *                             failure.
 * @return 0, even when nothing was found (the notes say so); or a negative
 *         errno: -ENOENT or -ENOTDIR when @p submission_root is not a
 *         directory, -ENOMEM.
 */
int discover_submission(const char *submission_root, const struct course *course,
                        struct discovery *out);

/**
 * @brief Finds the entry of one exercise.
 * @param[in] discovery filled by discover_submission(); borrowed.
 * @param[in] slug      the lesson's slug, e.g. "02-heap"; borrowed.
 * @param[in] exercise  the exercise name, e.g. "vector"; borrowed.
 * @return the entry, borrowed from @p discovery; NULL when the course has no
 *         such exercise. Its @c path is NULL when the submission lacks it.
 */
const struct discovered *discovery_find(const struct discovery *discovery, const char *slug,
                                        const char *exercise);

/**
 * @brief Copies every found file into an `exercises/`-shaped tree.
 *
 * Writes @p dest_root/NN-slug/X.c for every found exercise, so that code
 * which expects the `exercises/` shape can grade any shape. Each source is
 * reopened one path component at a time with `O_NOFOLLOW` (a link swapped in
 * after the walk is refused too), must still be a regular file, and must be
 * at most @ref DISCOVERY_MAX_FILE_BYTES long.
 *
 * @param[in] discovery filled by discover_submission(); borrowed.
 * @param[in] dest_root a directory to create or fill; borrowed. Files there
 *                      with the same names are replaced.
 * @return 0 or the first negative errno: -ELOOP for a link met on the way,
 *         -EFBIG for a file too large, -ENOMEM, or an I/O error.
 */
int discovery_materialize(const struct discovery *discovery, const char *dest_root);

/**
 * @brief The sentence for an exercise name that is none of @p lessons':
 *        "no exercise 'vectr'; did you mean 'vector'?", with the near names
 *        of the same rule as a missing file's (a typo or two, another letter
 *        case), or the lesson that has it when @p lessons are not all.
 * @param[in] course    the loaded course; borrowed.
 * @param[in] lessons   the lessons searched (`--lesson`); borrowed.
 * @param[in] n_lessons number of @p lessons.
 * @param[in] name      the name asked for; borrowed.
 * @return the sentence, owned by the caller (free() it); NULL when memory
 *         runs out.
 */
char *discovery_unknown_exercise(const struct course *course,
                                 const struct lesson *const *lessons, size_t n_lessons,
                                 const char *name);

/**
 * @brief Frees what @p discovery owns and zeroes it.
 * @param[in,out] discovery filled by discover_submission(), or all zero; the
 *                          struct itself stays the caller's.
 */
void discovery_done(struct discovery *discovery);

#endif /* GRADER_DISCOVER_H */
