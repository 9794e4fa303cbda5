"""Line up the passages of two articles that say the same thing.

Passages and their cues (content words, paraphrase clusters, verbatim word pairs, figures, dates,
names, quotation-aware weights) come from :mod:`reader.cues`. A pair of passages is scored by the
logistic of its evidence: the IDF-weighted cosine of their cues (IDF over the passages of both
articles), the margin of that cosine over the best partners either passage has (generic sentences
that resemble everything score low, as in margin-based bitext mining), the weight of the cues the
two share with no other passage, and how unlikely their shared cues are by chance.

Pairs are then chosen in two passes. First, best first, one partner per passage (competitive
linking), with a bonus for keeping the order of the pairs already chosen: document order wins
between equals, while a quote moved elsewhere still pairs when its evidence is strong. The
confident pairs of that pass are anchors. Second, the gaps between consecutive anchors (in the
order of both articles) are filled, as Bleualign and hunalign do: a pair lying in a gap, near
where the two anchors around it predict, gains evidence the tighter the gap is, so a weaker
paraphrase pairs where the anchors expect it, and a stray resemblance far from them does not.

Only pairs that share a rare cue or a close figure are scored (an inverted index), so two 10 KB
articles align in tens of milliseconds. Long articles are bounded in memory: where the candidate
pairs would outnumber MAX_CANDIDATES, each passage keeps only its partners sharing the most rare
evidence. A caller in a hurry passes ``cancelled`` (asked often; when it answers true, `align`
raises `Cancelled`) and ``progress`` (told the step and how far it is, a few times a second).
No Textual here.
"""

from __future__ import annotations

import bisect
import heapq
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from reader.cues import Passage, passages

__all__ = ["Cancelled", "Pair", "Passage", "Progress", "align", "passages"]

APPROXIMATE_NUMBER = 0.12  # figures within 12% of each other count as a near match ...
APPROXIMATE_CREDIT = 0.6  # ... for this share of their weight
IDF_POWER = 1.5  # rare cues weigh more than plain IDF says
MARGIN_NEIGHBOURS = 4  # a pair is compared with the best partners each passage has

# The score of a pair is the logistic of this linear evidence. The weights were fitted (logistic
# regression, leave-one-article-pair-out checked) on the gold set in tests/align_gold.yaml and
# rounded; the bias is set so that min_score 0.5 is a precision-first operating point.
W_COSINE = 1.6  # IDF-weighted cosine of the cues
W_MARGIN = 3.8  # the cosine less the mean of the best cosines of both passages (hubs score low)
W_EXCLUSIVE = 1.0  # weight of shared cues found in no other passage of either article, / 10
W_CHANCE = 2.7  # sum over shared cues of -log(chance of the cue in each article), / 20
BIAS = -4.9

ORDER_BONUS = 0.4  # (in z) the pair keeps the order of the pairs already chosen
POSITION_BONUS = 0.1  # (in z) the pair sits at a similar relative position in both articles
RARE_CUE_SHARE = 0.1  # a cue in more than this share of all passages ...
RARE_CUE_MIN = 6  # ... (and in more than this many) opens no candidate pair by itself
CANDIDATE_FLOOR = 0.02  # pairs scoring less than this are never considered
ANCHOR_SCORE = 0.63  # first-pass pairs scoring at least this anchor the second pass
GAP_BONUS = 2.0  # (in z) a pair alone in a gap between anchors, where they predict it ...
GAP_DECAY = 0.5  # ... gains this bonus over (cells of the gap) ** GAP_DECAY
MAX_CANDIDATES = 300_000  # candidate pairs scored at most (memory: ~1 KB each, all told)
PROGRESS_SECONDS = 0.1  # progress is told at most this often

#: ``progress(step, done, total)``: the step under way (one of STEPS) and how far it is.
Progress = Callable[[str, int, int], None]
STEPS = ("reading the passages", "comparing passages", "pairing", "pairing in the gaps")


class Cancelled(Exception):
    """The alignment was given up: its ``cancelled`` callback said so."""


