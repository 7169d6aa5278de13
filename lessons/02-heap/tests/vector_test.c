/*
 * Tests of vector.h: a growable array of int.
 *
 * To see whether the code under test called the allocator at all, a test
 * arms alloc_fail_after(0): any call is then refused and counted in
 * alloc_stats().failed, so `failed == 0` proves no call was made.
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "vector.h"

#include <errno.h>
#include <stdint.h>

/* Returns a new vector holding 0, 10, 20... (count elements). */
static struct vector *vector_of(int count)
{
    struct vector *v = vector_new();

    cr_assert(ne(ptr, v, NULL), "vector_new() returned NULL");
    for (int i = 0; i < count; i++)
        cr_assert(eq(int, vector_push(v, 10 * i), 0),
                  "vector_push failed on element %d", i);
    return v;
}

/* Asserts that v holds exactly 0, 10, 20... (count elements). */
static void assert_holds(const struct vector *v, int count)
{
    cr_assert(eq(sz, v->len, (size_t)count), "len should be %d", count);
    for (int i = 0; i < count; i++)
        cr_assert(eq(int, v->items[i], 10 * i), "items[%d] should be %d: "
                  "were the elements copied when the block moved?", i,
                  10 * i);
}

GRADED_TEST(vector, new_is_empty, 1,
            .description = "vector_new returns an empty vector without an "
                           "item block")
{
    struct vector *v = vector_new();

    cr_assert(ne(ptr, v, NULL), "vector_new() returned NULL");
    cr_assert(eq(sz, v->len, 0), "a new vector has len 0");
    cr_assert(eq(sz, v->cap, 0), "a new vector has cap 0");
    cr_assert(eq(ptr, v->items, NULL), "a new vector has no item block yet");
    cr_assert(eq(sz, alloc_live_blocks(), 1),
              "vector_new should allocate the struct only");
    vector_free(v);
}

GRADED_TEST(vector, new_returns_null_when_out_of_memory, 1,
            .description = "vector_new returns NULL when malloc fails")
{
    vector_free(vector_of(0));

    alloc_fail_after(0);
    cr_assert(eq(ptr, vector_new(), NULL),
              "malloc failed: vector_new must return NULL");
}

GRADED_TEST(vector, push_appends_in_order, 2,
            .description = "pushed elements are stored in order")
{
    struct vector *v = vector_of(100);

    assert_holds(v, 100);
    cr_assert(ge(sz, v->cap, v->len), "cap can never be below len");
    vector_free(v);
}

GRADED_TEST(vector, push_grows_geometrically, 2,
            .description = "a full vector grows by a factor from 1.5 to 2, "
                           "starting from VECTOR_MIN_CAP")
{
    struct vector *v = vector_of(1);
    size_t growths = 0;

    cr_assert(eq(sz, v->cap, VECTOR_MIN_CAP),
              "the first push should allocate VECTOR_MIN_CAP elements");
    for (int i = 1; i < 1000; i++) {
        size_t cap = v->cap;
        size_t len = v->len;

        cr_assert(eq(int, vector_push(v, 10 * i), 0), "vector_push failed");
        if (v->cap != cap) {
            cr_assert(eq(sz, len, cap), "the vector grew from cap %zu with "
                      "only %zu elements: grow only when len == cap", cap, len);
            cr_assert(le(sz, cap + cap / 2, v->cap), "a full vector of cap "
                      "%zu grew to %zu: that is less than 1.5 times, so n "
                      "pushes would copy more than O(n) elements", cap, v->cap);
            cr_assert(le(sz, v->cap, 2 * cap), "a full vector of cap %zu grew "
                      "to %zu: more than twice, which the header does not "
                      "allow", cap, v->cap);
            growths++;
        }
    }
    cr_assert(ne(sz, growths, 0), "1000 pushes should grow the vector");
    assert_holds(v, 1000);
    vector_free(v);
}

/*
 * Pretends v is full at cap elements (no machine has the memory for the
 * large ones), refuses every allocation, pushes once, and returns the size
 * in bytes that vector_push asked the allocator for. The vector is put back
 * as it was.
 */
