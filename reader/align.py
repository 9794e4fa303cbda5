"""Line up the passages of two articles that say the same thing.

The same statement recurs across outlets and translations in other words, so a passage is reduced
to cues that survive translation: content words (case-folded, accents stripped, crudely stemmed),
verbatim word pairs, figures (``1,000`` = ``1000`` = ``one thousand``; ``2,200`` is close to
``2,000``; ``thousands`` shares a magnitude with both), dates, years and months, and capitalised
names. Where most of a passage is a quotation, the words around it (who said it, how) weigh half:
a quote then pairs by what was said, not by who said it.

A pair of passages is scored by the logistic of its evidence: the IDF-weighted cosine of their
cues, the margin of that cosine over the best partners either passage has (generic sentences that
resemble everything score low, as in margin-based bitext mining), the weight of the cues the two
share with no other passage, and how unlikely their shared cues are by chance. Pairs are then
chosen best first, one partner per passage (competitive linking), with a bonus for keeping the
order of the pairs already chosen: document order wins between equals, while a quote moved
elsewhere still pairs when its evidence is strong.

Only pairs that share a rare cue or a close figure are scored (an inverted index), so two 10 KB
articles align in tens of milliseconds. No Textual here.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import regex

from reader.sentences import Span, segment, word_count

__all__ = ["Pair", "Passage", "align", "passages"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """
    a about above after again against all almost already also although always am among an and any
    are around as at be because been before being below between both but by can cannot could did
    do does doing done down during each either even ever every few for from further had has have
    having he her here hers herself him himself his how however i if in into is it its itself just
    least less like made make many may me might more most much must my myself neither no nor not
    now of off often on once one only or other others our ours ourselves out over own per quite
    rather same several shall she should since so some such than that the their theirs them
    themselves then there these they this those though through thus to too toward towards under
    until up upon us very via was we were what when where whether which while who whom whose why
    will with within without would yet you your yours
    said say says saying added adds noted notes told stated emphasized emphasizes emphasised
    observed maintained according mr mrs ms
    """
)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        f"{_UNITS} fifteen sixteen seventeen eighteen nineteen twenty".split(" ")
    )
}
NUMBER_WORDS.update(thirty=30, forty=40, fifty=50, sixty=60, seventy=70, eighty=80, ninety=90)
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Common spellings of one body: "U.S." meets "United States", "UN" meets "United Nations".
ALIASES = [
    (regex.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bUSA?\b|\bUnited States(?: of America)?\b"), " USA "),
    (regex.compile(r"\bU\.\s?N\.|\bUN\b|\bUnited Nations\b"), " UNO "),
    (regex.compile(r"\bICC\b|\bInternational Criminal Court\b"), " ICC "),
]

MAGNITUDE_WORDS = {"dozens": 1, "hundreds": 2, "thousands": 3, "millions": 6, "billions": 9}

# Web furniture that must never pair, even when both articles carry it.
BOILERPLATE = regex.compile(
    r"\b(?:leave a (?:reply|comment)|your email address|required fields|skip to (?:main )?content"
    r"|read (?:more|also|next)|first published|all rights reserved|sign (?:up|in)|log ?in"
    r"|subscribe|newsletter|cookies?|share (?:this|on)|click here|download|whatsapp|telegram"
    r"|facebook|twitter|copyright|advertisement|related articles?|posted in english)\b",
    regex.IGNORECASE,
)

_TOKEN = regex.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?%?|\p{L}[\p{L}\p{M}'’]*")
_EDITORIAL = regex.compile(r"\[(\p{L}{1,3})\](?=\p{L})")
_QUOTES = frozenset('“”„«»"')
_OPENING_QUOTES = frozenset("“„«")
_CLOSING_QUOTES = frozenset("”»")
_TERMINAL = frozenset('.!?…"”’»)')

MIN_WORDS = 5  # passages shorter than this never pair
HEADING_WORDS = 15  # an unterminated line shorter than this is a heading, byline or button row
WEIGHT_NAME = 1.5
WEIGHT_NUMBER = 2.0
WEIGHT_SMALL_NUMBER = 0.7
WEIGHT_YEAR = 1.2
WEIGHT_DATE = 2.0
WEIGHT_MONTH = 0.6
WEIGHT_PHRASE = 0.5  # two consecutive words, verbatim
QUOTED_SHARE = 0.4  # a passage at least this much quotation ...
WEIGHT_AROUND_QUOTE = 0.5  # ... weighs the words around the quotation (the attribution) less
WEIGHT_MAGNITUDE = 0.5  # "thousands" and "2,000" share an order of magnitude
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
BIAS = -4.6

ORDER_BONUS = 0.4  # (in z) the pair keeps the order of the pairs already chosen
POSITION_BONUS = 0.1  # (in z) the pair sits at a similar relative position in both articles
RARE_CUE_SHARE = 0.1  # a cue in more than this share of all passages ...
RARE_CUE_MIN = 6  # ... (and in more than this many) opens no candidate pair by itself
CANDIDATE_FLOOR = 0.02  # pairs scoring less than this are never considered


@dataclass(frozen=True)
class Pair:
    """Two passages, ``body_a[a_start:a_end]`` and ``body_b[b_start:b_end]``, and a score."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float


