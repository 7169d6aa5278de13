/**
 * @file counting.h
 * @brief The grader's fixture exercise: small, so that every score is known.
 */
#ifndef COUNTING_H
#define COUNTING_H

/**
 * @brief Makes the array {0, 1, ..., n-1}.
 * @param[in] n  number of elements.
 * @return a new array owned by the caller (free() it), or NULL when n <= 0
 *         or memory runs out.
 */
int *counting_new(int n);

/**
 * @brief Adds up @p n values.
 * @param[in] values  borrowed array of @p n ints.
 * @param[in] n       number of values.
 * @return their sum.
 */
long counting_sum(const int *values, int n);

#endif /* COUNTING_H */