class _Watch:
    """Asks ``cancelled`` at every tick, tells ``progress`` every PROGRESS_SECONDS at most."""

    def __init__(self, cancelled: Callable[[], bool] | None, progress: Progress | None) -> None:
        self.cancelled, self.progress = cancelled, progress
        self._next = 0.0

    def tick(self, step: str, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()
        if self.progress is not None:
            now = time.monotonic()
            if now >= self._next:
                self._next = now + PROGRESS_SECONDS
                self.progress(step, done, total)


_QUIET = _Watch(None, None)


@dataclass(frozen=True)
class Pair:
    """Two passages, ``body_a[a_start:a_end]`` and ``body_b[b_start:b_end]``, and a score."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float


def _cue_counts(side: list[Passage]) -> Counter[str]:
    return Counter(key for passage in side for key in passage.features)


class _Scorer:
    """Scores candidate pairs of two sides: a logistic over cue evidence (see the module doc)."""

    def __init__(self, side_a: list[Passage], side_b: list[Passage]) -> None:
        self.a, self.b = side_a, side_b
        self.count_a, self.count_b = _cue_counts(side_a), _cue_counts(side_b)
        total = len(side_a) + len(side_b)
        pooled = self.count_a + self.count_b
        idf = {k: _idf(total, n) for k, n in pooled.items()}
        self.wa = [{k: w * idf[k] for k, w in p.features.items()} for p in side_a]
        self.wb = [{k: w * idf[k] for k, w in p.features.items()} for p in side_b]
        self.norm_a = [sum(w.values()) for w in self.wa]
        self.norm_b = [sum(w.values()) for w in self.wb]

    def _partners(self, watch: _Watch) -> Iterator[set[int]]:
        """For each passage of a, the passages of b sharing a cue or a close figure: where that
        makes more than MAX_CANDIDATES pairs, at most MAX_CANDIDATES / len(a) per passage, those
        sharing the most weight of rare cues (so memory stays bounded on long articles)."""
        # only cues rare enough to mean something open a candidate pair; a pair sharing nothing
        # but common words cannot score well, and skipping it keeps long articles fast
        common = max(RARE_CUE_MIN, RARE_CUE_SHARE * (len(self.a) + len(self.b)))
        index: dict[str, list[int]] = defaultdict(list)
        for j, passage in enumerate(self.b):
            for key in passage.features:
                if self.count_a[key] + self.count_b[key] <= common:
                    index[key].append(j)
        figures = sorted((x, j) for j, p in enumerate(self.b) for x in p.numbers)
        values = [x for x, _ in figures]
        most = max(1, MAX_CANDIDATES // max(1, len(self.a)))
        for i, passage in enumerate(self.a):
            watch.tick(STEPS[1], i, len(self.a))
            shared: dict[int, float] = defaultdict(float)
            for key in passage.features:
                for j in index.get(key, ()):
                    shared[j] += self.wa[i][key]
            for x in passage.numbers:
                # the figures of b close to x lie in [x * (1 - A), x / (1 - A)]: look only there
                low = bisect.bisect_left(values, x * (1 - APPROXIMATE_NUMBER) * 0.999)
                high = bisect.bisect_right(values, x / (1 - APPROXIMATE_NUMBER) * 1.001)
                for y, j in figures[low:high]:
                    if _close(x, y):
                        shared[j] += 1.0
            if len(shared) > most:
                shared = dict(heapq.nsmallest(most, shared.items(), key=lambda s: (-s[1], s[0])))
            yield set(shared)

    def evidence(self, i: int, j: int) -> tuple[float, float, float]:
        """(weighted cosine, exclusive cues, chance evidence) of passage i of a and j of b."""
        a, b, wa, wb = self.a[i], self.b[j], self.wa[i], self.wb[j]
        n_a, n_b = len(self.a), len(self.b)
        shared = [(k, k, 1.0) for k in wa.keys() & wb.keys()]
        for x in a.numbers:  # a figure close to one of the other side counts in part
            key = f"n:{x:g}" if f"n:{x:g}" in wa else f"p:{x:g}"
            if key in wb:
                continue
            close = [y for y in b.numbers if _close(x, y)]
            other = next((k for y in close for k in (f"n:{y:g}", f"p:{y:g}") if k in wb), None)
            if key in wa and other:
                shared.append((key, other, APPROXIMATE_CREDIT))
        overlap = sum(credit * min(wa[ka], wb[kb]) for ka, kb, credit in shared)
        cosine = min(1.0, overlap / math.sqrt(self.norm_a[i] * self.norm_b[j]))
        exclusive = sum(
            credit * wa[ka]
            for ka, kb, credit in shared
            if self.count_a[ka] == 1 and self.count_b[kb] == 1
        )
        chance = sum(
            credit
            * a.features[ka]
            * (math.log(n_a / self.count_a[ka]) + math.log(n_b / self.count_b[kb]))
            for ka, kb, credit in shared
        )
        return cosine, exclusive / 10, chance / 20

    def evidence_scores(self, floor: float, watch: _Watch = _QUIET) -> list[tuple[float, int, int]]:
        """(z, i, j) of every candidate pair whose linear evidence z is at least ``floor``;
        the score of a pair is the logistic of z."""
        cosines: dict[tuple[int, int], float] = {}
        rest: dict[tuple[int, int], tuple[float, float]] = {}
        for i, partners in enumerate(self._partners(watch)):
            for j in partners:
                cosine, exclusive, chance = self.evidence(i, j)
                cosines[i, j] = cosine
                rest[i, j] = (exclusive, chance)
        row_top = _top_means(cosines, 0, len(self.a))
        col_top = _top_means(cosines, 1, len(self.b))
        found = []
        for (i, j), cosine in cosines.items():
            exclusive, chance = rest[i, j]
            margin = cosine - (row_top[i] + col_top[j]) / 2
            z = (
                W_COSINE * cosine
                + W_MARGIN * margin
                + W_EXCLUSIVE * exclusive
                + W_CHANCE * chance
                + BIAS
            )
            if z >= floor:
                found.append((z, i, j))
        return found


def _idf(size: int, count: int) -> float:
    return math.log((size + 1) / (count + 0.5)) ** IDF_POWER


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= APPROXIMATE_NUMBER * max(x, y)


def _top_means(cosines: dict[tuple[int, int], float], axis: int, size: int) -> list[float]:
    """Per passage of one side: the mean of its MARGIN_NEIGHBOURS best cosines (missing = 0)."""
    best: list[list[float]] = [[] for _ in range(size)]
    for pair, cosine in cosines.items():
        best[pair[axis]].append(cosine)
    return [sum(sorted(row, reverse=True)[:MARGIN_NEIGHBOURS]) / MARGIN_NEIGHBOURS for row in best]


def _logistic(z: float) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _choose(
    candidates: list[tuple[float, int, int]],
    n_a: int,
    n_b: int,
    watch: _Watch = _QUIET,
    step: str = STEPS[2],
) -> list[tuple[float, int, int]]:
    """Competitive linking with an order bonus: the best pair first, one partner per passage.

    A candidate's value is its evidence z, plus ORDER_BONUS times the share of the pairs chosen so
    far that it keeps in order (no crossing), plus POSITION_BONUS times the closeness of its
    relative positions. Returns (score, i, j) in the order chosen.
    """
    live = [[z, i, j, 0, 0] for z, i, j in candidates]  # z, i, j, pairs in order, pairs crossed
    chosen: list[tuple[float, int, int]] = []
    while live:
        watch.tick(step, len(candidates) - len(live), len(candidates))
        best: list | None = None
        best_value = best_z = -math.inf
        for entry in live:
            z, i, j, agree, cross = entry
            ordered = 1.0 if agree + cross == 0 else agree / (agree + cross)
            position = 1.0 - abs((i + 0.5) / n_a - (j + 0.5) / n_b)
            value = z + ORDER_BONUS * ordered + POSITION_BONUS * position
            if value > best_value or (value == best_value and best and (i, j) < (best[1], best[2])):
                best, best_value, best_z = entry, value, z + ORDER_BONUS * ordered
        assert best is not None
        bi, bj = best[1], best[2]
        chosen.append((_logistic(best_z), bi, bj))
        remaining = []
        for entry in live:
            i, j = entry[1], entry[2]
            if i == bi or j == bj:
                continue
            entry[3 if (i - bi) * (j - bj) > 0 else 4] += 1
            remaining.append(entry)
        live = remaining
    return chosen


def _backbone(
    anchors: list[tuple[float, int, int]], watch: _Watch = _QUIET
) -> list[tuple[int, int]]:
    """The anchors that keep document order in both articles, heaviest chain first: a moved
    quote is an anchor, but it does not cut the articles into gaps."""
    ordered = sorted(anchors, key=lambda a: (a[1], a[2]))
    best: list[tuple[float, int]] = []  # (weight of the best chain ending here, previous)
    for k, (score, _, j) in enumerate(ordered):
        if k % 64 == 0:
            watch.tick(STEPS[3], 0, 1)
        links = [(best[m][0], m) for m in range(k) if ordered[m][2] < j]
        weight, previous = max(links, default=(0.0, -1))
        best.append((weight + score, previous))
    chain: list[tuple[int, int]] = []
    k = max(range(len(best)), key=lambda m: best[m][0], default=-1)
    while k >= 0:
        chain.append((ordered[k][1], ordered[k][2]))
        k = best[k][1]
    return chain[::-1]


def _gap_bonus(i: int, j: int, backbone: list[tuple[int, int]], n_a: int, n_b: int) -> float:
    """Evidence (in z) that passage i of a and j of b pair, from the anchors around them: none
    outside a gap; in a gap, more the fewer passages it holds and the nearer (i, j) lies to the
    line between its two anchors."""
    lo_i = lo_j = -1
    for ai, aj in backbone:
        if ai >= i or aj >= j:
            if ai <= i or aj <= j:
                return 0.0  # crosses or touches the anchor (ai, aj)
            hi_i, hi_j = ai, aj
            break
        lo_i, lo_j = ai, aj
    else:
        hi_i, hi_j = n_a, n_b
    width_a, width_b = hi_i - lo_i - 1, hi_j - lo_j - 1
    expected = lo_j + (i - lo_i) * (hi_j - lo_j) / (hi_i - lo_i)
    off = abs(j - expected) / (hi_j - lo_j)
    return GAP_BONUS * (1.0 - 2 * off) / (width_a * width_b) ** GAP_DECAY


def _fill_gaps(
    candidates: list[tuple[float, int, int]],
    anchors: list[tuple[float, int, int]],
    n_a: int,
    n_b: int,
    watch: _Watch = _QUIET,
) -> list[tuple[float, int, int]]:
    """The second pass: competitive linking again over the passages no anchor holds, each pair's
    evidence raised by its gap bonus."""
    backbone = _backbone(anchors, watch)
    taken_a = {i for _, i, _ in anchors}
    taken_b = {j for _, _, j in anchors}
    free = []
    for k, (z, i, j) in enumerate(candidates):
        if k % 256 == 0:
            watch.tick(STEPS[3], 0, 1)
        if i not in taken_a and j not in taken_b:
            free.append((z + max(0.0, _gap_bonus(i, j, backbone, n_a, n_b)), i, j))
    return _choose(free, n_a, n_b, watch, STEPS[3])


def align(
    body_a: str,
    body_b: str,
    *,
    min_score: float = 0.5,
    cancelled: Callable[[], bool] | None = None,
    progress: Progress | None = None,
) -> list[Pair]:
    """Pairs of passages of ``body_a`` and ``body_b`` that say the same thing, best first.

    Each passage is in at most one pair; ``score`` is in [0, 1] and at least ``min_score``.
    ``cancelled`` is asked often (every passage, every pair chosen): when it answers true,
    `Cancelled` is raised. ``progress(step, done, total)`` is told how far the work is.
    """
    watch = _Watch(cancelled, progress)
    size = len(body_a) + len(body_b)

    def read(offset: int) -> None:
        watch.tick(STEPS[0], offset, size)

    side_a = [p for p in passages(body_a, read) if p.eligible]
    side_b = [p for p in passages(body_b, lambda at: read(len(body_a) + at)) if p.eligible]
    if not side_a or not side_b:
        return []
    n_a, n_b = len(side_a), len(side_b)
    # the pairs do not depend on min_score: it only filters them
    floor = _logit(CANDIDATE_FLOOR) - ORDER_BONUS - POSITION_BONUS - GAP_BONUS
    candidates = _Scorer(side_a, side_b).evidence_scores(floor, watch)
    first = _choose(candidates, n_a, n_b, watch)
    anchors = [pair for pair in first if pair[0] >= ANCHOR_SCORE]
    chosen = anchors + _fill_gaps(candidates, anchors, n_a, n_b, watch)
    pairs = [
        Pair(side_a[i].start, side_a[i].end, side_b[j].start, side_b[j].end, score)
        for score, i, j in chosen
        if score >= min_score
    ]
    pairs.sort(key=lambda p: (-p.score, p.a_start, p.b_start))
    return pairs
