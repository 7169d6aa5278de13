/*
 * Tests of node.h, the tree to repair.
 *
 * Every test builds the same small tree, gives back its references and
 * checks that no block of the learner's code is left: a cycle, or a
 * reference an error path forgot, shows as a leak even without Valgrind.
 *
 *        root
 *       /    \
 *      a      b
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "node.h"

#include <errno.h>
#include <stdlib.h>

/* The tree of every test, and the test's own references to its nodes. */
struct tree {
    struct node *root, *a, *b;
};

/* Returns a node, asserting that node_new worked. */
static struct node *new_node(const char *name)
{
    struct node *n = node_new(name);

    cr_assert(ne(ptr, n, NULL), "node_new(\"%s\") returned NULL", name);
    return n;
}

/* Builds root with children a and b; the test holds one reference to
 * each of the three nodes. */
static struct tree tree_new(void)
{
    struct tree t = { new_node("root"), new_node("a"), new_node("b") };

    cr_assert(eq(int, node_add_child(t.root, t.a), 0), "node_add_child(root, "
              "a) failed");
    cr_assert(eq(int, node_add_child(t.root, t.b), 0), "node_add_child(root, "
              "b) failed");
    return t;
}

/* Asserts that the learner's code has no block left. */
static void check_all_freed(const char *after)
{
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) still allocated "
              "after %s: is a parent and its child a cycle (does the child's "
              "parent pointer hold a reference)? does an error path keep a "
              "reference?", alloc_live_blocks(), after);
}

GRADED_TEST(node, tree_is_freed_with_its_root, 2,
            .description = "when the last outside references go, the whole "
                           "tree is freed: parent pointers are not counted")
{
    struct tree t = tree_new();

    cr_assert(eq(sz, t.root->refs, 1), "the root has refs %zu: only the "
              "test holds it. A child's parent pointer is borrowed: it does "
              "not count", t.root->refs);
    cr_assert(eq(sz, t.a->refs, 2), "a has refs %zu: the test and its "
              "parent hold it", t.a->refs);
    cr_assert(eq(ptr, t.a->parent, t.root), "a's parent should be the root");
    t.a = node_unref(t.a);
    t.b = node_unref(t.b);
    t.root = node_unref(t.root);
    check_all_freed("the root's last reference was given back");
}

GRADED_TEST(node, child_outlives_its_parent, 2,
            .description = "a child still held after its parent died is "
                           "alive, and its parent pointer is NULL, not "
                           "dangling")
{
    struct tree t = tree_new();

    t.b = node_unref(t.b);
    t.root = node_unref(t.root); /* the test still holds a */
    size_t left = alloc_live_blocks();
    struct node *probe = new_node("p"); /* a lone node, like a now */
    size_t lone = alloc_live_blocks() - left;
    probe = node_unref(probe);
    cr_assert(eq(sz, left, lone), "only a should be left (%zu block(s), as "
              "many as a new node with no child uses), not %zu blocks",
              lone, left);
    cr_assert(eq(ptr, t.a->parent, NULL), "a's parent was freed, but a "
              "still points to it: when a node dies, it must set each "
              "child's parent to NULL");
    cr_assert(eq(sz, t.a->refs, 1), "a should have only the test's "
              "reference left");
    cr_assert(eq(str, t.a->name, "a"), "a's name changed");
    t.a = node_unref(t.a);
    check_all_freed("the last reference to a was given back");
}

GRADED_TEST(node, detach_gives_the_reference_to_the_caller, 2,
            .description = "node_detach removes a child and hands the "
                           "caller the parent's reference, without giving "
                           "it back itself")
{
    struct tree t = tree_new();
    struct node *c = new_node("c");

    cr_assert(eq(int, node_add_child(t.root, c), 0), "node_add_child(root, "
              "c) failed");
    c = node_unref(c);     /* now only the root holds c */
    t.a = node_unref(t.a); /* and a */
    struct node *a = node_detach(t.root->children[0]);
    cr_assert(ne(ptr, a, NULL), "node_detach returned NULL");
    cr_assert(eq(sz, a->refs, 1), "a should have exactly one reference, the "
              "one node_detach handed over (did node_detach give it back "
              "too?)");
    cr_assert(eq(ptr, a->parent, NULL), "a detached node has no parent");
    cr_assert(eq(sz, t.root->n_children, 2), "the root should have two "
              "children left");
    cr_assert(eq(ptr, t.root->children[0], t.b), "the children left should "
              "be b then c, in the order they were added");
    cr_assert(eq(str, t.root->children[1]->name, "c"), "the children left "
              "should be b then c, in the order they were added");
    cr_assert(eq(ptr, node_detach(a), NULL), "detaching a node with no "
              "parent returns NULL");
    node_unref(a);
    t.b = node_unref(t.b);
    t.root = node_unref(t.root);
    check_all_freed("every reference was given back");
}

