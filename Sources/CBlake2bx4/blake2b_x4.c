// BLAKE2b-256 of four equal-block-count messages at once (RFC 7693), one message per 64-bit
// lane of AVX2 registers, and four hash chains walked side by side. Used by RemitCrypto for
// what is hashed in batches (receipt digests, Merkle levels, tick links, stretches of a payer's
// hash chain, whose unrevealed links are secret); RemitCrypto checks it against libsodium's
// BLAKE2b in its tests. Constant-time like any BLAKE2b: additions, rotations and xors only, no
// table lookups or branches on the data.

#include "remit_blake2b_x4.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <string.h>

static const uint64_t IV[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const uint8_t SIGMA[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};  // rounds 10 and 11 use rows 0 and 1 again (RFC 7693 section 3.2)

int remit_blake2b_x4_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);  // little-endian machine (x86-64), as BLAKE2b's words are
    return v;
}

#define ADD(a, b) _mm256_add_epi64((a), (b))
#define XOR(a, b) _mm256_xor_si256((a), (b))
#define ROTR32(x) _mm256_shuffle_epi32((x), _MM_SHUFFLE(2, 3, 0, 1))
#define ROTR24(x) _mm256_shuffle_epi8((x), r24)
#define ROTR16(x) _mm256_shuffle_epi8((x), r16)
#define ROTR63(x) _mm256_or_si256(_mm256_srli_epi64((x), 63), _mm256_add_epi64((x), (x)))

#define G(a, b, c, d, x, y)        \
    do {                           \
        a = ADD(ADD(a, b), x);     \
        d = ROTR32(XOR(d, a));     \
        c = ADD(c, d);             \
        b = ROTR24(XOR(b, c));     \
        a = ADD(ADD(a, b), y);     \
        d = ROTR16(XOR(d, a));     \
        c = ADD(c, d);             \
        b = ROTR63(XOR(b, c));     \
    } while (0)

/// One compression of four blocks: lane i of h and m belongs to message i; t is each lane's
/// byte counter, last is all ones in every lane on the final block.
__attribute__((target("avx2")))
static void compress4(__m256i h[8], const __m256i m[16], __m256i t, __m256i last) {
    const __m256i r24 = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,
                                         3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    const __m256i r16 = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,
                                         2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
    __m256i v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
    __m256i v8 = _mm256_set1_epi64x((long long)IV[0]);
    __m256i v9 = _mm256_set1_epi64x((long long)IV[1]);
    __m256i v10 = _mm256_set1_epi64x((long long)IV[2]);
    __m256i v11 = _mm256_set1_epi64x((long long)IV[3]);
    __m256i v12 = XOR(_mm256_set1_epi64x((long long)IV[4]), t);  // t's high word is 0: messages < 2^64 bytes
    __m256i v13 = _mm256_set1_epi64x((long long)IV[5]);
    __m256i v14 = XOR(_mm256_set1_epi64x((long long)IV[6]), last);
    __m256i v15 = _mm256_set1_epi64x((long long)IV[7]);
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = SIGMA[r % 10];
        G(v0, v4, v8, v12, m[s[0]], m[s[1]]);
        G(v1, v5, v9, v13, m[s[2]], m[s[3]]);
        G(v2, v6, v10, v14, m[s[4]], m[s[5]]);
        G(v3, v7, v11, v15, m[s[6]], m[s[7]]);
        G(v0, v5, v10, v15, m[s[8]], m[s[9]]);
        G(v1, v6, v11, v12, m[s[10]], m[s[11]]);
        G(v2, v7, v8, v13, m[s[12]], m[s[13]]);
        G(v3, v4, v9, v14, m[s[14]], m[s[15]]);
    }
    h[0] = XOR(h[0], XOR(v0, v8));
    h[1] = XOR(h[1], XOR(v1, v9));
    h[2] = XOR(h[2], XOR(v2, v10));
    h[3] = XOR(h[3], XOR(v3, v11));
    h[4] = XOR(h[4], XOR(v4, v12));
    h[5] = XOR(h[5], XOR(v5, v13));
    h[6] = XOR(h[6], XOR(v6, v14));
    h[7] = XOR(h[7], XOR(v7, v15));
}

static size_t block_count(size_t len) { return len == 0 ? 1 : (len + 127) / 128; }

