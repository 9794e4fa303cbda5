"""Find an annotation's passage again after its article changed. No Textual here.

An annotation remembers its quote, the text just before and after it (prefix / suffix) and its
offsets. `anchor` tries, in order:

1. **exact**: the quote is still at the old offsets;
2. **moved**: the quote occurs elsewhere; with several occurrences the one whose surrounding
   text best matches prefix/suffix wins, then the one closest to the old position;
3. **fuzzy**: the passage was edited; candidate spans come from diff-match-patch's fuzzy
   `match_main` (bitap) on the start and end of the quote and on the context, each refined by
   aligning the quote with a diff; the most similar span is accepted when its similarity
   (1 - Levenshtein distance / length) reaches `FUZZY_THRESHOLD`. Such annotations are flagged
   for review. Bitap (pure Python) searches only `WINDOW` characters around the old position;
   farther away, only where short exact pieces of the quote ("seeds") still occur, so that a
   passage deleted from a long article is given up in milliseconds, not seconds;
4. **orphaned**: nothing close enough: the annotation is kept but has no place in the text.

`reconcile` applies this to every annotation of a changed article and writes the result back in
one transaction.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from diff_match_patch import diff_match_patch

from reader.model import Annotation, context_of

if TYPE_CHECKING:
    from reader.corpus.articles import Corpus
    from reader.store import AnnotationStore as Store

Status = Literal["exact", "moved", "fuzzy", "orphaned"]

#: Least similarity (0..1) between the quote and a fuzzy match for it to be accepted.
FUZZY_THRESHOLD = 0.75
#: How much agreeing context counts when choosing among fuzzy spans (similarity is 0..1).
CONTEXT_WEIGHT = 0.1
#: Characters of quote / context handed to bitap (its patterns are limited in length).
CHUNK = 32
#: Bitap searches this far around the old position (its cost grows with the text searched).
WINDOW = 2_000
#: Beyond the window, the quote is looked for where exact pieces of it occur: up to SEEDS pieces
#: of SEED_CHARS characters, ignoring pieces found more than MAX_SEED_HITS times; the
#: SEED_CANDIDATES places most pieces agree on are searched.
SEED_CHARS = 12
SEEDS = 8
MAX_SEED_HITS = 50
SEED_CANDIDATES = 3
#: Characters of agreeing context (prefix + suffix) that make an exact occurrence elsewhere
#: the same passage, moved; with less, a fuzzy match in agreeing context is preferred, and an
#: exact occurrence is still taken but flagged for review.
STRONG_CONTEXT = 12
#: At most this many exact occurrences are weighed for a "moved" quote.
MAX_OCCURRENCES = 10_000


class Anchor(NamedTuple):
    start: int | None
    end: int | None
    status: Status


@dataclass(frozen=True)
class Reconciled:
    """What reconcile did with one annotation.

    status: exact | moved | fuzzy | orphaned (re-anchored and written), or missing |
    unreadable (its article cannot be opened; left untouched, ``reason`` says why).
    """

    annotation: Annotation
    status: str
    reason: str | None = None


def anchor(
    body: str, quote: str, prefix: str, suffix: str, start: int | None, end: int | None
) -> Anchor:
    """Where ``quote`` (once at body[start:end]) is in ``body`` now."""
    if not quote:
        return Anchor(None, None, "orphaned")
    valid = start is not None and end is not None and 0 <= start <= end <= len(body)
    if valid and body[start:end] == quote:
        return Anchor(start, end, "exact")
    hint = min(max(start or 0, 0), len(body))
    # context this long agreeing makes an occurrence "the same passage" (less when less is kept)
    strong = min(STRONG_CONTEXT, len(prefix) + len(suffix))
    found = _best_occurrence(body, quote, prefix, suffix, hint)
    if found is not None and found[1] >= strong:
        return Anchor(found[0], found[0] + len(quote), "moved")
    # an edited passage in agreeing surroundings beats the same words in other surroundings
    span = _fuzzy(body, quote, prefix, suffix, hint, min_context=strong if found else 0)
    if span is not None:
        return Anchor(span[0], span[1], "fuzzy")
    if found is not None:
        # the words are there, but in other surroundings (the passage itself was rewritten and
        # the phrase recurs elsewhere): kept there and flagged for review, as fuzzy matches are
        return Anchor(found[0], found[0] + len(quote), "fuzzy")
    return Anchor(None, None, "orphaned")


def similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / length of the longer text (1.0: equal)."""
    if not a and not b:
        return 1.0
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0.2
    distance = dmp.diff_levenshtein(dmp.diff_main(a, b, False))
    return 1.0 - distance / max(len(a), len(b))


# --- exact occurrences -------------------------------------------------------------------


