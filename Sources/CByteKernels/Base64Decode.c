// Base64 decoding 32 characters a step with AVX2: the algorithm of Wojciech Muła and Daniel
// Lemire, "Faster Base64 Encoding and Decoding Using AVX2 Instructions" (ACM TWEB 12(3), 2018),
// written from the paper. Each character is checked and given its 6-bit value by table lookups on
// its two nibbles (one shuffle each); the values are then packed four into three bytes by two
// multiply-adds, and the 24 bytes gathered by a shuffle and a lane permutation.

#include "ByteKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static size_t decode_avx2(const uint8_t *text, size_t count, uint8_t *out) {
    // By the high and the low nibble of a character: a character is outside the alphabet exactly
    // when its two entries share a bit (every byte above 0x7F included: its high-nibble entry is
    // 0x10, which every low-nibble entry has).
    const __m256i low_nibble_flags = _mm256_setr_epi8(
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A,
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m256i high_nibble_flags = _mm256_setr_epi8(
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    // What to add to a valid character for its value, by its high nibble (`/`, which shares
    // `+`'s, at index 1): `+` +19, `/` +16, digits +4, capitals -65, small letters -71.
    const __m256i offsets = _mm256_setr_epi8(
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i slash = _mm256_set1_epi8(0x2F);  // also the nibble mask: shuffles read only bits 0-3 and 7
    const __m256i pair_weights = _mm256_set1_epi32(0x01400140);   // a << 6 | b, in each 16 bits
    const __m256i quad_weights = _mm256_set1_epi32(0x00011000);   // ab << 12 | cd, in each 32 bits
    const __m256i gather_in_lane = _mm256_setr_epi8(
        2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
        2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i gather_lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    size_t read = 0;
    while (count - read >= 32) {
        __m256i chars = _mm256_loadu_si256((const __m256i *)(text + read));
        __m256i high = _mm256_and_si256(_mm256_srli_epi32(chars, 4), slash);
        __m256i low = _mm256_and_si256(chars, slash);
        __m256i flags = _mm256_and_si256(_mm256_shuffle_epi8(low_nibble_flags, low), _mm256_shuffle_epi8(high_nibble_flags, high));
        if (!_mm256_testz_si256(flags, flags)) break;
        __m256i offset = _mm256_shuffle_epi8(offsets, _mm256_add_epi8(_mm256_cmpeq_epi8(chars, slash), high));
        __m256i values = _mm256_add_epi8(chars, offset);
        __m256i words = _mm256_madd_epi16(_mm256_maddubs_epi16(values, pair_weights), quad_weights);
        __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(words, gather_in_lane), gather_lanes);
        _mm_storeu_si128((__m128i *)out, _mm256_castsi256_si128(packed));
        _mm_storel_epi64((__m128i *)(out + 16), _mm256_extracti128_si256(packed, 1));
        read += 32;
        out += 24;
    }
    return read;
}

size_t agt_base64_decode_blocks(const uint8_t *text, size_t count, uint8_t *out) {
    // The compiler's runtime asks the processor once at start-up (cpuid, and whether the system
    // saves the AVX registers); this reads its answer.
    if (count < 32 || !__builtin_cpu_supports("avx2")) return 0;
    return decode_avx2(text, count, out);
}

#else

size_t agt_base64_decode_blocks(const uint8_t *text, size_t count, uint8_t *out) {
    (void)text; (void)count; (void)out;
    return 0;
}

#endif
