/* The one compiled loop of matching: the sizes of many sorted-set intersections at once.
 *
 * Set i of a flat column is values[offsets[i]:offsets[i + 1]], sorted and unique. For each
 * pair k in [start, stop), out[k] = |A[left[k]] & B[right[k]]|, by one merge walk per pair
 * without a branch on the comparison (hash values compare at random, which a branch
 * mispredicts). dedupe/_merge.py compiles this file once per machine and calls it through
 * ctypes, which lets go of the interpreter's lock for the call, so threads share the pairs.
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
