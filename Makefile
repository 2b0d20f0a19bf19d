# AgriTrace: `make demo` runs the main job end to end, `make test` runs every test.
SWIFT ?= swift
BIN = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)

.PHONY: deps build test demo bench samples pki leakcheck clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

test: build
	AGRITRACE_BIN="$(BIN)" $(SWIFT) test

demo: build
	scripts/demo.sh "$(BIN)"

samples: build
	scripts/make-samples.sh "$(BIN)"

pki: build
	"$(BIN)/agritrace" pki sample --out Certificates --force

bench: deps
	$(SWIFT) build -c release --product agritrace-bench
	"$$($(SWIFT) build -c release --show-bin-path)/agritrace-bench"

leakcheck: build
	valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 "$(BIN)/agritrace-bench" --leak-loop 20

clean:
	rm -rf .build
