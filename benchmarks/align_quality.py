"""Alignment quality on the gold set (tests/align_gold.yaml) and alignment speed.

    python benchmarks/align_quality.py [--min-score S] [--verbose]

How it counts (the sure/possible scheme of word-alignment gold standards):

- Every article pair listed in the gold file is aligned (all ten pairs of the bundled corpus).
- A predicted pair matches a gold pair when its a-passage covers at least half of one of the gold
  a-substrings and its b-passage at least half of one of the gold b-substrings.
- recall = sure gold pairs matched by some predicted pair / sure gold pairs.
- precision = predicted pairs matching any gold pair (sure or possible) / all predicted pairs of
  those article pairs. Correct pairs missing from the gold set would count as errors here, which is
  why the gold set lists, for each article pair, every pair believed correct (possible ones too).
- strict precision = predicted pairs matching a sure gold pair / all predicted pairs.
- leave one out (``--leave-one-out``): the knobs of the second pass and the paraphrase cues, and
  min_score, are chosen on nine article pairs (best recall at precision >= 0.8) and scored on the
  tenth; the held-out results of the ten folds are pooled.
- speed: median time of align() over two ~10 KB articles built from the corpus, segmentation and
  scoring included.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader import align as align_module  # noqa: E402
from reader import cues  # noqa: E402
from reader.align import Pair, align  # noqa: E402

GOLD = ROOT / "tests" / "align_gold.yaml"
CORPUS = ROOT / "reader" / "sample"
COVER = 0.5  # share of a gold substring a predicted passage must cover


@dataclass
class GoldPair:
    a: list[tuple[int, int]]  # every occurrence of every alternative substring
    b: list[tuple[int, int]]
    sure: bool
    label: str

    def matches(self, pair: Pair) -> bool:
        return _covers((pair.a_start, pair.a_end), self.a) and _covers(
            (pair.b_start, pair.b_end), self.b
        )


@dataclass
class ArticlePair:
    a: str
    b: str
    body_a: str
    body_b: str
    gold: list[GoldPair] = field(default_factory=list)


@dataclass
class Result:
    pair: ArticlePair
    predicted: list[Pair]
    correct: list[bool]
    strict: list[bool]
    found: list[bool]  # per sure gold pair

    @property
    def sure(self) -> list[GoldPair]:
        return [g for g in self.pair.gold if g.sure]


def _covers(span: tuple[int, int], occurrences: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(min(end, e) - max(start, s) >= COVER * (e - s) for s, e in occurrences)


def _occurrences(body: str, substrings: str | list[str], where: str) -> list[tuple[int, int]]:
    found = []
    for sub in [substrings] if isinstance(substrings, str) else substrings:
        at = body.find(sub)
        if at < 0:
            raise ValueError(f"{where}: gold substring not in the article: {sub!r}")
        while at >= 0:
            found.append((at, at + len(sub)))
            at = body.find(sub, at + 1)
    return found


def load_gold(path: Path = GOLD, corpus: Path = CORPUS) -> list[ArticlePair]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = []
    for entry in doc["article_pairs"]:
        body_a = (corpus / f"{entry['a']}.txt").read_text(encoding="utf-8")
        body_b = (corpus / f"{entry['b']}.txt").read_text(encoding="utf-8")
        ap = ArticlePair(entry["a"], entry["b"], body_a, body_b)
        for n, gold in enumerate(entry.get("pairs") or [], 1):
            where = f"{entry['a']} / {entry['b']} pair {n}"
            ap.gold.append(
                GoldPair(
                    _occurrences(body_a, gold["a"], where),
                    _occurrences(body_b, gold["b"], where),
                    not gold.get("possible", False),
                    gold["a"] if isinstance(gold["a"], str) else gold["a"][0],
                )
            )
        result.append(ap)
    return result


def evaluate(
    pairs: list[ArticlePair],
    *,
    min_score: float = 0.5,
    predictions: list[list[Pair]] | None = None,
) -> list[Result]:
    """Align every article pair (or take ``predictions``, filtered by ``min_score``) and score."""
    results = []
    for n, ap in enumerate(pairs):
        if predictions is None:
            predicted = align(ap.body_a, ap.body_b, min_score=min_score)
        else:
            predicted = [p for p in predictions[n] if p.score >= min_score]
        correct = [any(g.matches(p) for g in ap.gold) for p in predicted]
        strict = [any(g.sure and g.matches(p) for g in ap.gold) for p in predicted]
        found = [any(g.matches(p) for p in predicted) for g in ap.gold if g.sure]
        results.append(Result(ap, predicted, correct, strict, found))
    return results


def totals(results: list[Result]) -> dict[str, float]:
    predicted = sum(len(r.predicted) for r in results)
    correct = sum(sum(r.correct) for r in results)
    strict = sum(sum(r.strict) for r in results)
    sure = sum(len(r.found) for r in results)
    found = sum(sum(r.found) for r in results)
    return {
        "predicted": predicted,
        "correct": correct,
        "strict": strict,
        "sure": sure,
        "found": found,
        "precision": correct / predicted if predicted else 1.0,
        "strict_precision": strict / predicted if predicted else 1.0,
        "recall": found / sure if sure else 1.0,
    }


def ten_kb_pair(corpus: Path = CORPUS, size: int = 10_000) -> tuple[str, str]:
    """Two ~10 KB bodies built from the corpus (000+002+003 against 001+004), cut at a line end."""

    def build(ids: list[str]) -> str:
        text = "\n\n".join((corpus / f"{name}.txt").read_text(encoding="utf-8") for name in ids)
        cut = text.rfind("\n", 0, size)
        return text[: cut if cut > 0 else size]

    return build(["000_ae0beaf4b9f7a712", "002_f04bd37b83778a94", "003_5ff04c2fd37e7449"]), build(
        ["001_382389f1be5a250a", "004_fa36b37c0b2a609a"]
    )


def median_ms(body_a: str, body_b: str, runs: int = 21) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        align(body_a, body_b)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# the knobs chosen by hand on the whole gold set; --leave-one-out chooses them on nine pairs
KNOBS = {
    (cues, "WEIGHT_CLUSTER"): (0.0, 0.5, 0.9, 1.2),
    (cues, "FUNCTION_PHRASE"): (0.0, 0.5, 1.0),
    (align_module, "GAP_BONUS"): (0.0, 1.0, 2.0, 3.0),
    (align_module, "ANCHOR_SCORE"): (0.5, 0.63, 0.8),
}
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65)


def leave_one_out(pairs: list[ArticlePair]) -> tuple[dict[str, float], list[str]]:
    """Pooled held-out totals, and per fold the knobs chosen on the other nine pairs."""
    saved = {knob: getattr(*knob) for knob in KNOBS}
    table = {}
    try:
        for values in itertools.product(*KNOBS.values()):
            for (module, name), value in zip(KNOBS, values, strict=True):
                setattr(module, name, value)
            everything = [align(ap.body_a, ap.body_b, min_score=0.0) for ap in pairs]
            for threshold in THRESHOLDS:
                per_pair = evaluate(pairs, min_score=threshold, predictions=everything)
                table[values, threshold] = per_pair
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)

    def goal(results: list[Result]) -> tuple[bool, float, float]:
        t = totals(results)
        ok = t["precision"] >= 0.8
        return ok, t["recall"] if ok else t["precision"], t["precision"]

    held, chosen = [], []
    for n, ap in enumerate(pairs):
        key = max(table, key=lambda k: goal([r for m, r in enumerate(table[k]) if m != n]))
        held.append(table[key][n])
        knobs = ", ".join(f"{name}={v}" for (_, name), v in zip(KNOBS, key[0], strict=True))
        chosen.append(f"{ap.a[:3]} vs {ap.b[:3]} held out: {knobs}, min_score={key[1]}")
    return totals(held), chosen


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-score", type=float, default=0.5)
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and errors")
    parser.add_argument(
        "--leave-one-out", action="store_true", help="choose the knobs on nine pairs, test on one"
    )
    args = parser.parse_args(argv)

    results = evaluate(load_gold(), min_score=args.min_score)
    print(f"gold set: {GOLD.relative_to(ROOT)}   min_score: {args.min_score}")
    print()
    header = f"{'article pair':<24} {'pred':>4} {'ok':>4} {'sure':>4} {'found':>5}"
    print(header)
    print("-" * len(header))
    for r in results:
        name = f"{r.pair.a[:3]} vs {r.pair.b[:3]}"
        print(
            f"{name:<24} {len(r.predicted):>4} {sum(r.correct):>4} {len(r.found):>4} "
            f"{sum(r.found):>5}"
        )
        if args.verbose:
            for p, ok, strict in zip(r.predicted, r.correct, r.strict, strict=True):
                mark = "sure" if strict else ("poss" if ok else "WRONG")
                print(
                    f"    {mark:<5} {p.score:.3f}  A: {_short(r.pair.body_a[p.a_start : p.a_end])}"
                )
                print(f"                 B: {_short(r.pair.body_b[p.b_start : p.b_end])}")
            for g, hit in zip(r.sure, r.found, strict=True):
                if not hit:
                    print(f"    MISSED sure pair: {_short(g.label)}")
    t = totals(results)
    print("-" * len(header))
    print(f"{'total':<24} {t['predicted']:>4} {t['correct']:>4} {t['sure']:>4} {t['found']:>5}")
    print()
    translation = totals([r for r in results if (r.pair.a[:3], r.pair.b[:3]) == ("000", "001")])
    others = totals([r for r in results if (r.pair.a[:3], r.pair.b[:3]) != ("000", "001")])
    print(f"{'':<34} {'precision':>9} {'strict':>7} {'recall':>7}")
    for name, part in (
        ("all ten article pairs", t),
        ("000 vs 001 (two translations)", translation),
        ("the other nine article pairs", others),
    ):
        print(
            f"{name:<34} {part['precision']:>9.3f} {part['strict_precision']:>7.3f} "
            f"{part['recall']:>7.3f}"
        )
    print()
    print(
        f"precision         {t['precision']:.3f}  ({t['correct']}/{t['predicted']} predicted "
        "pairs match a sure or possible gold pair)"
    )
    print(
        f"strict precision  {t['strict_precision']:.3f}  ({t['strict']}/{t['predicted']} match "
        "a sure gold pair)"
    )
    print(f"recall            {t['recall']:.3f}  ({t['found']}/{t['sure']} sure gold pairs found)")
    print()
    gold = load_gold()
    everything = [align(ap.body_a, ap.body_b, min_score=0.0) for ap in gold]
    print(f"{'min_score':>9} {'pairs':>6} {'precision':>10} {'recall':>7}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        part = totals(evaluate(gold, min_score=threshold, predictions=everything))
        print(
            f"{threshold:>9.1f} {part['predicted']:>6} {part['precision']:>10.3f} "
            f"{part['recall']:>7.3f}"
        )
    print()
    if args.leave_one_out:
        held, chosen = leave_one_out(gold)
        for line in chosen:
            print(line)
        print(
            f"leave one article pair out: precision {held['precision']:.3f} "
            f"({held['correct']}/{held['predicted']}), recall {held['recall']:.3f} "
            f"({held['found']}/{held['sure']})"
        )
        print()
    body_a, body_b = ten_kb_pair()
    ms = median_ms(body_a, body_b)
    print(
        f"speed             {ms:.1f} ms median of 21 runs, align() on {len(body_a)} + "
        f"{len(body_b)} characters"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
