#!/bin/sh
# Instructions per CBV event hash (EventHash.eventID) of each registry benchmark shape, counted by
# callgrind: exact where timings on a shared machine wander by 10 %, so a change to the event hash
# can be judged by a few hundred instructions. Each figure is (I(2N) - I(N)) / N, which cancels the
# program's fixed start-up. Note: valgrind hides SHA-NI, so SHA-256 counts ~24k of each figure
# that on the real CPU costs a tenth of that.
# Usage: scripts/hash-instructions.sh [BIN_DIR]   (default: the release build)
set -eu
BIN="${1:-$(swift build -c release --show-bin-path)}"
N=2000
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN/agritrace-bench" --hash-loop "$1" --shape "$2" 2>&1 \
        | awk '/I *refs/ { gsub(",", "", $NF); print $NF }'
}
for shape in 0 1 2; do
    one=$(count $N $shape)
    two=$(count $((2 * N)) $shape)
    echo "shape $shape: $(( (two - one) / N )) instructions per eventID"
done