static size_t growth_request(struct vector *v, size_t cap)
{
    struct vector saved = *v;

    v->len = cap;
    v->cap = cap;
    alloc_fail_after(0);
    const size_t failed = alloc_stats().failed;
    cr_assert(eq(int, vector_push(v, 1), -ENOMEM), "a full vector of %zu "
              "elements (below VECTOR_MAX_CAP) must try to grow, and return "
              "-ENOMEM when realloc fails", cap);
    cr_assert(eq(sz, alloc_stats().failed, failed + 1), "vector_push should "
              "have called the allocator once");
    alloc_fail_never();
    *v = saved;
    return alloc_stats().last_request;
}

GRADED_TEST(vector, push_growth_stops_at_max, 2,
            .description = "near VECTOR_MAX_CAP, growth asks for at most "
                           "VECTOR_MAX_CAP elements and never wraps")
{
    const size_t caps[] = { VECTOR_MAX_CAP / 2 - 1, VECTOR_MAX_CAP / 2,
                            VECTOR_MAX_CAP / 2 + 1, (VECTOR_MAX_CAP / 3) * 2,
                            VECTOR_MAX_CAP - 2, VECTOR_MAX_CAP - 1 };
    struct vector *v = vector_of(1);

    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const size_t cap = caps[i];
        const size_t bytes = growth_request(v, cap);
        const size_t lo = cap + cap / 2 < VECTOR_MAX_CAP ? cap + cap / 2 : VECTOR_MAX_CAP;
        const size_t hi = cap <= VECTOR_MAX_CAP / 2 ? 2 * cap : VECTOR_MAX_CAP;

        cr_assert(eq(sz, bytes % sizeof(int), 0), "growing from %zu "
                  "elements asked for %zu bytes, not a whole number of ints: "
                  "did cap * sizeof(int) wrap around?", cap, bytes);
        cr_assert(le(sz, lo, bytes / sizeof(int)), "growing from %zu "
                  "elements asked for %zu elements; at least %zu were due "
                  "(1.5 times, or VECTOR_MAX_CAP when that is less)", cap,
                  bytes / sizeof(int), lo);
        cr_assert(le(sz, bytes / sizeof(int), hi), "growing from %zu "
                  "elements asked for %zu elements, more than %zu (twice the "
                  "capacity, capped at VECTOR_MAX_CAP): check the cap before "
                  "you multiply, and check it with the exact bound", cap,
                  bytes / sizeof(int), hi);
    }
    vector_free(v);
}

GRADED_TEST(vector, push_failure_keeps_vector, 3,
            .description = "when realloc fails, vector_push returns -ENOMEM "
                           "and the vector keeps its block and elements")
{
    struct vector *v = vector_of(VECTOR_MIN_CAP);
    int *items = v->items;

    alloc_fail_after(0);
    cr_assert(eq(int, vector_push(v, 80), -ENOMEM),
              "realloc failed: vector_push must return -ENOMEM");
    cr_assert(eq(ptr, v->items, items), "items changed after a failed "
              "realloc: keep realloc's result in a temporary, never write "
              "v->items = realloc(v->items, ...)");
    cr_assert(eq(sz, v->cap, VECTOR_MIN_CAP), "cap changed although the "
              "block did not grow");
    assert_holds(v, VECTOR_MIN_CAP);

    alloc_fail_never();
    cr_assert(eq(int, vector_push(v, 80), 0), "the vector must stay usable "
              "after a failure");
    assert_holds(v, VECTOR_MIN_CAP + 1);
    vector_free(v);
}

GRADED_TEST(vector, push_refuses_to_grow_past_max, 1,
            .description = "a vector of VECTOR_MAX_CAP elements refuses "
                           "to grow, with -EOVERFLOW")
{
    struct vector *v = vector_of(1);
    struct vector saved = *v;

    /* Pretend the block holds VECTOR_MAX_CAP elements: no machine has
     * the memory for a real one. */
    v->len = VECTOR_MAX_CAP;
    v->cap = VECTOR_MAX_CAP;
    alloc_fail_after(0);
    cr_assert(eq(int, vector_push(v, 1), -EOVERFLOW),
              "a vector at VECTOR_MAX_CAP cannot double: return -EOVERFLOW");
    cr_assert(eq(sz, alloc_stats().failed, 0),
              "vector_push called the allocator for a capacity above "
              "VECTOR_MAX_CAP");
    cr_assert(eq(sz, v->cap, VECTOR_MAX_CAP), "cap must not change");
    *v = saved;
    vector_free(v);
}

