"""Corpus search on 2,000 generated articles: the old scan against the FTS5 index, in one run.

    python benchmarks/search_bench.py                 # 2,000 articles of ~5 KB
    python benchmarks/search_bench.py --count 200     # a smoke run

Two corpora of generated articles: `inputs.many_articles` (each drawn from the paragraphs of
the five bundled articles, so every query of theirs is in most articles, and the 500 hits
shown are found in the first few hundred), and the same with every name made up per article
(a name, as in a real corpus, is in a few articles: the index rules out the rest).

- old scan: `reader.search.search_corpus` over one corpus, as the search screen used it: the
  first keystroke decodes every body, which the articles then keep.
- FTS: `reader.services.corpus_search.SearchService` with its index built (warm): SQLite gives
  the articles that may hold the query, only their bodies are read, none is kept.

Queries are typed a key at a time, as the screen asks them; old and new are timed in turns on
the same prefix (a busy machine slows both alike), and their hits compared (they must be the
same). Figures: the median per keystroke (the old scan's first keystroke, which decodes every
body, is given apart), the index built cold and brought up to date with nothing changed, and
memory (tracemalloc: the peak while typing every query, and what is still held after; SQLite's
own allocations are not Python's, and its page cache is 2 MB a connection at most).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import inputs  # noqa: E402

from reader.corpus.articles import load_corpus  # noqa: E402
from reader.search import search_corpus  # noqa: E402
from reader.services import search_index  # noqa: E402
from reader.services.corpus_search import SearchService  # noqa: E402

QUERIES = [
    "agnès callamard",
    "hundred deaths",
    "nicolás maduro",
    "international law",
    "xylophone",
    "VENEZUELA",
    "the united states",
]
MB = 2**20


def prefixes(queries: list[str]) -> list[str]:
    return [query[:n] for query in queries for n in range(1, len(query) + 1)]


def varied_articles(folder: Path, count: int, size: int) -> list[str]:
    """``inputs.many_articles``, with every capitalised word (names, places, the first word of a
    sentence) replaced by one of 5,000 made-up names: as in a real corpus, a name is in a few
    articles, not in all (every generated article is drawn from the same five). Returns three
    names that are used."""
    inputs.many_articles(folder, count, size)
    rng = random.Random(5)
    consonants, vowels = "bcdfghjklmnprstvwxz", "aeiou"
    pool = set()
    while len(pool) < 5000:
        letters = [rng.choice((consonants, vowels)[i % 2]) for i in range(rng.randrange(5, 10))]
        pool.add("".join(letters).capitalize())
    names_pool = sorted(pool)
    names = re.compile(r"\b[A-Z][a-z]+\b")
    used: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        text = names.sub(lambda _: rng.choice(names_pool), text)
        path.write_text(text, encoding="utf-8")
        if len(used) < 3 and path.name.startswith(("00017", "00993", "01500")):
            used.append(names.findall(text)[3])
    return used


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def timed(call, *args):
    start = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - start, result


def traced(run) -> tuple[float, float]:
    """(peak, still held after) in MB of what ``run()`` allocates, keeping its result."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    kept = run()
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return (peak - base) / MB, (held - base) / MB


def measure(name: str, folder: Path, cache: Path, queries: list[str]) -> None:
    service = SearchService.for_corpus(load_corpus(folder), cache)
    build, done = timed(service.refresh)
    assert done, "the index could not be built"
    warm, _ = timed(service.refresh)
    size = service.index.path.stat().st_size if service.index else 0

    old_corpus = load_corpus(folder)
    first_old, _ = timed(search_corpus, old_corpus, "zzz")  # decodes (and keeps) every body
    old_times, new_times = [], []
    for prefix in prefixes(queries):
        old_s, old_hits = timed(search_corpus, old_corpus, prefix)
        new_s, new_hits = timed(service.search, prefix)
        assert new_hits == old_hits, prefix
        old_times.append(old_s)
        new_times.append(new_s)

    def old_run():
        corpus = load_corpus(folder)
        for prefix in prefixes(queries):
            search_corpus(corpus, prefix)
        return corpus

    def new_run():
        fresh = SearchService.for_corpus(load_corpus(folder), cache)
        fresh.refresh()
        for prefix in prefixes(queries):
            fresh.search(prefix)
        return fresh

    def build_run():
        fresh = SearchService.for_corpus(load_corpus(folder), cache.with_name(cache.name + "-2"))
        fresh.refresh()
        return fresh

    old_peak, old_held = traced(old_run)
    new_peak, new_held = traced(new_run)
    build_peak, _ = traced(build_run)

    old_median, new_median = statistics.median(old_times), statistics.median(new_times)
    print(f"\n{name}: {len(old_times)} keystrokes, typing {', '.join(map(repr, queries))}")
    print(f"old scan, first keystroke (decodes all) {ms(first_old)}")
    print(f"old scan, median per keystroke          {ms(old_median)}")
    print(f"FTS index, median per keystroke         {ms(new_median)}")
    print(f"  ratio old / FTS                       {old_median / new_median:8.1f} x")
    print(f"old scan, slowest keystroke             {ms(max(old_times))}")
    print(f"FTS index, slowest keystroke            {ms(max(new_times))}")
    print(f"index build, cold                       {ms(build)}")
    print(f"index refresh, nothing changed          {ms(warm)}")
    print(f"index file                              {size / MB:8.1f} MB")
    print(f"memory, old scan: peak {old_peak:.1f} MB, held after {old_held:.1f} MB")
    print(f"memory, FTS:      peak {new_peak:.1f} MB, held after {new_held:.1f} MB")
    print(f"memory, index build cold: peak {build_peak:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate the inputs here, and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="reader-search-bench-"))
    remixed = inputs.many_articles(work / "remixed", args.count, args.size)
    names = varied_articles(work / "varied", args.count, args.size)
    # files changed within RACY_NS of indexing are not vouched for (they would be read)
    time.sleep(search_index.RACY_NS / 1e9 + 0.1)
    print(f"{args.count} articles of ~{args.size} bytes, twice, in {work}")
    measure(
        "remixed (inputs.many_articles: every article from the same five)",
        remixed,
        work / "cache-remixed",
        QUERIES,
    )
    measure(
        "varied (names made up per article)",
        work / "varied",
        work / "cache-varied",
        [*names, *QUERIES[3:]],
    )


if __name__ == "__main__":
    main()
