"""The compiled loops of dedupe: matching's sizes of many sorted-set intersections at once,
signing's affine32 MinHash of many shingle sets at once and shingling's xxh32 of many words.

The loops are ``_loops.c``, beside this file. The first process on a machine that needs it
compiles it with the C compiler Python was built with (``sysconfig``'s ``CC``, else ``cc``)
into the cache folder (``record.cache``), under a name that holds the digest of the source,
the compiler's command and the platform; every later process loads that library through
``ctypes`` in about a millisecond (numba, which this replaces, took 1.1-1.5 s to import and
load its cached code in each process). A call through ``ctypes`` lets go of the interpreter's
lock, so a large count is shared among threads, one a core.

Where no compiler runs (or the library will not load), ``compiled_merge()``,
``compiled_sign()`` and ``compiled_hash()`` are None, said once in the log, and the callers
count, sign and hash with numpy and xxhash instead: the same values, a few times slower.
"""

from __future__ import annotations

import ctypes
import logging
import os
import platform
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from record.cache import cached_file, write_cached

__all__ = ["compiled_hash", "compiled_merge", "compiled_sign", "count_pairs"]

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("_loops.c")
#: Below this many set values to walk, one thread does the whole count (starting the others
#: costs more than it saves).
_PARALLEL_VALUES = 2_000_000
#: The compiler's run, at most.
_COMPILE_SECONDS = 120

_I64 = np.ctypeslib.ndpointer(np.int64, flags="C_CONTIGUOUS")
_U32 = np.ctypeslib.ndpointer(np.uint32, flags="C_CONTIGUOUS")

Merge = Callable[..., None]
Sign = Callable[..., None]
Hash = Callable[..., None]
_BYTES = ctypes.c_char_p


def _compiler() -> list[str]:
    return shlex.split(sysconfig.get_config_var("CC") or "") or ["cc"]


def _command(compiler: list[str], out: str) -> list[str]:
    return [*compiler, "-O3", "-shared", "-fPIC", "-o", out, str(SOURCE)]


def library_path() -> Path:
    """Where this machine's build of ``_loops.c`` is cached (module doc)."""
    key = " ".join(_command(_compiler(), "")) + f" {sys.platform} {platform.machine()}"
    return cached_file("loops", ".so", SOURCE.read_bytes(), key.encode())


def _build(path: Path) -> ctypes.CDLL:
    """Compile ``_loops.c`` in a scratch folder, cache the library at ``path`` (``write_cached``:
    under a temporary name, then renamed) and load it; a cache that cannot be written leaves
    the scratch build loaded (a loaded library outlives its file)."""
    with tempfile.TemporaryDirectory(prefix="wiredup-loops-") as scratch:
        built = Path(scratch) / path.name
        done = subprocess.run(
            _command(_compiler(), str(built)),
            capture_output=True,
            text=True,
            timeout=_COMPILE_SECONDS,
            check=False,
        )
        if done.returncode != 0:
            raise OSError(f"the compiler exited with {done.returncode}: {done.stderr.strip()}")
        write_cached(path, built.read_bytes())
        return ctypes.CDLL(str(path if path.exists() else built))


@cache
def _library() -> ctypes.CDLL | None:
    """The compiled loops, built on first use; None where they cannot be built or loaded
    (logged once)."""
    path = library_path()
    try:
        return ctypes.CDLL(str(path)) if path.exists() else _build(path)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("dedupe counts and signs with numpy: no compiled loops (%s)", error)
        return None


@cache
def compiled_merge() -> Merge | None:
    """``_loops.c``'s ``intersect_pairs``, or None without the compiled loops."""
    library = _library()
    if library is None:
        return None
    function = library.intersect_pairs
    function.restype = None
    function.argtypes = [_U32, _I64, _U32, _I64, _I64, _I64, ctypes.c_int64, ctypes.c_int64, _I64]
    merge: Merge = function
    return merge


@cache
def compiled_sign() -> Sign | None:
    """``_loops.c``'s ``sign_sets`` (values, offsets, count, a, b, num_perm, out), or None
    without the compiled loops."""
    library = _library()
    if library is None:
        return None
    function = library.sign_sets
    function.restype = None
    function.argtypes = [_U32, _I64, ctypes.c_int64, _U32, _U32, ctypes.c_int64, _U32]
    sign: Sign = function
    return sign


@cache
def compiled_hash() -> Hash | None:
    """``_loops.c``'s ``hash_lines`` (text as UTF-8 bytes, its size, the count of words, out),
    or None without the compiled loops."""
    library = _library()
    if library is None:
        return None
    function = library.hash_lines
    function.restype = None
    function.argtypes = [_BYTES, ctypes.c_int64, ctypes.c_int64, _U32]
    hashes: Hash = function
    return hashes


@cache
def _threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="merge")


def count_pairs(
    merge: Merge,
    a_values: np.ndarray,
    a_offsets: np.ndarray,
    b_values: np.ndarray,
    b_offsets: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    work: int,
) -> np.ndarray:
    """``|A[left[k]] & B[right[k]]|`` for each pair ``k`` (set ``i`` of a flat column is
    ``values[offsets[i]:offsets[i + 1]]``), by ``merge``; ``work``, the set values the pairs
    hold in all, decides whether the pairs are shared among threads (one a core)."""
    arrays = (
        np.ascontiguousarray(a_values, dtype=np.uint32),
        np.ascontiguousarray(a_offsets, dtype=np.int64),
        np.ascontiguousarray(b_values, dtype=np.uint32),
        np.ascontiguousarray(b_offsets, dtype=np.int64),
        np.ascontiguousarray(left, dtype=np.int64),
        np.ascontiguousarray(right, dtype=np.int64),
    )
    out = np.zeros(left.size, dtype=np.int64)
    parts = min(os.cpu_count() or 1, max(1, work // _PARALLEL_VALUES), left.size)
    if parts <= 1:
        merge(*arrays, 0, left.size, out)
        return out
    bounds = np.linspace(0, left.size, parts + 1).astype(np.int64)
    calls = [
        _threads().submit(merge, *arrays, start, stop, out)
        for start, stop in pairwise(bounds.tolist())
    ]
    for call in calls:
        call.result()
    return out