GRADED_TEST(node, failed_add_child_changes_nothing, 2,
            .description = "when node_add_child cannot grow the children "
                           "array, it returns -ENOMEM and takes no reference")
{
    struct tree t = tree_new();
    struct node *extra[8];

    /* Fill the root until adding a child needs memory, refusing it. */
    for (size_t i = 0; i < 8; i++) {
        extra[i] = new_node("extra");
        alloc_fail_after(0);
        int err = node_add_child(t.root, extra[i]);
        alloc_fail_never();
        if (err == 0)
            continue;
        cr_assert(eq(int, err, -ENOMEM), "expected -ENOMEM, not %d", err);
        cr_assert(eq(sz, extra[i]->refs, 1), "a failed node_add_child left "
                  "the child with %zu references: the error path must not "
                  "keep one", extra[i]->refs);
        cr_assert(eq(ptr, extra[i]->parent, NULL), "a failed node_add_child "
                  "set the child's parent");
        cr_assert(eq(int, node_add_child(t.root, extra[i]), 0),
                  "node_add_child failed with memory available");
    }
    cr_assert(eq(int, node_add_child(t.root, t.a), -EINVAL), "a node that "
              "has a parent cannot be added again");
    cr_assert(eq(int, node_add_child(t.root, t.root), -EINVAL), "a node "
              "cannot be its own child");
    cr_assert(eq(int, node_add_child(NULL, t.a), -EINVAL), "NULL parent");
    for (size_t i = 0; i < 8; i++)
        node_unref(extra[i]);
    t.a = node_unref(t.a);
    t.b = node_unref(t.b);
    t.root = node_unref(t.root);
    check_all_freed("every reference was given back");
}

GRADED_TEST(node, an_ancestor_cannot_become_a_child, 2,
            .description = "node_add_child refuses a child that is the "
                           "parent's ancestor (a cycle), with -EINVAL, and "
                           "the tree is still freed whole")
{
    struct tree t = tree_new();
    struct node *grandchild = new_node("grandchild");

    cr_assert(eq(int, node_add_child(t.a, grandchild), 0), "node_add_child"
              "(a, grandchild) failed");
    cr_assert(eq(int, node_add_child(grandchild, t.root), -EINVAL), "the "
              "root added below its own grandchild would own itself: walk "
              "up from the parent through the parent pointers, and refuse "
              "a child you meet on the way (-EINVAL)");
    cr_assert(eq(int, node_add_child(t.a, t.root), -EINVAL), "the root "
              "added below its child a would own itself: -EINVAL");
    cr_assert(eq(ptr, t.root->parent, NULL), "a refused node_add_child set "
              "the root's parent");
    cr_assert(eq(sz, t.root->refs, 1), "a refused node_add_child took a "
              "reference to the root");
    cr_assert(eq(sz, grandchild->n_children, 0), "a refused node_add_child "
              "added a child");
    grandchild = node_unref(grandchild);
    t.a = node_unref(t.a);
    t.b = node_unref(t.b);
    t.root = node_unref(t.root);
    check_all_freed("every reference was given back");
}

GRADED_TEST(node, new_fails_cleanly_at_every_allocation, 1,
            .description = "whichever allocation of node_new fails, it "
                           "returns NULL and leaves no block")
{
    struct node *n = NULL;
    size_t successes = 0;

    /* Fail the first allocation, then the second... until node_new has
     * every allocation it needs. */
    for (; successes < 64 && !n; successes++) {
        alloc_fail_after(successes);
        n = node_new("a name");
        alloc_fail_never();
        if (!n)
            cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu "
                      "failed and node_new left a block allocated",
                      successes + 1);
    }
    cr_assert(ne(ptr, n, NULL), "node_new never succeeded");
    cr_assert(eq(str, n->name, "a name"), "the name was not copied");
    cr_assert(eq(sz, n->refs, 1), "a new node has one reference");

    /* The node still works in a tree. */
    struct tree t = tree_new();
    cr_assert(eq(int, node_add_child(t.a, n), 0), "node_add_child failed");
    n = node_unref(n);
    t.a = node_unref(t.a);
    t.b = node_unref(t.b);
    t.root = node_unref(t.root);
    check_all_freed("the tree holding the new node was given back");
}
