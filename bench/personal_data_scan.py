"""Throughput of the personal-data scanner on short report-like texts.

Target (issue: incident import ≥ 30,000 rows/s with the scan on): the scan alone must be well
above 30,000 texts per second on one core.
"""

from __future__ import annotations

import random
import time
import tracemalloc

from kvarter.core.personal_data import scan

TEXT = (
    "klotter vid skolan nedskräpning centrumtorget ungdomar samlades kvällen belysning ur "
    "funktion tunneln brand i container åtgärd 2.13 kostnad 12 500 kr vecka 14 2025-03-14 "
    "22:15 polisen kommunvärdar bostadsbolaget trygghetsvandring"
)
WORDS = TEXT.split()


def _texts(count: int, seed: int = 20261123) -> tuple[list[str], int]:
    rng = random.Random(seed)
    texts, planted = [], 0
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 25))]
        if rng.random() < 0.05:
            words.insert(rng.randrange(len(words)), "070-123 45 67")
            planted += 1
        texts.append(" ".join(words))
    return texts, planted


def run(count: int = 200_000) -> None:
    texts, planted = _texts(count)
    tracemalloc.start()
    started = time.perf_counter()
    flagged = sum(1 for text in texts if scan(text))
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mean_length = sum(map(len, texts)) / count
    print(
        f"personal-data scan: {count:,} texts (mean {mean_length:.0f} chars) in {seconds:.2f} s"
        f" = {count / seconds:,.0f} texts/s; {flagged:,} flagged of {planted:,} with a phone"
        f" number; peak {peak / 1e6:.1f} MB"
    )
