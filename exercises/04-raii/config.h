/**
 * @file config.h
 * @brief Loading a small configuration file into a struct that owns its
 *        strings.
 *
 * The file is made of lines, each at most CONFIG_LINE_MAX characters long
 * (the newline not counted):
 *
 * ~~~{.txt}
 *   # a comment: the first non-blank character is '#'
 *   name = demo server
 *   host = example.org
 *   port = 8080
 *   motd = welcome, and mind the heap
 * ~~~
 *
 * - Blank lines (only spaces and tabs) and comment lines are skipped.
 * - Every other line is `key = value`. Spaces and tabs around the key and
 *   around the value are not part of them. The value may be empty, and may
 *   contain '=' (only the first '=' separates key from value).
 * - Keys: `name` and `host` are required; `motd` is optional (NULL when
 *   absent); `port` is optional (0 when absent) and, when present, a
 *   decimal number from 1 to 65535, digits only.
 * - A key given twice keeps its last value.
 * - The last line may end without a newline.
 */
#ifndef CONFIG_H
#define CONFIG_H

/** Longest line accepted, in characters, the newline not counted. */
#define CONFIG_LINE_MAX 200

/** A loaded configuration: owns every string it points to. */
struct config {
    char *name; /**< Server name; owned; never NULL once loaded. */
    char *host; /**< Host name; owned; never NULL once loaded. */
    char *motd; /**< Message of the day; owned; NULL when absent. */
    unsigned port; /**< TCP port, 1 to 65535; 0 when absent. */
};

/**
 * @brief Loads the configuration file @p path.
 *
 * @param[in]  path the file to read, borrowed.
 * @param[out] out  on success receives a new configuration, owned by the
 *                  caller (release it with config_free()); untouched on
 *                  failure.
 * @return 0 on success. On failure a negative errno value, and then no
 *         block is left allocated and the file is closed:
 *         - the -errno of a failed fopen() (-ENOENT for a missing file) or
 *           read;
 *         - -ENOMEM when an allocation fails;
 *         - -EINVAL for a line that is too long, a line without '=', an
 *           unknown or empty key, a port that is not digits only, or a
 *           missing `name` or `host`;
 *         - -ERANGE for a port of 0 or above 65535.
 */
int config_load(const char *path, struct config **out);

/**
 * @brief Frees a configuration and every string it owns.
 * @param[in] config the configuration, taken; NULL is allowed.
 * @return NULL, so that `c = config_free(c);` leaves no dangling pointer.
 */
struct config *config_free(struct config *config);

#endif /* CONFIG_H */
