#!/usr/bin/env bash
# The main job end to end: sign the mint-honey scenario's records with the sample keys, write the
# bundle a Singapore buyer receives, and verify it and one tampered copy as the buyer would.
set -euo pipefail
BIN=${1:-$(swift build --show-bin-path)}
OUT=out/demo
rm -rf "$OUT"

echo "== 1. The cooperative, certifier, laboratory, exporter and importer sign their records"
"$BIN/agritrace" sample --pki Certificates --out "$OUT"
echo
echo "== 2. The buyer in Singapore verifies the bundle, trusting only the provincial root"
set +e
"$BIN/agritrace-verify" "$OUT/honey/honey.provenance.json" --trust Certificates/root-ca.pem
status=$?
echo "(exit status $status)"
echo
echo "== 3. The same check on a copy whose harvest quantity was raised after signing"
"$BIN/agritrace-verify" "$OUT/honey/tampered/payload-changed.provenance.json" --trust Certificates/root-ca.pem
tampered=$?
echo "(exit status $tampered)"
set -e
[ "$status" -eq 0 ] && [ "$tampered" -eq 1 ] || { echo "demo: unexpected result"; exit 1; }
echo
echo "Demo done: the genuine bundle is trusted, the tampered one is rejected."
