#!/bin/sh
# The floor under a verifier's work besides the signature math, per record of a bundle: what no
# verifier can skip however it is written. For each record it decodes the base64 payload and
# takes three SHA-256 digests with OpenSSL: of the payload (the record digest), of its DSSE PAE
# (what the signature covers; OpenSSL's raw verify rate is taken on digests given), and of a
# pre-hash of 0.8 times the payload's size (the CBV 2.0 event hash). No JSON is read, no check
# made. One core, the best of seven passes over the bundle's payloads, written in C so that no
# language's overhead is counted.
#
# Set beside `agritrace-bench`'s figures: the goal behind its `ratio` (everything but the
# signature math a tenth of it) leaves a tenth of the CPU time per signature, about 8 µs per
# record against OpenSSL's stock verification, about 2.7 µs against AgriTrace's table of a
# signer's key (`math_verify_per_s`).
# Usage: scripts/nonsignature-floor.sh BUNDLE   (a bundle from `agritrace-bench --records 20000 --keep`)
# Needs a C compiler (the Swift toolchain's clang, or $CC) and OpenSSL's headers (libssl-dev, which
# `make test` installs).
set -eu
BUNDLE="$1"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The payloads, each as a 4-byte little-endian length and its base64 text.
python3 - "$BUNDLE" "$WORK/payloads.bin" <<'PY'
import json, struct, sys
with open(sys.argv[2], "wb") as out:
    for record in json.load(open(sys.argv[1]))["records"]:
        payload = record["payload"].encode()
        out.write(struct.pack("<I", len(payload)) + payload)
PY
cat > "$WORK/floor.c" <<'C'
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    FILE *file = fopen(argv[1], "rb");
    if (!file || fseek(file, 0, SEEK_END) != 0) return 2;
    long size = ftell(file);
    rewind(file);
    unsigned char *all = malloc(size);
    if (!all || fread(all, 1, size, file) != (size_t)size) return 2;
    fclose(file);
    size_t largest = 0;
    for (long at = 0; at + 4 <= size;) { unsigned int n; memcpy(&n, all + at, 4); if (n > largest) largest = n; at += 4 + n; }
    unsigned char *payload = malloc(largest), *pae = malloc(largest + 64), digest[32];
    EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!payload || !pae || !sha256) return 2;
    for (int hashing = 0; hashing <= 1; hashing++) {
        double best = 1e9; int records = 0;
        for (int pass = 0; pass < 7; pass++) {
            double start = now();
            records = 0;
            for (long at = 0; at + 4 <= size; records++) {
                unsigned int n; memcpy(&n, all + at, 4); at += 4;
                int length = EVP_DecodeBlock(payload, all + at, n);  /* padding included: a byte or two more */
                at += n;
                if (length < 0) return 2;
                if (!hashing) continue;
                unsigned int digestLength;
                EVP_Digest(payload, length, digest, &digestLength, sha256, NULL);
                int head = snprintf((char *)pae, 64, "DSSEv1 36 application/vnd.agritrace.event+json %d ", length);
                memcpy(pae + head, payload, length);
                EVP_Digest(pae, head + length, digest, &digestLength, sha256, NULL);
                EVP_Digest(payload, length * 8 / 10, digest, &digestLength, sha256, NULL);
            }
            double seconds = now() - start;
            if (seconds < best) best = seconds;
        }
        printf(hashing ? "floor_us_per_record=%.2f (base64 and three SHA-256, %d records, one core)\n"
                       : "base64_us_per_record=%.2f (%d records, one core)\n", best / records * 1e6, records);
    }
    EVP_MD_free(sha256);
    return 0;
}
C
CC="${CC:-$(command -v clang || command -v cc)}"
"$CC" -O2 -o "$WORK/floor" "$WORK/floor.c" -lcrypto
"$WORK/floor" "$WORK/payloads.bin"
