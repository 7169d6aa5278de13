/**
 * @file bundle.h
 * @brief Concatenating the files of a directory into one new file: the
 *        program to repair.
 *
 * Resources held at the deepest point, all of which every return path must
 * release: the directory stream, the output descriptor and file, the
 * array of names and each name, and the descriptor of the file being
 * copied.
 */
#ifndef BUNDLE_H
#define BUNDLE_H

/**
 * @brief Writes the contents of every file of a directory, one after the
 *        other in strcmp() order of their names, into a new file.
 *
 * Names that start with '.' are skipped (".", ".." and hidden files). The
 * directory holds only regular files. @p out is created with
 * `O_CREAT | O_EXCL` (mode 0644): it must not exist yet.
 *
 * @param[in] dir the directory to read, borrowed.
 * @param[in] out path of the file to create, borrowed; outside @p dir.
 * @return 0 when @p out holds every file; otherwise a negative errno value
 *         (of the call that failed: -ENOENT for a missing @p dir, -EEXIST
 *         when @p out exists, and then @p out is left untouched, -ENOMEM,
 *         an open, readdir, read, write or close error), and then @p out
 *         does not exist. On every path, no descriptor, stream or block
 *         is left.
 */
int bundle_dir(const char *dir, const char *out);

#endif /* BUNDLE_H */