def _occurrences(body: str, quote: str) -> Iterable[int]:
    pos = body.find(quote)
    count = 0
    while pos >= 0 and count < MAX_OCCURRENCES:
        yield pos
        count += 1
        pos = body.find(quote, pos + 1)


def _common_suffix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a[::-1], b[::-1]]))


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


def _context_score(body: str, start: int, end: int, prefix: str, suffix: str) -> int:
    before = body[max(0, start - len(prefix)) : start]
    after = body[end : end + len(suffix)]
    return _common_suffix(before, prefix) + _common_prefix(after, suffix)


def _best_occurrence(
    body: str, quote: str, prefix: str, suffix: str, hint: int
) -> tuple[int, int] | None:
    """The exact occurrence whose surroundings agree best with prefix/suffix, then the one
    closest to ``hint``: (its start, how many characters of context agree), or None."""
    best: tuple[int, int, int] | None = None  # (-context, distance, start)
    for pos in _occurrences(body, quote):
        context = _context_score(body, pos, pos + len(quote), prefix, suffix)
        key = (-context, abs(pos - hint), pos)
        if best is None or key < best:
            best = key
    return None if best is None else (best[2], -best[0])


# --- fuzzy -------------------------------------------------------------------------------


def _fuzzy(
    body: str, quote: str, prefix: str, suffix: str, hint: int, min_context: int = 0
) -> tuple[int, int] | None:
    """The best span similar enough to ``quote`` (with at least ``min_context`` characters of
    agreeing context), near ``hint`` or where pieces of the quote occur; None if none is."""
    near = (max(0, hint - WINDOW), min(len(body), hint + len(quote) + WINDOW), hint)
    regions = [near]
    slack = len(quote) // 2 + 64
    for start in _seed_candidates(body, quote):
        if near[0] <= start and start + len(quote) <= near[1]:
            continue  # searched already
        regions.append((max(0, start - slack), min(len(body), start + len(quote) + slack), start))
    best: tuple[float, int, int, int] | None = None
    for lo, hi, where in regions:
        found = _fuzzy_in(body, lo, hi, quote, prefix, suffix, where, min_context)
        if found is not None:
            value, a, b = found
            key = (value, -abs(a - hint), a, b)
            if best is None or key > best:
                best = key
    return None if best is None else (best[2], best[3])


