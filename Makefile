# AgriTrace: `make demo` runs the main job end to end, `make test` runs every test.
SWIFT ?= swift
BIN = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)

# Release binaries carry Swift's runtime and Foundation inside them: a buyer's machine has no Swift
# toolchain, and needs only OpenSSL 3 and the C libraries (`ldd` lists them). Calls into the
# runtime then go straight to it, not through the dynamic linker's tables: 2.5 % of the
# verifier's instructions (scripts/verify-instructions.sh). The toolchain's own linker, lld, links
# them without the system linker's warnings about glibc functions the static Foundation uses.
RELEASE = -c release --static-swift-stdlib -Xswiftc -use-ld=lld $(CFLAGS_DEBUG)

# The C target (Sources/CByteKernels) with DWARF 4 debug information: clang's default, DWARF 5,
# makes Debian's valgrind 3.19 give up on the whole program (`make leakcheck`,
# scripts/verify-instructions.sh). Swift's own code is DWARF 4 already.
CFLAGS_DEBUG = -Xcc -gdwarf-4

.PHONY: deps build test demo release bench samples pki leakcheck clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(CFLAGS_DEBUG)

test: build
	AGRITRACE_BIN="$(BIN)" $(SWIFT) test $(CFLAGS_DEBUG)

demo: build
	scripts/demo.sh "$(BIN)"

samples: build
	scripts/make-samples.sh "$(BIN)"

pki: build
	"$(BIN)/agritrace" pki sample --out Certificates --force

release: deps
	$(SWIFT) build $(RELEASE) --product agritrace-verify
	$(SWIFT) build $(RELEASE) --product agritrace
	@echo "release binaries: $$($(SWIFT) build $(RELEASE) --show-bin-path)/agritrace-verify and agritrace"

bench: deps
	$(SWIFT) build $(RELEASE) --product agritrace-bench
	"$$($(SWIFT) build $(RELEASE) --show-bin-path)/agritrace-bench"

leakcheck: build
	valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 "$(BIN)/agritrace-bench" --leak-loop 20

clean:
	rm -rf .build
