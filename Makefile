# The course's one Makefile: grading, the course's own proof, docs.
# `make help` lists the targets. Non-recursive: every rule is here.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --no-builtin-rules

# The build folder: grader/build-dir says where (build/, or BUILD=x: every
# script reads BUILD and BUILD_FOR from the environment through it). A
# relative BUILD is relative to this folder.
BUILD := $(shell grader/build-dir)
export BUILD
export BUILD_FOR := $(CURDIR)
LESSONS := $(sort $(notdir $(wildcard lessons/[0-9][0-9]-*)))
SUBMISSION ?= exercises
LESSON ?=
JOBS ?= $(shell nproc)

# ---------------------------------------------------------------------------
# Dependencies: installed by the build when root, else named in one command.
PACKAGES := gcc make binutils patch pkg-config valgrind doxygen graphviz jq bc time \
            libcriterion-dev libjansson-dev libxml2-dev libelf-dev inotify-tools \
            parallel rsync openssh-client openssh-server zip unzip python3-yaml

# $(call install_packages,LIST): installs what is missing of LIST when root,
# else prints the one apt-get line and fails.
define install_packages
missing=$$(for p in $(1); do \
    dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q '^install ok installed' || echo "$$p"; \
done | xargs); \
if [ -n "$$missing" ]; then \
    if [ "$$(id -u)" = 0 ]; then \
        echo "installing: $$missing"; \
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 $$missing >/dev/null; \
    else \
        echo "Missing packages. Install them with:"; \
        echo "  sudo apt-get install -y $$missing"; exit 1; \
    fi; \
fi
endef

$(BUILD)/.deps: | $(BUILD)/
	@$(call install_packages,$(PACKAGES))
	@touch $@

$(BUILD)/.docs-deps: $(BUILD)/.deps
	@$(call install_packages,$(DOCS_PACKAGES))
	@touch $@

%/:
	@mkdir -p $@
.PRECIOUS: %/

