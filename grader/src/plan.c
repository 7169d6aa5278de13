/**
 * @file plan.c
 * @brief Units of work from the chosen lessons (plan.h).
 *
 * Rules:
 *  1. An exercise's weight is the size of its test file, twice for a lesson
 *     that also runs AddressSanitizer: a cheap, stable guess of its cost.
 *  2. One unit a lesson; while there are fewer units than jobs, the lesson
 *     whose parts are heaviest is cut once more, until none can be (a part
 *     holds at least one exercise).
 *  3. A lesson is cut into contiguous parts of about equal weight, so that
 *     results stay in course order.
 */
#define _GNU_SOURCE
#include "plan.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* How long an exercise is expected to take, for scheduling only: the size
 * of its test file, twice for a lesson that also runs AddressSanitizer. */
static off_t exercise_weight(const char *course_root, const struct lesson *lesson,
                             const char *exercise)
{
    char *path = str_printf("%s/lessons/%s/tests/%s_test.c", course_root, lesson->slug,
                            exercise);
    struct stat st;
    off_t weight = path && stat(path, &st) == 0 ? st.st_size : 0;
    free(path);
    return lesson->asan ? 2 * weight : weight;
}

/* Frees the units' own arrays and strings, and @p units itself. */
void units_free(struct unit *units, size_t n_units)
{
    for (size_t k = 0; units && k < n_units; k++) {
        for (size_t e = 0; units[k].work_dirs && e < units[k].n_exercises; e++)
            free(units[k].work_dirs[e]);
        free(units[k].work_dirs), free(units[k].missing_why), free(units[k].exercises);
        free(units[k].dir);
    }
    free(units);
}

/* The units in the order to start them, longest first, so that no core
 * idles at the end waiting for one long unit; NULL keeps course order. */
size_t *units_start_order(const struct unit *units, size_t n_units)
{
    size_t *order = calloc(n_units, sizeof(*order));
    if (!order)
        return NULL;
    for (size_t i = 0; i < n_units; i++) {
        size_t j = i;
        for (; j > 0 && units[order[j - 1]].weight < units[i].weight; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    return order;
}

/* Cuts @p n exercises of weights @p weight into @p parts contiguous parts
 * of about equal weight, each at least one exercise: @p ends[k] is one past
 * the last exercise of part k. */
static void parts_cut(const off_t *weight, size_t n, size_t parts, size_t *ends)
{
    off_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += weight[i];
    size_t i = 0;
    off_t sum = 0;
    for (size_t k = 0; k < parts; k++) {
        off_t target = (off_t)((double)total * (double)(k + 1) / (double)parts);
        size_t left_after = parts - k - 1; /* parts that still need an exercise */
        sum += weight[i++]; /* every part gets one */
        /* Then more while that brings the sum closer to its share; the
         * last part takes the rest. */
        while (i + left_after < n
               && (k + 1 == parts
                   || llabs((long long)(sum + weight[i] - target))
                          < llabs((long long)(sum - target))))
            sum += weight[i++];
        ends[k] = i;
    }
}

/* Plans the units: the chosen lessons' exercises (only @p exercise's, when
 * set, each a unit of its own), one unit a lesson, with the heaviest lessons
 * cut into contiguous parts until there are at least @p jobs units, where
 * lessons have exercises enough. Returns the units in course order (each
 * with lesson, exercises, n_exercises, first and weight set), or NULL when
 * memory runs out; *n_units is 0 when no exercise matched. */
struct unit *units_plan(const char *course_root, const struct lesson *const *chosen,
                               size_t n_chosen, const char *exercise, size_t jobs,
                               size_t *n_units)
{
    *n_units = 0;
    size_t *n_of = calloc(n_chosen + 1, sizeof(*n_of));     /* exercises of lesson i */
    size_t *parts = calloc(n_chosen + 1, sizeof(*parts));   /* units of lesson i */
    off_t *lesson_weight = calloc(n_chosen + 1, sizeof(*lesson_weight));
    off_t **weights = calloc(n_chosen + 1, sizeof(*weights));
    const char ***names = calloc(n_chosen + 1, sizeof(*names));
    struct unit *units = NULL;
    bool ok = n_of && parts && lesson_weight && weights && names;
    size_t n_total = 0;
    for (size_t i = 0; ok && i < n_chosen; i++) {
        size_t count = strv_len(chosen[i]->exercises);
        weights[i] = calloc(count + 1, sizeof(**weights));
        names[i] = calloc(count + 1, sizeof(**names));
        ok = weights[i] && names[i];
        for (size_t e = 0; ok && e < count; e++) {
            const char *name = chosen[i]->exercises[e];
            if (exercise && strcmp(name, exercise) != 0)
                continue;
            names[i][n_of[i]] = name;
            weights[i][n_of[i]] = exercise_weight(course_root, chosen[i], name);
            lesson_weight[i] += weights[i][n_of[i]];
            n_of[i]++;
        }
        /* --exercise: a unit of one exercise, as it was asked for. */
        parts[i] = n_of[i] == 0 ? 0 : exercise ? n_of[i] : 1;
        n_total += parts[i];
    }
    /* More units than lessons when there are more cores: the lesson whose
     * parts are heaviest is cut once more, until none can be. */
    while (ok && n_total < jobs) {
        size_t best = n_chosen;
        for (size_t i = 0; i < n_chosen; i++) {
            if (parts[i] == 0 || parts[i] >= n_of[i])
                continue;
            if (best == n_chosen
                || (double)lesson_weight[i] / (double)parts[i]
                       > (double)lesson_weight[best] / (double)parts[best])
                best = i;
        }
        if (best == n_chosen)
            break;
        parts[best]++;
        n_total++;
    }
    units = ok ? calloc(n_total ? n_total : 1, sizeof(*units)) : NULL;
    size_t k = 0, first = 0;
    size_t *ends = units ? calloc(n_total + 1, sizeof(*ends)) : NULL;
    if (!ends) {
        free(units);
        units = NULL;
    }
    for (size_t i = 0; units && i < n_chosen; i++) {
        if (parts[i])
            parts_cut(weights[i], n_of[i], parts[i], ends);
        for (size_t p = 0, begin = 0; p < parts[i]; begin = ends[p++], k++) {
            struct unit *unit = &units[k];
            *unit = (struct unit){ .lesson = chosen[i], .n_exercises = ends[p] - begin,
                                   .first = first };
            unit->exercises = calloc(unit->n_exercises, sizeof(*unit->exercises));
            if (!unit->exercises) {
                units_free(units, k);
                units = NULL;
                break;
            }
            for (size_t e = begin; e < ends[p]; e++) {
                unit->exercises[e - begin] = names[i][e];
                unit->weight += weights[i][e];
            }
            first += unit->n_exercises;
        }
    }
    if (units)
        *n_units = n_total;
    free(ends);
    for (size_t i = 0; i < n_chosen && weights && names; i++)
        free(weights[i]), free(names[i]);
    free(n_of), free(parts), free(lesson_weight), free(weights), free(names);
    return units;
}