GRADED_TEST(vector, reserve_avoids_regrowth, 2,
            .description = "after vector_reserve(v, n), n pushes need no "
                           "allocation")
{
    struct vector *v = vector_of(0);

    cr_assert(eq(int, vector_reserve(v, 100), 0), "vector_reserve failed");
    cr_assert(eq(sz, v->cap, 100), "reserve should set cap to exactly 100");
    int *items = v->items;

    alloc_fail_after(0);
    for (int i = 0; i < 100; i++)
        cr_assert(eq(int, vector_push(v, 10 * i), 0), "push %d after "
                  "reserving 100 called the allocator", i);
    cr_assert(eq(ptr, v->items, items), "the block moved although it had "
              "room");
    assert_holds(v, 100);
    vector_free(v);
}

GRADED_TEST(vector, reserve_never_shrinks, 1,
            .description = "vector_reserve with a capacity below cap does "
                           "nothing")
{
    struct vector *v = vector_of(20);
    int *items = v->items;
    size_t cap = v->cap;

    cr_assert(eq(int, vector_reserve(v, 10), 0),
              "reserving less than cap is not an error");
    cr_assert(eq(sz, v->cap, cap), "vector_reserve must not shrink");
    cr_assert(eq(ptr, v->items, items), "nothing to do: the block must not "
              "move");
    assert_holds(v, 20);
    vector_free(v);
}

GRADED_TEST(vector, reserve_failure_keeps_vector, 2,
            .description = "when realloc fails, vector_reserve returns "
                           "-ENOMEM and the vector is unchanged")
{
    struct vector *v = vector_of(3);
    int *items = v->items;
    size_t cap = v->cap;

    alloc_fail_after(0);
    cr_assert(eq(int, vector_reserve(v, 1000), -ENOMEM),
              "realloc failed: vector_reserve must return -ENOMEM");
    cr_assert(eq(ptr, v->items, items), "items changed after a failed "
              "realloc: keep realloc's result in a temporary");
    cr_assert(eq(sz, v->cap, cap), "cap changed after a failed realloc: "
              "update it only on success");
    assert_holds(v, 3);
    vector_free(v);
}

GRADED_TEST(vector, reserve_refuses_overflow, 2,
            .description = "vector_reserve beyond VECTOR_MAX_CAP returns "
                           "-EOVERFLOW without calling the allocator")
{
    struct vector *v = vector_of(0);

    cr_assert(eq(int, vector_reserve(v, 16), 0), "vector_reserve(v, 16) "
              "failed");
    alloc_fail_after(0);
    cr_assert(eq(int, vector_reserve(v, SIZE_MAX / sizeof(int) + 2),
                 -EOVERFLOW), "(SIZE_MAX / sizeof(int) + 2) ints is 4 "
              "bytes once the size wraps: check before multiplying");
    cr_assert(eq(int, vector_reserve(v, VECTOR_MAX_CAP + 1), -EOVERFLOW),
              "VECTOR_MAX_CAP + 1 is over the limit: the first capacity to "
              "refuse");
    cr_assert(eq(int, vector_reserve(v, SIZE_MAX), -EOVERFLOW),
              "SIZE_MAX elements is over the limit");
    cr_assert(eq(sz, alloc_stats().failed, 0), "vector_reserve called the "
              "allocator for a capacity above VECTOR_MAX_CAP");
    cr_assert(eq(sz, v->cap, 16), "a refused reserve must not change cap");
    vector_free(v);
}

