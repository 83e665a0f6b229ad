"""Near-duplicate removal: word shingles, MinHash signatures and banded LSH.

Each text becomes its set of word `k`-shingles. MinHash signatures put texts that share
many shingles into the same bucket of at least one band, so only those pairs are compared,
which keeps the work close to linear in the number of texts. A candidate pair is confirmed
with the exact Jaccard similarity of the shingle sets, so a reported duplicate is never a
hashing accident (a true duplicate can, rarely, be missed).
"""

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Duplicate", "find_near_duplicates", "jaccard", "shingles"]

_WORD = re.compile(r"\w+")
# A prime just above 2**32: a*x + b stays below 2**64 for a, b, x < 2**32.
_PRIME = 4_294_967_311


@dataclass(frozen=True)
class Duplicate:
    """A text dropped as a near-copy of an earlier one.

    Attributes:
        index: Position of the dropped text.
        of: Position of the earlier text it copies.
        similarity: Jaccard similarity of their shingle sets.
    """

    index: int
    of: int
    similarity: float


def shingles(text: str, k: int = 5) -> frozenset[int]:
    """The 32-bit hashes of the text's lower-cased word `k`-grams (the whole text if shorter).

    Examples:
        >>> len(shingles("a b c d e f", k=5))
        2
    """
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return frozenset([zlib.crc32(" ".join(words).encode())]) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[i : i + k]).encode()) for i in range(len(words) - k + 1)
    )


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def find_near_duplicates(
    texts: Sequence[str],
    *,
    threshold: float = 0.6,
    k: int = 5,
    bands: int = 32,
    rows: int = 4,
    seed: int = 0,
) -> list[Duplicate]:
    """Find texts that nearly copy an earlier text (the earlier one is kept).

    Args:
        texts: The texts, in priority order.
        threshold: Jaccard similarity of shingle sets at or above which a text is a near-copy.
        k: Words per shingle.
        bands: LSH bands; with `rows` they set the similarity at which pairs become
            candidates (about (1/bands) ** (1/rows), 0.42 by default, below the threshold).
        rows: Signature rows per band.
        seed: Seed of the hash permutations.

    Returns:
        One entry per dropped text, in text order.

    Examples:
        >>> base = "the developer trains its assistant on every free tier conversation today"
        >>> [d.index for d in find_near_duplicates([base, base + " indeed", "something else"])]
        [1]
    """
    sets = [shingles(text, k) for text in texts]
    rng = np.random.default_rng(seed)
    count = bands * rows
    a = rng.integers(1, 1 << 32, size=count, dtype=np.uint64)
    b = rng.integers(0, 1 << 32, size=count, dtype=np.uint64)
    buckets: dict[tuple[int, bytes], list[int]] = {}
    kept: set[int] = set()
    duplicates: list[Duplicate] = []
    for index, items in enumerate(sets):
        signature = _signature(items, a, b)
        keys = [(band, signature[band * rows : (band + 1) * rows].tobytes()) for band in
                range(bands)]
        candidates: set[int] = set()
        for key in keys:
            candidates.update(buckets.get(key, ()))
        best: Duplicate | None = None
        for other in sorted(candidates & kept):
            similarity = jaccard(items, sets[other])
            if similarity >= threshold and (best is None or similarity > best.similarity):
                best = Duplicate(index, other, similarity)
        if best is not None:
            duplicates.append(best)
            continue
        kept.add(index)
        for key in keys:
            buckets.setdefault(key, []).append(index)
    return duplicates


def _signature(items: frozenset[int], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not items:
        return np.zeros(len(a), dtype=np.uint64)
    values = np.fromiter(items, dtype=np.uint64, count=len(items))
    hashed = (a[:, None] * values[None, :] + b[:, None]) % np.uint64(_PRIME)
    return np.asarray(hashed.min(axis=1))
