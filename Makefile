# Harness: the two commands a fresh clone needs are `make run` and `make test`.
# Both install what they need (Debian packages, NuGet packages) first.
SHELL := /bin/bash
DOTNET ?= dotnet
HARNESS := bin/harness
ARGS ?=

.PHONY: all deps build run test test-unit test-faults bench clean

all: build

deps:
	@bash harness/setup/host-packages.sh

$(HARNESS): $(shell find harness/Harness -name '*.cs' -o -name '*.csproj' 2>/dev/null) Directory.Build.props Directory.Packages.props
	$(DOTNET) publish harness/Harness/Harness.csproj -c Release -o bin --nologo -v quiet
	@touch $(HARNESS)

build: $(HARNESS)

# The main job on the embedded default (configs/run.yaml). Extra flags: make run ARGS="--arch x86_64".
run: deps build
	$(HARNESS) run $(ARGS)

# Unit tests, then the real end-to-end tests (real kernels, QEMU, SSH). The kernels and guest images are made
# first, outside any test's time limit: on a fresh machine that is the long part (cached afterwards).
test: deps build
	@bash harness/setup/gitlab-ci-local.sh >/dev/null
	$(HARNESS) build
	$(HARNESS) exec --arch x86_64 -- uname -r
	$(HARNESS) exec --arch arm64 -- uname -r
	$(DOTNET) test Harness.sln -c Release --nologo --logger "console;verbosity=normal" $(ARGS)

test-unit: build
	$(DOTNET) test Harness.sln -c Release --nologo --filter "TestCategory!=EndToEnd" $(ARGS)

# The fault-injection suite alone (also part of `make test`): bad inputs, broken guests, kills, limits, corrupt caches.
test-faults: deps build
	$(DOTNET) test Harness.sln -c Release --nologo --logger "console;verbosity=normal" --filter "TestCategory=Faults" $(ARGS)

# Timings on this machine beside the plain qemu + ssh way: results/bench-<time>/bench.json and bench.md.
# Run `make run` once before (it measures the warm case). BENCH_COLD=1 also times cold kernel and image builds
# in a temporary cache (10+ minutes each on two cores).
BENCH_BOOTS ?= 5
BENCH_COLD ?=
bench: deps build
	$(HARNESS) bench --boots $(BENCH_BOOTS) $(if $(BENCH_COLD),--cold) $(ARGS)

clean:
	rm -rf bin harness/*/bin harness/*/obj
