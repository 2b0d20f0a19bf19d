#ifndef AGRITRACE_BYTE_KERNELS_H
#define AGRITRACE_BYTE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Decodes standard base64 (RFC 4648 §4) from `text`, 32 characters at a time, into `out`, 24
/// bytes for each 32 characters, with AVX2 where the processor has it. It stops before the first
/// block of 32 that holds a character outside the alphabet (the padding character `=` included)
/// and before the last characters too few for a block, and returns how many characters it decoded:
/// a multiple of 32, and 0 on a processor without AVX2. The caller decodes the rest, and judges
/// what stopped it. `out` must have room for `count / 32 * 24` bytes.
size_t agt_base64_decode_blocks(const uint8_t *text, size_t count, uint8_t *out);

#endif
