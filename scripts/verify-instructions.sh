#!/bin/sh
# Instructions per record of a verification without its signature checks, counted by callgrind
# outside libcrypto: where timings on a shared machine wander by a tenth, runs of one binary agree
# within about 0.2 % (some 200 instructions and 20 reference counts a record: the threads split
# the work differently from run to run), so a change to the verifier's own work (reading, event
# hash, checks, report) can be judged by half a percent; run it twice for less. libcrypto is
# left out because valgrind hides SHA-NI: its SHA-256 counts ten times what it costs on the real
# CPU. The figure includes the program's start (about 1 % at 20,000 records).
#
# It also counts the reference-count operations per record (calls of swift_retain and
# swift_release, each one atomic instruction). They are a tenth of the instructions and a fifth
# of the real time (perf, on this verifier): an atomic read-modify-write costs about as much as
# thirty ordinary instructions, so a change that saves them shows here before it shows in time.
# Usage: scripts/verify-instructions.sh BUNDLE ANCHOR [BIN_DIR]   (default: the release build;
#        a bundle and anchor from `agritrace-bench --records 20000 --keep`). Build it as `make
#        bench` does, with `-Xcc -gdwarf-4`: valgrind 3.19 cannot read clang's DWARF 5 (Makefile).
set -eu
BUNDLE="$1" ANCHOR="$2"
BIN="${3:-$(swift build -c release --show-bin-path)}"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
# Swift seeds its hashing per process; a fixed seed makes the dictionaries' collisions, and so the
# count, the same from run to run. --settle waits for the records' freeing, which the verifier
# leaves to another core after its report: counted whole, not as far as it got before the exit.
RESULT=$(SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$OUT" "$BIN/agritrace-bench" --verify-only "$BUNDLE" "$ANCHOR" --skip-signatures --settle 2>/dev/null | head -1)
RECORDS=$(echo "$RESULT" | awk '{ print $2 }')
REFCOUNTS=$(python3 - "$OUT" <<'PY'
import re, sys
# callgrind names a function once in full, as "cfn=(id) name", and later by its id alone.
names, wanted, calls, target = {}, {"swift_retain", "swift_release", "swift_retain_n", "swift_release_n"}, 0, None
for line in open(sys.argv[1], errors="replace"):
    if line.startswith("cfn="):
        m = re.match(r"cfn=\((\d+)\)(?: (.*))?", line.strip())
        if m:
            if m.group(2): names[m.group(1)] = m.group(2)
            target = names.get(m.group(1))
    elif line.startswith("calls=") and target in wanted:
        calls += int(line.split("=")[1].split()[0])
        target = None
print(calls)
PY
)
callgrind_annotate --threshold=100 "$OUT" 2>/dev/null | awk -v records="$RECORDS" -v result="$RESULT" -v refcounts="$REFCOUNTS" '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
    /libcrypto\.so/ && $1 ~ /^[0-9,]+$/ { gsub(",", "", $1); crypto += $1 }
    END {
        printf "verifier: %s\n", result
        printf "instructions: %.0f in all, %.0f in libcrypto; %.0f per record outside libcrypto\n", total, crypto, (total - crypto) / records
        printf "reference counts: %.0f swift_retain and swift_release calls, %.0f per record\n", refcounts, refcounts / records
    }'
