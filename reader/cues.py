"""The cues of a passage that survive translation and rewording.

A passage is reduced to content words (case-folded, accents stripped, lightly stemmed, and
mapped onto a small table of paraphrase clusters of the news and human-rights domain, so that
"expedite" meets "accelerate" and "detained" meets "arrest"), verbatim word pairs, figures
(``1,000`` = ``1000`` = ``one thousand``; ``2,200`` is close to ``2,000``; ``thousands`` shares a
magnitude with both), dates, years and months, and capitalised names. Where most of a passage is a
quotation, the words around it (who said it, how) weigh half: a quote then pairs by what was
said, not by who said it. No Textual here.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from reader.text.sentences import Span, segment, word_count


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

# Words that report the same fact in other words, in news on conflicts and human rights: one
# cluster a line, general English (not drawn from the corpus). A word of a cluster adds the cue of
# its cluster, weakly, beside its own: "expedite" and "accelerate" share one cue, not two.
PARAPHRASES = """
condemn denounce decry criticize criticise censure deplore repudiate
attack strike assault raid bombing bomb incursion offensive airstrike
detain detention detainee arrest imprison imprisonment jail prisoner custody incarcerate
kill killing death dead die died fatality fatalities
demand call urge appeal exhort request
grave serious severe
accelerate expedite hasten quicken speed
concern worry alarm fear anxiety
threat risk danger jeopardy peril endanger threaten
illegal unlawful illicit illegitimate wrongful
violation violate breach contravene infringe abuse
investigate investigation probe inquiry enquiry
repression crackdown oppression suppression repress oppress
protest demonstration demonstrator protester rally
election vote poll ballot electoral
government administration regime authorities
flee fled exile refugee exodus displaced emigrate
capture seize seizure abduct abduction kidnap
warn warning caution
defender activist advocate
opponent dissident critic dissent
harass harassment intimidate intimidation
encourage embolden incite
similar copycat imitate imitation emulate mimic
increase rise grow escalate escalation intensify surge worsen
reparation compensation redress remedy
court tribunal
military army troops soldier
oil petroleum
legislation bill statute decree
urgent immediate swift prompt
protect safeguard shield
undermine erode erosion weaken breakdown deterioration deteriorate
norm principle rule standard
begin start initiate launch commence
end cease stop halt
injure injury wound wounded
release free freed liberate
"""
CLUSTERS: dict[str, str] = {}  # filled below, once stem() is defined

MIN_WORDS = 5  # passages shorter than this never pair
HEADING_WORDS = 15  # an unterminated line shorter than this is a heading, byline or button row
WEIGHT_NAME = 1.5
WEIGHT_NUMBER = 2.0
WEIGHT_SMALL_NUMBER = 0.7
WEIGHT_YEAR = 1.2
WEIGHT_DATE = 2.0
WEIGHT_MONTH = 0.6
WEIGHT_CLUSTER = 0.9  # the cue of a paraphrase cluster
WEIGHT_PHRASE = 0.5  # two consecutive words, verbatim ...
FUNCTION_PHRASE = 0.5  # ... this much of it when one of the two is a function word
QUOTED_SHARE = 0.4  # a passage at least this much quotation ...
WEIGHT_AROUND_QUOTE = 0.5  # ... weighs the words around the quotation (the attribution) less
WEIGHT_MAGNITUDE = 0.5  # "thousands" and "2,000" share an order of magnitude


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
    """A crude stem that survives inflection: no possessive, no plural, no -ed or -ing, no final
    -e, at most 6 letters ("urged", "urges", "urging" and "urge" all give "urg")."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word[:6]


def _cluster_table() -> dict[str, str]:
    """{stem: cluster cue} for the words of PARAPHRASES (the first word names the cluster)."""
    table: dict[str, str] = {}
    for line in PARAPHRASES.strip().splitlines():
        members = line.split()
        for word in members:
            table.setdefault(stem(word), f"~{members[0]}")
    return table


CLUSTERS.update(_cluster_table())

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
            if key in CLUSTERS:  # a weak cue shared with the other words of its cluster
                cues.add(CLUSTERS[key], WEIGHT_CLUSTER)
            words.append(key)
    cues.factor = 1.0
    for first, second in zip(words, words[1:], strict=False):
        if first not in STOPWORDS and second not in STOPWORDS:
            cues.add(f"b:{first} {second}", WEIGHT_PHRASE)
        elif not (first in STOPWORDS and second in STOPWORDS):
            cues.add(f"b:{first} {second}", WEIGHT_PHRASE * FUNCTION_PHRASE)
    return cues.features, cues.numbers


def _capitalised_inside(body: str) -> set[str]:
    """Folded words that occur capitalised after the start of a sentence: names, not openers."""
    found = set()
    for match in regex.finditer(r"(?<=[\p{L},;] )\p{Lu}[\p{L}\p{M}'’]+", body):
        found.add(fold(match.group()))
    return found - STOPWORDS


def passages(body: str, tick: Callable[[int], object] | None = None) -> list[Passage]:
    """The passages of ``body`` (sentences, clauses of long ones) with their cues; ``tick`` is
    given the offset reached at each passage (to tell progress, or to give up by raising)."""
    inside = _capitalised_inside(body)
    result = []
    for span in segment(body):
        if tick is not None:
            tick(span.start)
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
