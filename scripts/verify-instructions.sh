#!/bin/sh
# Instructions per record of a verification without its signature checks, counted by callgrind
# outside libcrypto: exact where timings on a shared machine wander by a tenth, so a change to the
# verifier's own work (reading, event hash, checks, report) can be judged by a fraction of a
# percent. libcrypto is left out because valgrind hides SHA-NI: its SHA-256 counts ten times what
# it costs on the real CPU. The figure includes the program's start (about 1 % at 20,000 records).
# Usage: scripts/verify-instructions.sh BUNDLE ANCHOR [BIN_DIR]   (default: the release build;
#        a bundle and anchor from `agritrace-bench --records 20000 --keep`)
set -eu
BUNDLE="$1" ANCHOR="$2"
BIN="${3:-$(swift build -c release --show-bin-path)}"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
RESULT=$(valgrind --tool=callgrind --callgrind-out-file="$OUT" "$BIN/agritrace-bench" --verify-only "$BUNDLE" "$ANCHOR" --skip-signatures 2>/dev/null | head -1)
RECORDS=$(echo "$RESULT" | awk '{ print $2 }')
callgrind_annotate --threshold=100 "$OUT" 2>/dev/null | awk -v records="$RECORDS" -v result="$RESULT" '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
    /libcrypto\.so/ && $1 ~ /^[0-9,]+$/ { gsub(",", "", $1); crypto += $1 }
    END {
        printf "verifier: %s\n", result
        printf "instructions: %.0f in all, %.0f in libcrypto; %.0f per record outside libcrypto\n", total, crypto, (total - crypto) / records
    }'
