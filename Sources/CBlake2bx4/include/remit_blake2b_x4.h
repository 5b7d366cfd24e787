#ifndef REMIT_BLAKE2B_X4_H
#define REMIT_BLAKE2B_X4_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU runs the four-lane BLAKE2b (AVX2), 0 otherwise.
int remit_blake2b_x4_available(void);

/// BLAKE2b-256 (unkeyed, RFC 7693) of four messages at once, one per AVX2 lane. The four
/// messages must take the same number of 128-byte blocks (an empty message takes one).
/// Writes the four 32-byte digests to out[0..31], out[32..63], out[64..95], out[96..127].
/// Returns 0, or -1 (writing nothing) when the block counts differ or the CPU lacks AVX2
/// (call only when remit_blake2b_x4_available() returned 1).
int remit_blake2b256_x4(const uint8_t *m0, size_t len0, const uint8_t *m1, size_t len1,
                        const uint8_t *m2, size_t len2, const uint8_t *m3, size_t len3,
                        uint8_t out[128]);

/// Walks four hash chains at once: lane i starts at the 32 bytes start[32i..32i+31] and each
/// step replaces every lane's value by its BLAKE2b-256. Writes step k's four values to
/// out[128k .. 128k+127] (lane i at 32i), for k = 0 ..< steps. Returns 0, or -1 without AVX2.
int remit_blake2b256_x4_chains(const uint8_t start[128], size_t steps, uint8_t *out);

#endif
