"""Near-duplicate detection for claims/abstracts: jieba word tokens without patent boilerplate, scored
by weighted word Jaccard, word-bigram Jaccard and RapidFuzz token-set ratio; a 64-bit SimHash
`fingerprint` is stored per case for cheap pre-filtering (near-duplicates differ in few bits)."""
from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import jieba
from rapidfuzz import fuzz

jieba.setLogLevel(logging.WARNING)

# Words every claim or abstract contains; they say nothing about the invention.
BOILERPLATE = re.compile(
    r"根据权利要求[\d、,，或和及至到\-~～]*(?:中)?(?:任一项|任意一项)?所述的?|如权利要求[\d、,，或和及至到\-~～]*(?:中)?(?:任一项|任意一项)?所述的?"
    r"|权利要求\s*\d+|其特征在于|本发明(?:公开|提供|涉及)?了?|本实用新型(?:公开|提供|涉及)?了?"
    r"|一种|所述|包括|包含|设有|设置|具有"
)
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 在 为 是 有 将 对 于 上 下 中 内 外 其 该 此 并 且 而 以 由 从 到 至 被 使 用 可 能 "
    "个 一 两 各 之 等 所 把 还 也 则 即 通过 以及 其中 一个 多个 至少 用于 进行 可以 使得 能够 相对 分别".split()
)
# Fingerprints of near-duplicates typically differ in < 12 of 64 bits, unrelated texts in ~32;
# a Hamming distance up to this bound is worth a full `similarity` check.
PREFILTER_MAX_DISTANCE = 16

_WORD = re.compile(r"[\w\u4e00-\u9fff]")


@lru_cache(maxsize=4096)
def _tokens_cached(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = BOILERPLATE.sub(" ", text)
    text = re.sub(r"\d+(?:\.\d+)?", " ", text)  # reference numerals and sizes
    return tuple(
        tok for tok in (t.strip() for t in jieba.lcut(text))
        if tok and tok not in STOP_WORDS and _WORD.search(tok)
    )


def tokens(text: str) -> list[str]:
    """Content words of a Chinese (or mixed) patent text, in order."""
    return list(_tokens_cached(text or ""))


def _weighted_jaccard(a: Counter, b: Counter) -> float:
    if not a and not b:
        return 0.0
    inter = sum((a & b).values())
    union = sum((a | b).values())
    return inter / union if union else 0.0


def _bigrams(toks) -> Counter:
    return Counter(zip(toks, toks[1:]))


def _score(ta: tuple[str, ...], tb: tuple[str, ...]) -> float:
    if not ta or not tb:
        return 0.0
    words = _weighted_jaccard(Counter(ta), Counter(tb))
    pairs = _weighted_jaccard(_bigrams(ta), _bigrams(tb)) if len(ta) > 1 and len(tb) > 1 else words
    # token_set_ratio forgives reordering and repetition; it is damped when one text is much shorter,
    # so a short text contained in a long one does not count as a duplicate of it
    fuzzy = fuzz.token_set_ratio(" ".join(ta), " ".join(tb)) / 100.0
    balance = min(1.0, min(len(ta), len(tb)) / max(len(ta), len(tb)) / 0.8)
    score = 0.4 * words + 0.1 * pairs + 0.5 * fuzzy * balance
    return max(0.0, min(1.0, round(score, 4)))


def similarity(a: str, b: str) -> float:
    """Similarity of two texts in [0, 1]; symmetric; 1.0 for texts with the same content words."""
    ta, tb = _tokens_cached(a or ""), _tokens_cached(b or "")
    if ta == tb:
        return 1.0 if ta else 0.0
    first, second = sorted((ta, tb))
    return _score(first, second)


def fingerprint(text: str) -> str:
    """64-bit SimHash of the content words and word bigrams as 16 hex digits ("" for empty text)."""
    toks = _tokens_cached(text or "")
    if not toks:
        return ""
    features = Counter(toks)
    features.update(" ".join(p) for p in zip(toks, toks[1:]))
    vector = [0] * 64
    for feature, weight in features.items():
        h = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            vector[bit] += weight if h >> bit & 1 else -weight
    value = sum(1 << bit for bit in range(64) if vector[bit] > 0)
    return f"{value:016x}"


def fingerprint_distance(a: str, b: str) -> int:
    """Hamming distance of two fingerprints (64 when either is empty)."""
    if not a or not b:
        return 64
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def best_matches(text: str, candidates: Iterable[tuple], threshold: float = 0.8, limit: int = 5) -> list[tuple]:
    """The candidates (id, text) whose similarity to text is at least threshold, best first:
    [(id, score), …] with at most `limit` entries."""
    query = _tokens_cached(text or "")
    if not query:
        return []
    query_set = set(query)
    scored = []
    for cid, ctext in candidates:
        ctoks = _tokens_cached(ctext or "")
        if not ctoks:
            continue
        # cheap bound: the word overlap must be substantial before the full score is worth computing
        overlap = len(query_set & set(ctoks)) / max(len(query_set), len(set(ctoks)))
        if overlap < threshold * 0.5:
            continue
        score = 1.0 if ctoks == query else _score(*sorted((query, ctoks)))
        if score >= threshold:
            scored.append((cid, score))
    scored.sort(key=lambda item: (-item[1], str(item[0])))
    return scored[:limit]