# ---------------------------------------------------------------------------
# The grader.
GRADER := $(BUILD)/grader/grade
GRADER_SRCS := $(wildcard grader/src/*.c)
GRADER_OBJS := $(GRADER_SRCS:%.c=$(BUILD)/%.o)
# pkg-config runs once a make, when a recipe first needs its flags (after
# $(BUILD)/.deps has installed it), not once a file: the variable replaces
# itself with its value.
PKG_FLAGS = $(eval PKG_FLAGS := $$(shell pkg-config --cflags --libs libxml-2.0 jansson))$(PKG_FLAGS)
PKG_LIBS = $(filter -l% -L% -Wl%,$(PKG_FLAGS))
PKG_CFLAGS = $(filter-out -l% -L% -Wl%,$(PKG_FLAGS))
GRADER_CFLAGS = -std=c11 -Wall -Wextra -Wpedantic -Werror -g -O2 -MMD -MP -Igrader/include $(PKG_CFLAGS)
GRADER_LDLIBS = $(PKG_LIBS) -lelf

$(BUILD)/grader/src/%.o: grader/src/%.c $(BUILD)/.deps | $(BUILD)/grader/src/
	@$(CC) $(GRADER_CFLAGS) -c $< -o $@

# Linked under another name, then renamed: a grading that starts meanwhile
# runs the old grader or the new one, never half of one.
$(GRADER): $(GRADER_OBJS)
	@$(CC) -o $@.tmp.$$$$ $^ $(GRADER_LDLIBS) && mv -f $@.tmp.$$$$ $@

-include $(GRADER_OBJS:.o=.d)

# The harness objects linked into every test binary are course code, the same
# for every grading: built once here (the grader knows their flags), not per
# grading. The stamp is written last.
HARNESS_STAMP := $(BUILD)/harness/.stamp
$(HARNESS_STAMP): $(GRADER) $(wildcard grader/harness/*.c grader/include/*.h)
	@rm -rf $(BUILD)/harness
	@$(GRADER) --course . --build-harness $(abspath $(BUILD))/harness && touch $@

# The grader's unit tests link its modules (not main.o) with Criterion.
GRADER_UNIT_SRCS := $(wildcard grader/tests/*_test.c)
GRADER_UNIT_BINS := $(GRADER_UNIT_SRCS:grader/tests/%.c=$(BUILD)/grader/tests/%)
GRADER_LIB_OBJS := $(filter-out $(BUILD)/grader/src/main.o,$(GRADER_OBJS))

$(BUILD)/grader/tests/%: grader/tests/%.c $(GRADER_LIB_OBJS) | $(BUILD)/grader/tests/
	@$(CC) -std=gnu11 -Wall -Wextra -g -Igrader/src $(PKG_CFLAGS) \
	    $< $(GRADER_LIB_OBJS) -o $@ -lcriterion $(GRADER_LDLIBS)

# ---------------------------------------------------------------------------
# The learner's loop: grader/learn does the work (its header says how).
# grader/grade builds the grader itself, under a lock: gradings may start
# together.
# Every target takes LESSON=02 (or 02-heap) and EXERCISE=vector; an exercise
# name alone is enough. `make check` exits 0 whatever the score, so that a
# failing test never looks like a broken build; with CI=1 (or CI=true, as
# CI services set it) it exits 1 when a test lost points. Progress is saved
# in .progress.json, git-ignored.
LEARN = LESSON='$(LESSON)' EXERCISE='$(EXERCISE)' SUBMISSION='$(SUBMISSION)' JOBS='$(JOBS)' \
        VERBOSE='$(VERBOSE)' LEVEL='$(LEVEL)' grader/learn
.PHONY: check check-fast list next watch hint reset solution bench-loop test-learner-loop
check: $(BUILD)/.deps ## Grade your work under Valgrind (EXERCISE=vector, LESSON=02, VERBOSE=1)
	@$(LEARN) check

check-fast: $(BUILD)/.deps ## Quick AddressSanitizer check while you work (not the grade)
	@$(LEARN) check --fast

list: $(BUILD)/.deps ## Every exercise in lesson order, with your status
	@$(LEARN) list

next: $(BUILD)/.deps ## The exercise to do now: its file, header, lesson section
	@$(LEARN) next

watch: $(BUILD)/.deps ## Regrade the exercise you save, on every save (Ctrl-C stops)
	@$(LEARN) watch

hint: $(BUILD)/.deps ## The next hint for the current exercise (or EXERCISE=)
	@$(LEARN) hint

reset: $(BUILD)/.deps ## Restore EXERCISE's shipped stub; yours is kept in .learn/backups/
	@$(LEARN) reset

solution: $(BUILD)/.deps ## The reference solution of an exercise you passed in full
	@$(LEARN) solution

# `make show`: one test's memory, step by step, as a page (grader/show/).
# Its own packages: GDB records, Graphviz draws (Chromium, for the check, comes
# with the docs' packages).
SHOW_PACKAGES := gdb graphviz python3
$(BUILD)/.deps-show: | $(BUILD)/
	@$(call install_packages,$(SHOW_PACKAGES))
	@touch $@

.PHONY: show test-show
show: $(BUILD)/.deps $(BUILD)/.deps-show ## One test's memory drawn step by step: EXERCISE=strset [TEST=name]
	@TEST='$(TEST)' $(LEARN) show

test-show: $(GRADER) $(HARNESS_STAMP) $(BUILD)/.deps-show $(BUILD)/.docs-deps | $(BUILD)/test/ ## make show on solutions and on one bug of each kind
	@grader/tests/check-show.sh $(TEST_OUT)/show

.PHONY: show-pictures
show-pictures: $(GRADER) $(HARNESS_STAMP) $(BUILD)/.deps-show ## Re-make the lessons' pictures drawn by make show (lessons/NN/pictures/)
	@grader/show/lesson-pictures.sh $(BUILD)/show-pictures

bench-loop: $(GRADER) $(HARNESS_STAMP) ## Save-to-verdict time of `make watch` for a lesson-01 exercise
	@grader/tests/bench-loop.sh $(BUILD)/bench-loop

test-learner-loop: $(BUILD)/.deps | $(BUILD)/test/ ## The learner targets, from a fresh clone
	@grader/tests/check-learner-loop.sh $(BUILD)/test/learner-loop

# ---------------------------------------------------------------------------
# The course's own proof. `make -j test` runs its steps side by side: each
# writes only below its own $(TEST_OUT)/STEP folder (a copy of the course, a
# clone, builds in its own build/), and the grader and its harness, which
# they all run, are built first, once, by this make.
TEST_OUT := $(BUILD)/test

.PHONY: test test-grader-unit test-solutions test-load test-stubs test-mutants test-demos \
        test-grader lint-solutions docs-check test-readme
# test-load grades the solutions (both modes) and the stubs, at once on a
# busy machine: test-solutions and test-stubs, alone, are for a quiet one.
# Steps joined by "+" run at once: each is mostly one process waiting on
# another (gdb, doxygen, a watch, a browser), they share no file, and none
# has a limit that counts the clock against its verdict.
TEST_STEPS := lint-solutions test-grader-unit test-load test-mutants \
              test-demos+test-learner-loop test-grader test-instructors \
              test-show+docs-check+test-readme
# One step after another, each timed, so that CI's log shows where the
# 20 minutes go; the first failure stops the run and is named (a joined
# step's output comes one target at a time, --output-sync).
test: ## Prove the course sound (what CI runs)
	@start=$$(date +%s); for step in $(TEST_STEPS); do \
	    t0=$$(date +%s); targets=$$(echo "$$step" | tr + ' '); jobs=$$(echo $$targets | wc -w); \
	    sync=; [ "$$jobs" -gt 1 ] && sync=--output-sync=target; \
	    $(MAKE) --no-print-directory -j"$$jobs" $$sync $$targets \
	        || { echo "make test: $$step failed"; exit 1; }; \
	    echo "make test: $$step passed in $$(( $$(date +%s) - t0 )) s"; \
	done; echo "make test: all checks passed in $$(( $$(date +%s) - start )) s"

test-grader-unit: $(GRADER_UNIT_BINS) ## The grader's unit tests
	@for t in $(abspath $(GRADER_UNIT_BINS)); do (cd grader/tests && $$t --jobs 2) || exit 1; done
	@grader/tests/check-sanitizer-words.sh $(TEST_OUT)/sanitizer-words

# $(call cost_margin_check,RESULTS): every test's CPU allowance leaves the
# margin that grader/include/course_protocol.h promises over the solution's
# own cost, so that honest slower code passes too.
define cost_margin_check
jq -e '[.tests[] | select(.extra_data.cpu_margin_ok | not)] | length == 0' $(1) >/dev/null || { \
    echo "tests that give less than PROTO_COST_CHECKED times the CPU the solution used (declare a larger .timeout):"; \
    jq -r '.tests[] | select(.extra_data.cpu_margin_ok | not) | "  \(.name): the solution used \(.extra_data.body_cpu_seconds) s"' $(1); \
    exit 1; }
endef

test-solutions: $(GRADER) $(HARNESS_STAMP) | $(TEST_OUT)/ ## Every solution: full marks, zero memory errors
	@grader/grade --submission solutions --jobs $(JOBS) --json $(TEST_OUT)/solutions.json \
	    > $(TEST_OUT)/solutions.txt || { cat $(TEST_OUT)/solutions.txt; exit 1; }
	@jq -e '.score == .max_score and .max_score > 0 and ([.tests[] | select(.status != "passed")] | length == 0)' \
	    $(TEST_OUT)/solutions.json >/dev/null
	@$(call cost_margin_check,$(TEST_OUT)/solutions.json)
	@echo "solutions: $$(jq -r '"\(.score)/\(.max_score) points, \(.tests | length) tests"' $(TEST_OUT)/solutions.json)"
	@grader/grade --fast --submission solutions --jobs $(JOBS) --json $(TEST_OUT)/solutions-fast.json \
	    > $(TEST_OUT)/solutions-fast.txt || { cat $(TEST_OUT)/solutions-fast.txt; exit 1; }
	@$(call cost_margin_check,$(TEST_OUT)/solutions-fast.json)
	@echo "solutions, --fast (AddressSanitizer): full marks too; every test's CPU allowance" \
	      "is at least PROTO_COST_CHECKED times what the solution used"

test-stubs: $(GRADER) $(HARNESS_STAMP) | $(TEST_OUT)/ ## Every test fails against the shipped stubs
	@rm -rf $(TEST_OUT)/stubs && mkdir -p $(TEST_OUT)/stubs
	@# The stubs as shipped (committed), not a learner's work in progress.
	@if git rev-parse --verify -q HEAD >/dev/null 2>&1; then \
	    git archive HEAD exercises | tar -x -C $(TEST_OUT)/stubs; \
	else cp -r exercises $(TEST_OUT)/stubs/; fi
	@grader/grade --submission $(TEST_OUT)/stubs/exercises --jobs $(JOBS) --json $(TEST_OUT)/stubs.json \
	    > $(TEST_OUT)/stubs.txt || [ $$? = 1 ] || { cat $(TEST_OUT)/stubs.txt; exit 1; }
	@jq -e '(.tests | length > 0) and ([.tests[] | select(.score != 0)] | length == 0)' \
	    $(TEST_OUT)/stubs.json >/dev/null || { echo "tests that earn points against the stubs:"; \
	    jq -r '.tests[] | select(.score != 0) | .name' $(TEST_OUT)/stubs.json; exit 1; }
	@echo "stubs: every one of $$(jq '.tests | length' $(TEST_OUT)/stubs.json) tests fails"

test-load: $(GRADER) $(HARNESS_STAMP) | $(TEST_OUT)/ ## Solutions full marks, stubs 0, at once on a busy machine; inherited limits
	@grader/tests/check-load.sh $(TEST_OUT)/load

test-mutants: $(GRADER) $(HARNESS_STAMP) | $(TEST_OUT)/ ## Every planted bug loses points; every correct variant gets full marks
	@grader/tests/check-mutants.sh $(TEST_OUT)/mutants $(JOBS)

test-grader: $(GRADER) $(HARNESS_STAMP) | $(TEST_OUT)/ ## The grader against hostile and broken submissions
	@grader/tests/check-fixtures.sh $(TEST_OUT)/fixtures $(JOBS)

# Solutions are models: they must compile warning-free with -Wpedantic. The
# course as the grader reads it (grader/grade --describe): each solution with
# its lesson's flags.
LINT_JQ := .lessons[] | .slug as $$l | (.cflags | join(" ")) as $$f | .exercises[] | [.solution, $$l, $$f] | join("\u001f")
lint-solutions: $(GRADER) ## Solutions compile with -Wpedantic -Werror
	@grader/grade --describe | jq -r '$(LINT_JQ)' \
	| while IFS=$$'\x1f' read -r file slug flags; do \
	    gcc -std=c11 $$flags -Wall -Wextra -Wpedantic -Werror -Iexercises/$$slug -fsyntax-only $$file || exit 1; \
	done

# Demos: each builds and runs; a _bug demo must make Valgrind report an error.
DEMO_SRCS := $(wildcard lessons/*/demos/*.c)
DEMO_BINS := $(DEMO_SRCS:%.c=$(BUILD)/%)

$(BUILD)/lessons/%: lessons/%.c $(BUILD)/.deps
	@mkdir -p $(@D)
	@gcc -std=gnu11 -Wall -Wextra -O0 -g -pthread $< -o $@

test-demos: $(DEMO_BINS) ## Build and run every demo; check _bug demos with Valgrind
	@for d in $(DEMO_BINS); do \
	    case $$d in \
	    *_bug) valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
	               $$d >/dev/null 2>&1 && { echo "$$d: Valgrind found no error"; exit 1; } || \
	               [ $$? = 99 ] || { echo "$$d: did not run under Valgrind"; exit 1; } ;; \
	    *) $$d >/dev/null || { echo "$$d: exited $$? (its claim does not hold here)"; exit 1; } ;; \
	    esac; \
	done
	@echo "demos: $(words $(DEMO_BINS)) built and checked"

# ---------------------------------------------------------------------------
# Running the lessons' demos (what the lesson texts tell learners to type).
#   make demo LESSON=01 DEMO=frames    build one demo into build/ and run it
#   make demos LESSON=01               every demo of a lesson, one after another
# A *_bug demo runs under Valgrind; the exact command is printed first, so
# that the reports quoted in the lessons can be reproduced. ARGS passes
# arguments to the demo; VGFLAGS adds Valgrind options (--track-origins=yes).
DEMO ?=
ARGS ?=
VGFLAGS ?=
DEMO_VALGRIND := valgrind --leak-check=full
demo_slug = $(notdir $(wildcard lessons/$(LESSON)-*))
demo_names = $(sort $(basename $(notdir $(wildcard lessons/$(demo_slug)/demos/*.c))))

# $(call run_demo,BINARY): print the command, then run it.
define run_demo
case $(1) in \
*_bug) cmd="$(DEMO_VALGRIND) $(VGFLAGS) $(1) $(ARGS)" ;; \
*) cmd="$(1) $(ARGS)" ;; \
esac; cmd=$$(echo $$cmd); echo "\$$ $$cmd"; $$cmd
endef

.PHONY: demo demos demo-args
demo-args:
	@[ -n "$(LESSON)" ] && [ -n "$(demo_slug)" ] || { echo "usage: make demo LESSON=01 DEMO=frames (LESSON: $(LESSONS))"; exit 2; }

demo: demo-args ## Build and run one demo: LESSON=01 DEMO=frames [ARGS=..] [VGFLAGS=..]
	@[ -f lessons/$(demo_slug)/demos/$(DEMO).c ] || { echo "no demo '$(DEMO)' in lesson $(demo_slug): $(demo_names)"; exit 2; }
	@$(MAKE) --no-print-directory $(BUILD)/lessons/$(demo_slug)/demos/$(DEMO)
	@$(call run_demo,$(BUILD)/lessons/$(demo_slug)/demos/$(DEMO))

demos: demo-args ## Build and run every demo of a lesson: LESSON=01
	@$(MAKE) --no-print-directory $(addprefix $(BUILD)/lessons/$(demo_slug)/demos/,$(demo_names))
	@for d in $(demo_names); do \
	    echo "== $$d"; \
	    $(call run_demo,$(BUILD)/lessons/$(demo_slug)/demos/$$d) || echo "($$d exited with status $$?)"; \
	done

# ---------------------------------------------------------------------------
# Documentation: two Doxygen sites, built apart.
#   $(BUILD)/docs/html          learners: the lessons, every exercise's header,
#                               the README's learner part (docs/Doxyfile)
#   $(BUILD)/docs/grader/html   instructors and maintainers: the whole README,
#                               authoring.md, the grader (docs/Doxyfile.grader)
# The Doxyfiles name build/docs; the build folder of this make (BUILD=x) is
# appended to their text, so that doxygen writes its pages and its warning
# log where docs-check reads them. Old pages are removed first: a file taken
# out of a site must not linger in it.
DOCS := $(BUILD)/docs
# $(call doxygen,DOXYFILE,OUTPUT_DIRECTORY,WARN_LOGFILE)
define doxygen
rm -rf $(2)/html $(3) && mkdir -p $(2) && \
( cat $(1); echo 'OUTPUT_DIRECTORY = $(2)'; echo 'WARN_LOGFILE = $(3)' ) | doxygen - > $(2)/doxygen.log
endef

.PHONY: docs
docs: $(BUILD)/.deps ## Doxygen HTML: learners' site, and the instructors' (README, grader) apart
	@$(call doxygen,docs/Doxyfile,$(DOCS),$(DOCS)/warnings.log)
	@$(call doxygen,docs/Doxyfile.grader,$(DOCS)/grader,$(DOCS)/grader-warnings.log)
	@echo "docs: $(DOCS)/html/index.html (learners), $(DOCS)/grader/html/index.html (instructors, grader)"

# Packages the docs check needs beyond PACKAGES: a browser, to look at the
# pages as a reader does. Not for learners, so not in PACKAGES; the README's
# apt-get block names them on a line of their own, for `make test`.
DOCS_PACKAGES := chromium

docs-check: docs $(BUILD)/.docs-deps ## The docs build with zero warnings, render no literal HTML, and show in a browser
	@docs/check-docs.sh $(DOCS)

# README.md's generated blocks: the apt-get line (PACKAGES, DOCS_PACKAGES) and
# the learner's examples, run in a scratch clone (docs/readme-examples.sh).
# Prose outside the blocks is people's; the blocks are the script's.
.PHONY: readme
readme: $(BUILD)/.deps ## Rewrite README.md's generated blocks (apt-get line, learner examples)
	@docs/readme-examples.sh --update $(BUILD)/readme

test-readme: $(BUILD)/.deps ## README.md's generated blocks match what the commands print today
	@docs/readme-examples.sh --check $(BUILD)/readme

# ---------------------------------------------------------------------------
# Lesson 06: the allocator benchmark. Replays malloc-lab traces against the
# reference mm and glibc malloc: the CS:APP classics and the course's own
# traces of real programs, both shipped in lessons/06-fragmentation/bench/
# traces/. TRACES="dir/*.rep" replays others instead; MAP=1 draws each
# heap at its peak. bench-record records a command's trace.
BENCH_ALLOC_L := 06-fragmentation
BENCH_ALLOC_DIR := lessons/$(BENCH_ALLOC_L)/bench
BENCH_ALLOC_CLASSIC := $(filter-out %/short1-bal.rep %/short2-bal.rep,\
                       $(wildcard $(BENCH_ALLOC_DIR)/traces/cmu-classic/*-bal.rep))
BENCH_ALLOC_REAL := $(wildcard $(BENCH_ALLOC_DIR)/traces/real/*.rep)
BENCH_ALLOC_SRCS := $(BENCH_ALLOC_DIR)/replay.c solutions/$(BENCH_ALLOC_L)/mm.c \
                    solutions/$(BENCH_ALLOC_L)/heapmap.c exercises/$(BENCH_ALLOC_L)/support/memlib.c
BENCH_ALLOC_TRACER := $(BUILD)/bench-alloc/alloc_tracer.so
TRACES ?=

$(BUILD)/bench-alloc/replay: $(BENCH_ALLOC_SRCS) $(wildcard exercises/$(BENCH_ALLOC_L)/*.h) \
                             | $(BUILD)/bench-alloc/
	@gcc -std=gnu11 -O2 -Wall -Wextra -Iexercises/$(BENCH_ALLOC_L) $(BENCH_ALLOC_SRCS) -o $@

$(BENCH_ALLOC_TRACER): $(BENCH_ALLOC_DIR)/alloc_tracer.c | $(BUILD)/bench-alloc/
	@gcc -std=gnu11 -O2 -Wall -Wextra -fPIC -shared $< -o $@

# $(call bench_alloc_run,TITLE,TRACES)
bench_alloc_run = $(BUILD)/bench-alloc/replay --title $(1) $(if $(MAP),--map) $(2)

.PHONY: bench-alloc bench-record bench-record-real
bench-alloc: $(BUILD)/bench-alloc/replay ## Reference mm against glibc on classic and real-program traces (TRACES=..., MAP=1)
	@if [ -n "$(strip $(TRACES))" ]; then \
	    $(call bench_alloc_run,"traces: $(TRACES)",$(TRACES)); \
	else \
	    [ -n "$(strip $(BENCH_ALLOC_CLASSIC) $(BENCH_ALLOC_REAL))" ] || \
	        { echo "bench-alloc: no traces in $(BENCH_ALLOC_DIR)/traces"; exit 1; }; \
	    $(if $(BENCH_ALLOC_CLASSIC),$(call bench_alloc_run,"== CS:APP classic traces",$(BENCH_ALLOC_CLASSIC)) && echo;) \
	    $(call bench_alloc_run,"== real programs (recorded on Debian 12)",$(BENCH_ALLOC_REAL)); \
	fi

bench-record: $(BENCH_ALLOC_TRACER) ## Record a command's heap calls: OUT=x.rep CMD="prog args" [MAX_OPS=n]
	@[ -n "$(OUT)" ] && [ -n "$(CMD)" ] || { echo 'usage: make bench-record OUT=x.rep CMD="prog args" [MAX_OPS=n]'; exit 2; }
	@$(BENCH_ALLOC_DIR)/record.sh $(BENCH_ALLOC_TRACER) $(OUT) $(or $(MAX_OPS),0) $(CMD)

bench-record-real: $(BENCH_ALLOC_TRACER) ## Record the course's real-program traces again (OUT_DIR=...)
	@$(BENCH_ALLOC_DIR)/record-real.sh $(BENCH_ALLOC_TRACER) $(or $(OUT_DIR),$(BENCH_ALLOC_DIR)/traces/real)

# ---------------------------------------------------------------------------
.PHONY: bench-grader
bench-grader: $(GRADER) $(HARNESS_STAMP) ## Grader speed against naive Valgrind over Criterion
	@grader/bench.sh $(BUILD)/bench

.PHONY: bench-worst
bench-worst: $(GRADER) $(HARNESS_STAMP) ## Worst-case grading time: every function loops forever
	@grader/bench-worst.sh $(BUILD)/bench-worst

# ---------------------------------------------------------------------------
# Instructors: a class in batch, Gradescope, PrairieLearn, CI on GitHub
# Actions, GitHub Classroom (being retired) (issues 13 and 23).
# README.md, "For instructors", explains them.
.PHONY: gradescope prairielearn bench-batch test-instructors
BENCH_N ?= 6

gradescope: $(BUILD)/.deps ## Gradescope autograder.zip from HEAD, no solutions (LESSON=02, OVERLAY=hidden-tests-dir)
	@grader/gradescope/build.sh $(BUILD)/gradescope/autograder.zip $(LESSON)

prairielearn: $(BUILD)/.deps ## PrairieLearn image context and questions from HEAD (LESSON=02, OVERLAY=dir, PL_IMAGE=name)
	@grader/prairielearn/build.sh $(BUILD)/prairielearn $(LESSON)

bench-batch: $(GRADER) $(HARNESS_STAMP) ## grader/batch on a generated class (BENCH_N=6 submissions)
	@grader/bench-batch.sh $(BUILD)/bench-batch $(BENCH_N)

test-instructors: $(GRADER) $(HARNESS_STAMP) | $(TEST_OUT)/ ## grader/batch (also over ssh), Gradescope, PrairieLearn, CI workflow, Classroom
	@grader/tests/check-batch.sh $(TEST_OUT)/batch $(JOBS)
	@grader/tests/check-gradescope.sh $(TEST_OUT)/gradescope
	@grader/tests/check-prairielearn.sh $(TEST_OUT)/prairielearn
	@grader/tests/check-ci.sh $(TEST_OUT)/ci
	@grader/tests/check-classroom.sh $(TEST_OUT)/classroom

# ---------------------------------------------------------------------------
# Another Debian release, from nothing: debootstrap, HEAD copied in, `make
# check` and the graders run inside (grader/tests/check-distro.sh says how).
# Not in `make test`: it takes longer than 10 minutes. Root only.
.PHONY: test-distro
DIST ?= trixie
MIRROR ?= http://deb.debian.org/debian
DISTRO_PACKAGES := debootstrap

$(BUILD)/.deps-distro: | $(BUILD)/
	@$(call install_packages,$(DISTRO_PACKAGES))
	@touch $@

# RUN='cmd' runs one command in the last run's chroot instead, in the course.
RUN ?=
test-distro: $(BUILD)/.deps-distro ## The course on a fresh Debian DIST=trixie|bookworm in a chroot (slow, root; RUN=cmd)
	@MIRROR='$(MIRROR)' grader/tests/check-distro.sh $(DIST) $(BUILD)/distro $(RUN)

# ---------------------------------------------------------------------------
.PHONY: clean help
clean: ## Remove everything the build made
	rm -rf $(BUILD)

help: ## This list
	@echo "usage: make TARGET [LESSON=02] [EXERCISE=vector] [SUBMISSION=dir] [JOBS=n]"
	@grep -hE '^[a-z-]+:.*## ' Makefile | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 20
