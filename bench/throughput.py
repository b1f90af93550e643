"""Speed of the sign stage (parse + normalize + shingle + MinHash) on ~500-word real stories.

    .venv/bin/python -m bench.throughput [--stories N]

Prints stories per second on one core next to the target, and the ratios measured in the same
run against datasketch's per-shingle ``MinHash.update`` loop and against the bare floor
(tokenize, shingle, hash each shingle: no normalization, no MinHash).
"""

from __future__ import annotations

import argparse
import re
import time

import py3langid
import xxhash
from datasketch import MinHash

from bench.corpus import long_stories, require_shared, wire_items
from bench.targets import print_targets
from dedupe import DEFAULT_MINHASH, Signer, prepare_and_sign, shingle_texts
from ingest import prepare

TARGET_PER_CORE = 2000
TARGET_VS_DATASKETCH = 12.0
TARGET_VS_FLOOR = 1.7
_WORD = re.compile(r"\w+")


def _shingle_strings(text: str, k: int) -> list[str]:
    tokens = _WORD.findall(text.lower())
    return [" ".join(tokens[i : i + k]) for i in range(max(1, len(tokens) - k + 1))]


def _timed(label: str, fn, n: int, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    # Best of a few runs: this machine is shared, and the best run is the one least disturbed.
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<44} {best:7.2f} s  {n / best:8.0f} stories/s")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2225)
    args = parser.parse_args()
    require_shared()
    stories = long_stories()[: args.stories]
    raws = wire_items(stories)
    n = len(raws)
    words = sum(len(" ".join(p).split()) for _, p in stories) / n
    k = DEFAULT_MINHASH.shingle_size
    print(f"{n} stories, {words:.0f} words on average (BBC corpus, read in place)\n")
    prepare_and_sign(raws[:50])  # warm caches and imports outside the clock
    py3langid.classify("un texte pour charger le modèle")  # its model loads on first use

    print("one core:")
    ours = _timed(
        "ours: parse+normalize+shingle+MinHash", lambda: prepare_and_sign(raws, workers=1), n
    )
    normalized, _ = prepare(raws)
    texts = [matching_text(s.headline, s.body) for s in normalized]
    signer = Signer()
    ours_sign = _timed(
        "ours: shingle+MinHash (normalized text)",
        lambda: signer.sign_many(shingle_texts(texts, k)),
        n,
    )
    norm = _timed("normalize alone (parse+normalize)", lambda: prepare(raws), n)

    def datasketch_loop() -> None:
        for text in texts:
            m = MinHash(num_perm=DEFAULT_MINHASH.num_perm, seed=DEFAULT_MINHASH.seed)
            for shingle in _shingle_strings(text, k):
                m.update(shingle.encode())

    theirs_sign = _timed("datasketch update loop: shingle+MinHash", datasketch_loop, n, 1)

    def floor() -> None:
        for text in texts:
            {xxhash.xxh32_intdigest(s.encode()) for s in _shingle_strings(text, k)}

    bare = _timed("floor: tokenize+shingle+hash", floor, n)
    theirs = theirs_sign + norm

    print("\nboth cores:")
    # Each worker process starts afresh (imports, language model): a larger batch amortizes it.
    more = raws * 4
    both = _timed(
        f"ours: whole stage, 2 workers, {len(more)} stories",
        lambda: prepare_and_sign(more, workers=2),
        len(more),
    )

    rows = [
        (
            "stories/s per core, whole stage",
            f"{n / ours:.0f}",
            f">= {TARGET_PER_CORE}",
            n / ours >= TARGET_PER_CORE,
        ),
        (
            "speed-up vs datasketch loop, whole stage",
            f"{theirs / ours:.1f}x",
            f">= {TARGET_VS_DATASKETCH}x",
            theirs / ours >= TARGET_VS_DATASKETCH,
        ),
        (
            "speed-up vs datasketch loop, shingle+MinHash",
            f"{theirs_sign / ours_sign:.1f}x",
            f">= {TARGET_VS_DATASKETCH}x",
            theirs_sign / ours_sign >= TARGET_VS_DATASKETCH,
        ),
        (
            "whole stage / floor",
            f"{ours / bare:.2f}x",
            f"<= {TARGET_VS_FLOOR}x",
            ours / bare <= TARGET_VS_FLOOR,
        ),
        (
            "shingle+MinHash / floor",
            f"{ours_sign / bare:.2f}x",
            f"<= {TARGET_VS_FLOOR}x",
            ours_sign / bare <= TARGET_VS_FLOOR,
        ),
        ("stories/s on 2 cores", f"{len(more) / both:.0f}", "(for reference)", True),
    ]
    print_targets(rows)


if __name__ == "__main__":
    main()
