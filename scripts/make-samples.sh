#!/usr/bin/env bash
# Re-signs every sample bundle in Samples/ with the sample PKI in Certificates/.
set -euo pipefail
BIN=${1:-$(swift build --show-bin-path)}
"$BIN/agritrace" sample --pki Certificates --out Samples
