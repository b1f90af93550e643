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
