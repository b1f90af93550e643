/* The compiled loops of dedupe, built once per machine by dedupe/_loops.py and called through
 * ctypes, which lets go of the interpreter's lock for the call.
 *
 * intersect_pairs (matching): the sizes of many sorted-set intersections at once. Set i of a
 * flat column is values[offsets[i]:offsets[i + 1]], sorted and unique. For each pair k in
 * [start, stop), out[k] = |A[left[k]] & B[right[k]]|, by one merge walk per pair without a
 * branch on the comparison (hash values compare at random, which a branch mispredicts);
 * threads share the pairs.
 *
 * sign_sets (signing): datasketch's affine32 MinHash of many shingle sets at once, bit for bit:
 * each value through MurmurHash3's 32-bit finalizer, then a * h + b modulo 2**32 for each
 * permutation, the minimum per permutation kept; an empty set keeps all 0xFFFFFFFF. The
 * arrays do not overlap (restrict), so the compiler runs the permutations in vector lanes.
 *
 * hash_lines (shingling): the xxh32 (seed 0) of each of count words given as UTF-8 text, one
 * word a line (a word holds no line break), as xxhash's xxh32_intdigest gives it.
 */
#include <stdint.h>

void intersect_pairs(const uint32_t *a_values, const int64_t *a_offsets,
                     const uint32_t *b_values, const int64_t *b_offsets,
                     const int64_t *left, const int64_t *right,
                     int64_t start, int64_t stop, int64_t *out)
{
    for (int64_t k = start; k < stop; k++) {
        int64_t i = a_offsets[left[k]], i_end = a_offsets[left[k] + 1];
        int64_t j = b_offsets[right[k]], j_end = b_offsets[right[k] + 1];
        int64_t common = 0;
        while (i < i_end && j < j_end) {
            uint32_t x = a_values[i], y = b_values[j];
            common += x == y;
            i += x <= y;
            j += y <= x;
        }
        out[k] = common;
    }
}

static inline uint32_t fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

void sign_sets(const uint32_t *restrict values, const int64_t *restrict offsets, int64_t count,
               const uint32_t *restrict a, const uint32_t *restrict b, int64_t num_perm,
               uint32_t *restrict out)
{
    for (int64_t s = 0; s < count; s++) {
        uint32_t *row = out + s * num_perm;
        for (int64_t p = 0; p < num_perm; p++)
            row[p] = 0xFFFFFFFFu;
        for (int64_t i = offsets[s]; i < offsets[s + 1]; i++) {
            uint32_t h = fmix32(values[i]);
            for (int64_t p = 0; p < num_perm; p++) {
                uint32_t v = a[p] * h + b[p];
                row[p] = v < row[p] ? v : row[p];
            }
        }
    }
}

#define XXH_P1 2654435761u
#define XXH_P2 2246822519u
#define XXH_P3 3266489917u
#define XXH_P4 668265263u
#define XXH_P5 374761393u

static inline uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static inline uint32_t read32(const uint8_t *p)
{
    /* Little-endian whatever the machine: xxh32 reads its input so. */
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t xxh32_round(uint32_t acc, uint32_t input)
{
    return rotl32(acc + input * XXH_P2, 13) * XXH_P1;
}

static uint32_t xxh32(const uint8_t *p, int64_t len)
{
    const uint8_t *end = p + len;
    uint32_t h;
    if (len >= 16) {
        uint32_t v1 = XXH_P1 + XXH_P2, v2 = XXH_P2, v3 = 0, v4 = 0u - XXH_P1;
        const uint8_t *limit = end - 16;
        do {
            v1 = xxh32_round(v1, read32(p));
            v2 = xxh32_round(v2, read32(p + 4));
            v3 = xxh32_round(v3, read32(p + 8));
            v4 = xxh32_round(v4, read32(p + 12));
            p += 16;
        } while (p <= limit);
        h = rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18);
    } else {
        h = XXH_P5;
    }
    h += (uint32_t)len;
    while (p + 4 <= end) {
        h = rotl32(h + read32(p) * XXH_P3, 17) * XXH_P4;
        p += 4;
    }
    while (p < end) {
        h = rotl32(h + (uint32_t)*p * XXH_P5, 11) * XXH_P1;
        p++;
    }
    h ^= h >> 15;
    h *= XXH_P2;
    h ^= h >> 13;
    h *= XXH_P3;
    h ^= h >> 16;
    return h;
}

void hash_lines(const uint8_t *restrict text, int64_t size, int64_t count,
                uint32_t *restrict out)
{
    int64_t start = 0;
    for (int64_t k = 0; k < count; k++) {
        int64_t stop = start;
        while (stop < size && text[stop] != '\n')
            stop++;
        out[k] = xxh32(text + start, stop - start);
        start = stop + 1;
    }
}
