# racelab: make builds bin/racelab; make prove and make test are the two commands of the README.
CC      ?= gcc
PKGS    := libxml-2.0 jansson inih yaml-0.1 nettle libmicrohttpd libcurl
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread
CPPFLAGS += -Iharness -Iharness/format -Iharness/cmd $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
            -DRL_CHECK_LIBS='"$(shell pkg-config --libs check 2>/dev/null)"'
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -pthread

# The core (lab -> build -> run -> detect -> verdict) is harness/*.c; the output writers and the
# terminal report are harness/format/, the commands and their helpers harness/cmd/.
HARNESS := $(filter-out harness/cmd/main.c,$(wildcard harness/*.c harness/format/*.c harness/cmd/*.c))
HEADERS := $(wildcard harness/*.h harness/format/*.h harness/cmd/*.h)
OBJS    := $(HARNESS:harness/%.c=build/%.o)

.PHONY: all deps shipped prove test unit bench-schedules bench-replay bench-room image unit-tsan unit-asan bench-unit determinism bench bench-watch bench-class memory gradescope classroom dist check docs-tools docs-outputs clean

all: bin/racelab

build/%.o: harness/%.c $(HEADERS) | build
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

bin/racelab: build/cmd/main.o $(OBJS) | bin
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

build bin:
	mkdir -p $@

# racelab serve's page is built in (.incbin): its object is remade when the page changes.
build/cmd/serve_page.o build-tsan/cmd/serve_page.o build-asan/cmd/serve_page.o: harness/cmd/room.html

# The harness's own unit tests (Check), linked with every module but main: built, then run
# (harness/tests/unit.sh ends on "N passed, N failed"). Goal: under 30 s (make bench-unit).
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)
unit: build/unit_tests
	@sh harness/tests/unit.sh build/unit_tests
build/unit_tests: harness/tests/test_harness.c harness/tests/test_cache.c harness/tests/test_room.c \
		harness/tests/test_limit.c harness/tests/test_runtime.c harness/runtime/rl_noise.c $(OBJS) | build
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CHECK_CFLAGS) $^ $(LDLIBS) $(CHECK_LIBS) -o $@

# The harness and its unit tests under a sanitizer, each in a folder of its own so no object
# mixes with the plain build: build-tsan/ (clang's ThreadSanitizer: the gate threads) and
# build-asan/ (gcc's AddressSanitizer with LeakSanitizer, and UndefinedBehaviorSanitizer).
# Every report fails its test; the options each run uses are in harness/tests/unit.sh.
SAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread
SAN_tsan   := clang -fsanitize=thread
SAN_asan   := gcc -fsanitize=address,undefined -fno-sanitize-recover=all
define sanitized
build-$(1)/%.o: harness/%.c $(HEADERS) | build-$(1)
	@mkdir -p $$(dir $$@)
	$(SAN_$(1)) $$(CPPFLAGS) $(SAN_CFLAGS) -c $$< -o $$@
build-$(1)/unit_tests: harness/tests/test_harness.c harness/tests/test_cache.c harness/tests/test_room.c \
		harness/tests/test_limit.c harness/tests/test_runtime.c harness/runtime/rl_noise.c \
		$(OBJS:build/%=build-$(1)/%) | build-$(1)
	$(SAN_$(1)) $$(CPPFLAGS) $(SAN_CFLAGS) $$(CHECK_CFLAGS) $$^ $$(LDLIBS) $$(CHECK_LIBS) -o $$@
build-$(1)/racelab: build-$(1)/cmd/main.o $(OBJS:build/%=build-$(1)/%) | build-$(1)
	$(SAN_$(1)) $(SAN_CFLAGS) $$^ $$(LDLIBS) -o $$@
build-$(1):
	mkdir -p $$@
unit-$(1): build-$(1)/unit_tests build-$(1)/racelab
	@sh harness/tests/unit.sh build-$(1)/unit_tests
endef
$(eval $(call sanitized,tsan))
$(eval $(call sanitized,asan))

# Install what a fresh Debian or Ubuntu machine lacks (as root or with sudo), or say how.
deps:
	@sh harness/scripts/install-deps.sh

# The proof table: every kata, broken, fixed and wrong fixes, under every gate (two katas at once:
# most of a proof is waiting out hangs, which leaves the cores to the other one).
prove: deps
	@$(MAKE) --no-print-directory all
	bin/racelab prove --all --parallel 2

# The project's tests: every lab's proof, and the harness's own unit tests (with what its tests use:
# Chromium, a single-node Slurm; install-deps.sh test).
test:
	@sh harness/scripts/install-deps.sh test
	@$(MAKE) --no-print-directory all
	@sh harness/tests/run.sh

# Caught every time, counted: each lab proven RUNS times (LAB=NN for one lab).
RUNS ?= 20
determinism: deps
	@$(MAKE) --no-print-directory all
	bin/racelab prove $(if $(LAB),$(LAB),--all) --repeat $(RUNS)

# How long make unit takes, build up to date (median of RUNS, default 3): goal under 30 s, or it fails.
bench-unit:
	@RUNS=$(if $(filter 20,$(RUNS)),3,$(RUNS)) sh harness/scripts/bench-unit.sh

# How long a whole check of each solved kata takes, against the same work by hand (median of RUNS=5; LAB="NN ..." for some).
bench: all
	@RUNS=$(if $(filter 20,$(RUNS)),5,$(RUNS)) sh harness/scripts/bench.sh

# Peak memory of grading one lab (LAB=NN, default 41; SRC=folder, default its solution): goal under 768 MiB.
memory: all
	@sh harness/scripts/memory.sh $(if $(LAB),$(LAB),41) $(SRC)

# How soon racelab watch shows the fast gates passing after a save, in tmux (median of RUNS, default 5).
bench-watch: all
	@RUNS=$(if $(filter 20,$(RUNS)),5,$(RUNS)) sh harness/scripts/bench-watch.sh

# The controlled scheduler per kata with the schedules gate (LAB="NN ..." for some): seeds of SEEDS=20 whose search
# finds the broken code's failing schedule, median schedules and seconds to it; beside it, the stress gate's catch rate
# in SEEDS grades on the same BUDGET=5 s (STRESS=0 leaves it out); the solution and alternatives explored clean.
bench-schedules: all
	@sh harness/scripts/bench-schedules.sh $(LAB)

# Replay determinism per kata with the schedules gate (LAB="NN ..." for some): its recorded failing schedule replayed
# RUNS=100 times: how many fail with the same outcome and print the same bytes (goal: all of them).
bench-replay: all
	@RUNS=$(if $(filter 20,$(RUNS)),100,$(RUNS)) sh harness/scripts/bench-replay.sh $(LAB)

# grade-class over a generated class of 36 submissions (no hostile code), --jobs 1 against --jobs 2 (median of RUNS=3).
bench-class: all
	@sh harness/scripts/bench-class.sh

# racelab serve under 100 learners posting at once for a minute on loopback (RUNS=3, the median): posts per
# second, nothing lost, the page's p50/p99 latency (goal: p99 under 200 ms).
bench-room: all build/bench-room
	@RUNS=$(if $(filter 20,$(RUNS)),3,$(RUNS)) sh harness/scripts/bench-room.sh
build/bench-room: harness/scripts/bench-room.c | build
	$(CC) $(CFLAGS) $< $(shell pkg-config --cflags --libs libcurl jansson) -o $@

# Course packaging (docs/packaging.md): a Gradescope autograder, a GitHub Classroom workflow, a learner bundle.
gradescope: all
	@sh packaging/gradescope/build.sh $(if $(LAB),$(LAB),$(error make gradescope LAB=NN))
classroom:
	@mkdir -p dist/classroom-$(LAB)/.github/workflows
	@sh packaging/github-classroom/make-workflow.sh $(if $(LAB),$(LAB),$(error make classroom LAB=NN)) \
		>dist/classroom-$(LAB)/.github/workflows/classroom.yml && echo dist/classroom-$(LAB)/.github/workflows/classroom.yml
dist:
	@sh packaging/dist.sh

# packaging/docker's image built with podman from a Debian base made here (mmdebstrap), and make prove run
# inside it (some 10 minutes of both cores): prints the image's size and the prove's time. docs/packaging.md.
image:
	@sh harness/scripts/install-deps.sh image
	@sh harness/scripts/image.sh

# docs/tools.md: which detector catches which kata, from a real grading of every lab (slow).
docs-tools: deps
	@$(MAKE) --no-print-directory all
	sh harness/scripts/tools-matrix.sh docs/tools.md

# Every output the README and docs/ quote, written again from a real run (make test checks them: harness/tests/docs.t.sh).
docs-outputs: all
	sh harness/scripts/docs-outputs.sh --update

check: all
	bin/racelab check $(LAB)

# After changing a kata's broken file: its pristine copy (labs/NN-slug/.shipped/), which reset and prove use.
shipped:
	@for d in labs/*/; do f=$$(sed -n 's/^edit *= *\([^ ;]*\).*/\1/p' $$d/lab.ini); \
		mkdir -p $$d.shipped && cp $$d$$f $$d.shipped/$$f && echo $$d.shipped/$$f; done

clean:
	rm -rf build build-tsan build-asan bin