@dataclass
class Passage:
    """A sentence or clause of a body and the cues it carries."""

    start: int
    end: int
    text: str
    words: int
    eligible: bool
    is_quote: bool
    features: dict[str, float] = field(default_factory=dict)  # cue -> type weight
    numbers: tuple[float, ...] = ()  # figures that are not years


def fold(text: str) -> str:
    """Case-folded, accents stripped, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A crude stem that survives inflection: no possessive, no plural -s, at most 6 letters."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:6]


_THOUSANDS = regex.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+")


def _parse_number(token: str) -> float | None:
    digits = regex.sub(r"(?:st|nd|rd|th)$", "", token.rstrip("%"))
    if _THOUSANDS.fullmatch(digits):
        return float(digits.replace(",", "").replace(".", ""))
    try:
        return float(digits.replace(",", "."))
    except ValueError:
        return None


def _is_heading(body: str, span: Span, words: int) -> bool:
    """A whole unterminated line of few words: a headline, a byline, a row of share buttons."""
    line_start = body.rfind("\n", 0, span.start) + 1
    line_end = body.find("\n", span.end)
    line_end = len(body) if line_end < 0 else line_end
    whole_line = not body[line_start : span.start].strip() and not body[span.end : line_end].strip()
    return whole_line and body[span.end - 1] not in _TERMINAL and words < HEADING_WORDS


def _quote_runs(text: str) -> list[tuple[str, float]]:
    """``text`` cut into runs inside and outside quotation marks, with the weight of their cues:
    where most of a passage is a quotation, the words around it (who said it, how) weigh less."""
    runs: list[tuple[str, bool]] = []
    inside, start = False, 0
    for k, ch in enumerate(text):
        if ch in _OPENING_QUOTES or (ch == '"' and not inside):
            runs.append((text[start:k], inside))
            inside, start = True, k + 1
        elif ch in _CLOSING_QUOTES or (ch == '"' and inside):
            if not inside and not any(quoted for _, quoted in runs):
                # the end of a quotation begun in an earlier passage: all before it was quoted
                runs = [(piece, True) for piece, _ in runs]
                runs.append((text[start:k], True))
            else:
                runs.append((text[start:k], inside))
            inside, start = False, k + 1
    runs.append((text[start:], inside))
    quoted = sum(word_count(piece) for piece, q in runs if q)
    if quoted < QUOTED_SHARE * max(1, word_count(text)):
        return [(text, 1.0)]
    return [(piece, 1.0 if q else WEIGHT_AROUND_QUOTE) for piece, q in runs if piece]


class _Cues:
    """Collects the cues of one passage: {cue: weight}, and its figures for near matches."""

    def __init__(self) -> None:
        self.features: dict[str, float] = {}
        self.numbers: list[float] = []
        self.factor = 1.0  # the weight of the run being read (quotation or attribution)

    def add(self, key: str, weight: float) -> None:
        weight *= self.factor
        if weight > self.features.get(key, 0.0):
            self.features[key] = weight

    def add_number(self, raw: str, value: float, before: str, after: str) -> None:
        """A figure as a date, a year, a percentage or a count (with its order of magnitude)."""
        day = value.is_integer() and 1 <= value <= 31
        month = MONTHS.get(after) if day else None
        if month is None and day and before in MONTHS:
            month = MONTHS[before]
        if month and raw[0].isdigit():
            self.add(f"d:{month:02d}-{int(value):02d}", WEIGHT_DATE)
        elif raw.isdigit() and 1800 <= value <= 2100:
            self.add(f"y:{int(value)}", WEIGHT_YEAR)
        elif raw.endswith("%") or after in ("percent", "%"):
            self.add(f"p:{value:g}", WEIGHT_NUMBER)
            self.numbers.append(value)
        elif value >= 10:
            self.add(f"n:{value:g}", WEIGHT_NUMBER)
            self.numbers.append(value)
            if value >= 1000:
                self.add(f"e:{int(math.log10(value))}", WEIGHT_MAGNITUDE)
        elif raw[0].isdigit():
            self.add(f"n:{value:g}", WEIGHT_SMALL_NUMBER)


def _tokens(text: str) -> tuple[list[str], list[float]]:
    """The tokens of ``text`` (aliases unified, editorial brackets dropped) and their weights."""
    tokens: list[str] = []
    factors: list[float] = []
    for run, factor in _quote_runs(text):
        run = _EDITORIAL.sub(r"\1", run)  # "[c]rimes" -> "crimes"
        for pattern, replacement in ALIASES:
            run = pattern.sub(replacement, run)
        found = _TOKEN.findall(run)
        tokens.extend(found)
        factors.extend([factor] * len(found))
    return tokens, factors


def _features(text: str, capitalised_inside: set[str]) -> tuple[dict[str, float], list[float]]:
    """The cues of a passage: {cue: weight}, and its figures (not years) for near matches."""
    tokens, factors = _tokens(text)
    folded = [fold(t) for t in tokens]
    cues = _Cues()
    words: list[str] = []  # every word as matched, for the verbatim word pairs
    skip = -1
    for i, (raw, low) in enumerate(zip(tokens, folded, strict=True)):
        if i == skip:
            continue
        cues.factor = factors[i]
        after = folded[i + 1] if i + 1 < len(folded) else ""
        if raw[0].isdigit() or low in NUMBER_WORDS or (low in ("a", "an") and after in SCALES):
            value = _parse_number(raw) if raw[0].isdigit() else float(NUMBER_WORDS.get(low, 1))
            if value is None:
                continue
            if after in SCALES:  # "7.8 million", "a hundred"
                value *= SCALES[after]
                skip = i + 1
                after = folded[i + 2] if i + 2 < len(folded) else ""
            words.append(f"#{value:g}")
            cues.add_number(raw, value, folded[i - 1] if i else "", after)
        elif low in MAGNITUDE_WORDS:
            cues.add(f"e:{MAGNITUDE_WORDS[low]}", WEIGHT_MAGNITUDE)
            words.append(low)
        elif low in MONTHS and len(low) > 3 and (raw[0].isupper() or low != "may"):
            cues.add(f"m:{MONTHS[low]:02d}", WEIGHT_MONTH)
            words.append(low)
        elif low in STOPWORDS or low in SCALES or len(low) < 2:
            words.append(low)
        else:
            key = stem(low)
            name = raw[0].isupper() and (i > 0 or low in capitalised_inside)
            cues.add(key, WEIGHT_NAME if name else 1.0)
            words.append(key)
    cues.factor = 1.0
    for first, second in zip(words, words[1:], strict=False):
        if not (first in STOPWORDS and second in STOPWORDS):
            cues.add(f"b:{first} {second}", WEIGHT_PHRASE)
    return cues.features, cues.numbers


def _capitalised_inside(body: str) -> set[str]:
    """Folded words that occur capitalised after the start of a sentence: names, not openers."""
    found = set()
    for match in regex.finditer(r"(?<=[\p{L},;] )\p{Lu}[\p{L}\p{M}'’]+", body):
        found.add(fold(match.group()))
    return found - STOPWORDS


def passages(body: str) -> list[Passage]:
    """The passages of ``body`` (sentences, clauses of long ones) with their cues."""
    inside = _capitalised_inside(body)
    result = []
    for span in segment(body):
        text = body[span.start : span.end]
        words = word_count(text)
        eligible = (
            words >= MIN_WORDS
            and not _is_heading(body, span, words)
            and not (words <= 25 and BOILERPLATE.search(text))
        )
        passage = Passage(span.start, span.end, text, words, eligible, bool(_QUOTES & set(text)))
        if eligible:
            features, numbers = _features(text, inside)
            passage.features = features
            passage.numbers = tuple(numbers)
            passage.eligible = sum(1 for k in features if ":" not in k) >= 2
        result.append(passage)
    return result


def _cue_counts(side: list[Passage]) -> Counter[str]:
    return Counter(key for passage in side for key in passage.features)


class _Scorer:
    """Scores candidate pairs of two sides: a logistic over cue evidence (see the module doc)."""

    def __init__(self, side_a: list[Passage], side_b: list[Passage]) -> None:
        self.a, self.b = side_a, side_b
        self.count_a, self.count_b = _cue_counts(side_a), _cue_counts(side_b)
        total = len(side_a) + len(side_b)
        pooled = self.count_a + self.count_b
        idf = {k: math.log((total + 1) / (n + 0.5)) ** IDF_POWER for k, n in pooled.items()}
        self.wa = [{k: w * idf[k] for k, w in p.features.items()} for p in side_a]
        self.wb = [{k: w * idf[k] for k, w in p.features.items()} for p in side_b]
        self.norm_a = [sum(w.values()) for w in self.wa]
        self.norm_b = [sum(w.values()) for w in self.wb]

    def _partners(self) -> list[set[int]]:
        """For each passage of a, the passages of b sharing a cue or a close figure."""
        # only cues rare enough to mean something open a candidate pair; a pair sharing nothing
        # but common words cannot score well, and skipping it keeps long articles fast
        common = max(RARE_CUE_MIN, RARE_CUE_SHARE * (len(self.a) + len(self.b)))
        index: dict[str, list[int]] = defaultdict(list)
        for j, passage in enumerate(self.b):
            for key in passage.features:
                if self.count_a[key] + self.count_b[key] <= common:
                    index[key].append(j)
        figures = sorted((x, j) for j, p in enumerate(self.b) for x in p.numbers)
        found = []
        for passage in self.a:
            partners = {j for key in passage.features for j in index.get(key, ())}
            for x in passage.numbers:
                partners.update(j for y, j in figures if _close(x, y))
            found.append(partners)
        return found

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

    def evidence_scores(self, floor: float) -> list[tuple[float, int, int]]:
        """(z, i, j) of every candidate pair whose linear evidence z is at least ``floor``;
        the score of a pair is the logistic of z."""
        cosines: dict[tuple[int, int], float] = {}
        rest: dict[tuple[int, int], tuple[float, float]] = {}
        for i, partners in enumerate(self._partners()):
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
    candidates: list[tuple[float, int, int]], n_a: int, n_b: int
) -> list[tuple[float, int, int]]:
    """Competitive linking with an order bonus: the best pair first, one partner per passage.

    A candidate's value is its evidence z, plus ORDER_BONUS times the share of the pairs chosen so
    far that it keeps in order (no crossing), plus POSITION_BONUS times the closeness of its
    relative positions. Returns (score, i, j) in the order chosen.
    """
    live = [[z, i, j, 0, 0] for z, i, j in candidates]  # z, i, j, pairs in order, pairs crossed
    chosen: list[tuple[float, int, int]] = []
    while live:
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


def align(body_a: str, body_b: str, *, min_score: float = 0.5) -> list[Pair]:
    """Pairs of passages of ``body_a`` and ``body_b`` that say the same thing, best first.

    Each passage is in at most one pair; ``score`` is in [0, 1] and at least ``min_score``.
    """
    side_a = [p for p in passages(body_a) if p.eligible]
    side_b = [p for p in passages(body_b) if p.eligible]
    if not side_a or not side_b:
        return []
    # a candidate that cannot reach min_score even with every bonus is never reported
    floor = _logit(max(CANDIDATE_FLOOR, min_score)) - ORDER_BONUS - POSITION_BONUS
    candidates = _Scorer(side_a, side_b).evidence_scores(floor)
    pairs = [
        Pair(side_a[i].start, side_a[i].end, side_b[j].start, side_b[j].end, score)
        for score, i, j in _choose(candidates, len(side_a), len(side_b))
        if score >= min_score
    ]
    pairs.sort(key=lambda p: (-p.score, p.a_start, p.b_start))
    return pairs