def _seed_candidates(body: str, quote: str) -> list[int]:
    """Where the quote may start now, voted for by exact occurrences of pieces of it."""
    size = max(4, min(SEED_CHARS, len(quote) // 3))
    if len(quote) < size:
        return []
    last = len(quote) - size
    offsets = sorted({round(i * last / (SEEDS - 1)) for i in range(SEEDS)})
    votes: Counter[int] = Counter()
    for offset in offsets:
        piece = quote[offset : offset + size]
        hits: list[int] = []
        pos = body.find(piece)
        while pos >= 0 and len(hits) <= MAX_SEED_HITS:
            hits.append(pos - offset)
            pos = body.find(piece, pos + 1)
        if len(hits) <= MAX_SEED_HITS:  # a piece found everywhere tells nothing
            votes.update({max(0, h) // 32 for h in hits})
    return [bucket * 32 for bucket, _ in votes.most_common(SEED_CANDIDATES)]


def _fuzzy_in(
    body: str,
    lo: int,
    hi: int,
    quote: str,
    prefix: str,
    suffix: str,
    hint: int,
    min_context: int = 0,
) -> tuple[float, int, int] | None:
    """The best span in body[lo:hi] similar enough to ``quote``: (similarity plus a little for
    agreeing context, start, end), or None."""
    text = body[lo:hi]
    dmp = diff_match_patch()
    dmp.Match_Threshold = 0.5
    # distance weighs little against errors: the passage may have moved far
    dmp.Match_Distance = 4 * max(1000, len(text))
    dmp.Diff_Timeout = 0.2
    loc = hint - lo

    def find(pattern: str, where: int) -> int | None:
        """The exact occurrence of ``pattern`` closest to ``where``, else bitap's best guess."""
        if not pattern:
            return None
        where = min(max(where, 0), len(text))
        after = text.find(pattern, where)
        before = text.rfind(pattern, 0, where + len(pattern) - 1)
        exact = [p for p in (after, before) if p >= 0]
        if exact:
            return min(exact, key=lambda p: abs(p - where))
        found = dmp.match_main(text, pattern, where)
        return None if found < 0 else found

    head, tail = quote[:CHUNK], quote[-CHUNK:]
    before, after = prefix[-CHUNK:], suffix[:CHUNK]
    starts: set[int] = set()
    spans: set[tuple[int, int]] = set()
    h = find(head, loc)
    t = find(tail, loc + len(quote) - len(tail))
    p = find(before, loc - len(before))
    s = find(after, loc + len(quote))
    if h is not None:
        starts.add(h)
    if t is not None:
        starts.add(t + len(tail) - len(quote))
        if h is not None and h < t + len(tail):
            spans.add((h, t + len(tail)))
    if p is not None:
        starts.add(p + len(before))
    if s is not None:
        starts.add(s - len(quote))
        if p is not None and p + len(before) < s:
            spans.add((p + len(before), s))
    for start in starts:
        aligned = _align(dmp, text, quote, start)
        if aligned is not None:
            spans.add(aligned)
    context = len(prefix) + len(suffix)
    best: tuple[float, int, float, int, int] | None = None
    for a, b in spans:
        if not 0 <= a < b <= len(text) or b - a > 2 * len(quote) + 16:
            continue
        score = similarity(quote, text[a:b])
        if score < FUZZY_THRESHOLD:
            continue
        # where edits touch the ends of the quote, the unchanged context decides the span
        agreeing = _context_score(text, a, b, prefix, suffix)
        if agreeing < min_context:
            continue
        fit = agreeing / context if context else 0.0
        key = (score + CONTEXT_WEIGHT * fit, -abs(a - loc), score, a, b)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    return best[0], lo + best[3], lo + best[4]


def _align(dmp: diff_match_patch, text: str, quote: str, start: int) -> tuple[int, int] | None:
    """The span of ``text`` that a diff lines up with ``quote`` when it starts near ``start``."""
    slack = len(quote) // 4 + 8
    w0 = max(0, start - slack)
    window = text[w0 : start + len(quote) + slack]
    if not window:
        return None
    diffs = dmp.diff_main(quote, window, False)
    first = dmp.diff_xIndex(diffs, 0)
    backwards = [(op, chunk[::-1]) for op, chunk in reversed(diffs)]
    last = len(window) - dmp.diff_xIndex(backwards, 0)
    if first >= last:
        return None
    return w0 + first, w0 + last


# --- the store -----------------------------------------------------------------------------


def reanchored(annotation: Annotation, body: str, sha256: str) -> tuple[Annotation, Status]:
    """``annotation`` moved onto the current ``body`` (whose digest is ``sha256``)."""
    a = annotation
    found = anchor(body, a.quote, a.prefix, a.suffix, a.start, a.end)
    if found.start is None or found.end is None:
        return dataclasses.replace(a, orphaned=True, article_sha256=sha256), "orphaned"
    prefix, suffix = context_of(body, found.start, found.end)
    new = dataclasses.replace(
        a,
        start=found.start,
        end=found.end,
        quote=body[found.start : found.end],
        prefix=prefix,
        suffix=suffix,
        article_sha256=sha256,
        orphaned=False,
        review=a.review or found.status == "fuzzy",
    )
    return new, found.status


def reconcile(
    store: Store,
    corpus: Corpus,
    *,
    write: bool = True,
    article_ids: Iterable[str] | None = None,
) -> list[Reconciled]:
    """Re-anchor every annotation whose article changed since it was made (of the articles
    ``article_ids`` only, when given); write the results back in one transaction (unless
    ``write`` is False) and return what happened to each.

    Annotations of articles that are missing or cannot be opened are left untouched and
    reported (status "missing" / "unreadable"). Unchanged articles are not reported.
    Re-anchoring is mechanical: it does not bump ``updated``.
    """
    from reader.corpus.articles import ArticleError

    by_article: dict[str, list[Annotation]] = {}
    if article_ids is None:
        for a in store.annotations():
            by_article.setdefault(a.article_id, []).append(a)
    else:
        for article_id in article_ids:
            by_article[article_id] = store.annotations(article_id)
    results: list[Reconciled] = []
    read: dict[str, Annotation] = {}
    for article_id, group in by_article.items():
        if not group:
            continue
        article = corpus.get(article_id)
        if article is None:
            reason = f"no file for article '{article_id}' in {corpus.folder}"
            results.extend(Reconciled(a, "missing", reason) for a in group)
            continue
        try:
            if article.error:
                raise ArticleError(f"{article.path}: {article.error}")
            sha256 = article.sha256
            stale = [a for a in group if a.article_sha256 != sha256]
            body = article.body if stale else ""
        except ArticleError as exc:
            results.extend(Reconciled(a, "unreadable", str(exc)) for a in group)
            continue
        for a in stale:
            new, status = reanchored(a, body, sha256)
            read[a.id] = a
            results.append(Reconciled(new, status))
    changed = [
        (read[r.annotation.id], r.annotation)
        for r in results
        if r.status not in ("missing", "unreadable")
    ]
    if write and changed:
        store.reanchor(changed)
    return results