GRADED_TEST(vector, reserve_accepts_exactly_max, 1,
            .description = "vector_reserve(v, VECTOR_MAX_CAP) is not refused: "
                           "it asks the allocator for the whole block")
{
    struct vector *v = vector_of(0);

    cr_assert(eq(int, vector_reserve(v, 16), 0), "vector_reserve(v, 16) failed");
    alloc_fail_after(0);
    cr_assert(eq(int, vector_reserve(v, VECTOR_MAX_CAP), -ENOMEM),
              "VECTOR_MAX_CAP is the largest capacity allowed, not too "
              "large: vector_reserve must ask the allocator for it (which "
              "fails here, so -ENOMEM). Is the limit check > or >=?");
    cr_assert(eq(sz, alloc_stats().last_request, VECTOR_MAX_CAP * sizeof(int)),
              "vector_reserve(v, VECTOR_MAX_CAP) should ask for exactly "
              "VECTOR_MAX_CAP * sizeof(int) bytes");
    cr_assert(eq(sz, v->cap, 16), "a failed reserve must not change cap");
    vector_free(v);
}

GRADED_TEST(vector, pop_returns_last_element, 1,
            .description = "vector_pop removes and returns the elements "
                           "from last to first")
{
    struct vector *v = vector_of(3);
    size_t cap = v->cap;
    int value = -1;

    for (int i = 2; i >= 0; i--) {
        cr_assert(eq(int, vector_pop(v, &value), 0), "vector_pop failed "
                  "on a vector of %d elements", i + 1);
        cr_assert(eq(int, value, 10 * i), "pop should return the last "
                  "element, items[len - 1]");
    }
    cr_assert(eq(sz, v->len, 0), "three pops empty a vector of three");
    cr_assert(eq(sz, v->cap, cap), "vector_pop must not shrink the block");
    vector_free(v);
}

GRADED_TEST(vector, pop_empty_is_enoent, 1,
            .description = "vector_pop on an empty vector returns -ENOENT "
                           "and writes nothing")
{
    struct vector *v = vector_of(1);
    int value = -1;

    cr_assert(eq(int, vector_pop(v, &value), 0), "vector_pop failed on a "
              "vector of one element");
    value = -1;
    cr_assert(eq(int, vector_pop(v, &value), -ENOENT),
              "popping an empty vector must return -ENOENT");
    cr_assert(eq(int, value, -1), "*out must not be written on failure");
    cr_assert(eq(sz, v->len, 0), "len must stay 0");
    vector_free(v);
}

GRADED_TEST(vector, shrink_to_fit_keeps_elements, 1,
            .description = "vector_shrink_to_fit sets cap to len and keeps "
                           "the elements")
{
    struct vector *v = vector_of(20);

    cr_assert(eq(int, vector_shrink_to_fit(v), 0),
              "vector_shrink_to_fit failed");
    cr_assert(eq(sz, v->cap, 20), "cap should now equal len");
    assert_holds(v, 20);
    vector_free(v);
}

GRADED_TEST(vector, shrink_empty_frees_block, 1,
            .description = "vector_shrink_to_fit on an empty vector frees "
                           "the block and leaves it usable")
{
    struct vector *v = vector_of(3);
    int value;

    for (int i = 0; i < 3; i++)
        cr_assert(eq(int, vector_pop(v, &value), 0), "vector_pop failed");
    cr_assert(eq(int, vector_shrink_to_fit(v), 0), "shrinking an empty "
              "vector must succeed: free the block, do not realloc to 0");
    cr_assert(eq(ptr, v->items, NULL), "an empty vector with cap 0 has "
              "items NULL");
    cr_assert(eq(sz, v->cap, 0), "cap should be 0");
    cr_assert(eq(sz, alloc_live_blocks(), 1), "only the struct should be "
              "left: was the item block freed?");
    cr_assert(eq(int, vector_push(v, 0), 0), "the vector must stay usable");
    vector_free(v);
}

GRADED_TEST(vector, free_releases_everything, 2,
            .description = "vector_free frees the block and the struct, "
                           "accepts NULL, and returns NULL")
{
    struct vector *v = vector_of(20);

    v = vector_free(v);
    cr_assert(eq(ptr, v, NULL), "vector_free should return NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) still live "
              "after vector_free: free the item block and the struct",
              alloc_live_blocks());
    cr_assert(eq(ptr, vector_free(NULL), NULL),
              "vector_free(NULL) does nothing and returns NULL");
}