__attribute__((target("avx2")))
int remit_blake2b256_x4(const uint8_t *m0, size_t len0, const uint8_t *m1, size_t len1,
                        const uint8_t *m2, size_t len2, const uint8_t *m3, size_t len3,
                        uint8_t out[128]) {
    const uint8_t *msg[4] = {m0, m1, m2, m3};
    const size_t len[4] = {len0, len1, len2, len3};
    const size_t blocks = block_count(len0);
    if (block_count(len1) != blocks || block_count(len2) != blocks || block_count(len3) != blocks) return -1;
    __m256i h[8];
    // Parameter block: digest length 32, no key, fanout 1, depth 1.
    h[0] = _mm256_set1_epi64x((long long)(IV[0] ^ 0x01010020ULL));
    for (int i = 1; i < 8; i++) h[i] = _mm256_set1_epi64x((long long)IV[i]);
    uint8_t tail[4][128];
    __m256i m[16];
    for (size_t b = 0; b < blocks; b++) {
        const int final = b + 1 == blocks;
        const uint8_t *block[4];
        uint64_t counter[4];
        for (int lane = 0; lane < 4; lane++) {
            if (final) {
                // The last block of each lane, zero-padded; the counter is the message length.
                const size_t rest = len[lane] - b * 128;
                memset(tail[lane], 0, 128);
                if (rest > 0) memcpy(tail[lane], msg[lane] + b * 128, rest);
                block[lane] = tail[lane];
                counter[lane] = len[lane];
            } else {
                block[lane] = msg[lane] + b * 128;
                counter[lane] = (b + 1) * 128;
            }
        }
        for (int w = 0; w < 16; w++) {
            m[w] = _mm256_setr_epi64x((long long)load64(block[0] + 8 * w), (long long)load64(block[1] + 8 * w),
                                      (long long)load64(block[2] + 8 * w), (long long)load64(block[3] + 8 * w));
        }
        const __m256i t = _mm256_setr_epi64x((long long)counter[0], (long long)counter[1],
                                             (long long)counter[2], (long long)counter[3]);
        compress4(h, m, t, final ? _mm256_set1_epi64x(-1) : _mm256_setzero_si256());
    }
    uint64_t word[4][4];  // word[j][lane]
    for (int j = 0; j < 4; j++) _mm256_storeu_si256((__m256i *)word[j], h[j]);
    for (int lane = 0; lane < 4; lane++) {
        for (int j = 0; j < 4; j++) memcpy(out + 32 * lane + 8 * j, &word[j][lane], 8);
    }
    return 0;
}

__attribute__((target("avx2")))
int remit_blake2b256_x4_chains(const uint8_t start[128], size_t steps, uint8_t *out) {
    // Lane i's message is its previous 32-byte digest: one block, counter 32, final.
    __m256i m[16];
    for (int w = 4; w < 16; w++) m[w] = _mm256_setzero_si256();
    uint64_t word[4][4];  // word[j][lane]: the current digest of each lane
    for (int lane = 0; lane < 4; lane++) {
        for (int j = 0; j < 4; j++) word[j][lane] = load64(start + 32 * lane + 8 * j);
    }
    const __m256i t = _mm256_set1_epi64x(32);
    const __m256i last = _mm256_set1_epi64x(-1);
    for (size_t step = 0; step < steps; step++) {
        for (int j = 0; j < 4; j++) m[j] = _mm256_loadu_si256((const __m256i *)word[j]);
        __m256i h[8];
        h[0] = _mm256_set1_epi64x((long long)(IV[0] ^ 0x01010020ULL));
        for (int i = 1; i < 8; i++) h[i] = _mm256_set1_epi64x((long long)IV[i]);
        compress4(h, m, t, last);
        for (int j = 0; j < 4; j++) _mm256_storeu_si256((__m256i *)word[j], h[j]);
        uint8_t *row = out + 128 * step;
        for (int lane = 0; lane < 4; lane++) {
            for (int j = 0; j < 4; j++) memcpy(row + 32 * lane + 8 * j, &word[j][lane], 8);
        }
    }
    return 0;
}

#else

int remit_blake2b_x4_available(void) { return 0; }

int remit_blake2b256_x4_chains(const uint8_t start[128], size_t steps, uint8_t *out) {
    (void)start; (void)steps; (void)out;
    return -1;
}

int remit_blake2b256_x4(const uint8_t *m0, size_t len0, const uint8_t *m1, size_t len1,
                        const uint8_t *m2, size_t len2, const uint8_t *m3, size_t len3,
                        uint8_t out[128]) {
    (void)m0; (void)len0; (void)m1; (void)len1; (void)m2; (void)len2; (void)m3; (void)len3; (void)out;
    return -1;
}

#endif
