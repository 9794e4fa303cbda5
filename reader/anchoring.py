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
   for review;
4. **orphaned**: nothing close enough: the annotation is kept but has no place in the text.

`reconcile` applies this to every annotation of a changed article and writes the result back in
one transaction.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from diff_match_patch import diff_match_patch

from reader.store import Annotation, context_of

if TYPE_CHECKING:
    from reader.articles import Corpus
    from reader.store import Store

Status = Literal["exact", "moved", "fuzzy", "orphaned"]

#: Least similarity (0..1) between the quote and a fuzzy match for it to be accepted.
FUZZY_THRESHOLD = 0.75
#: How much agreeing context counts when choosing among fuzzy spans (similarity is 0..1).
CONTEXT_WEIGHT = 0.1
#: Characters of quote / context handed to bitap (its patterns are limited in length).
CHUNK = 32
#: Fuzzy search looks this far around the old position first, then (for bodies up to
#: FULL_SEARCH_LIMIT characters) through the whole body.
WINDOW = 10_000
FULL_SEARCH_LIMIT = 400_000
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
    found = _best_occurrence(body, quote, prefix, suffix, hint)
    if found is not None:
        return Anchor(found, found + len(quote), "moved")
    span = _fuzzy(body, quote, prefix, suffix, hint)
    if span is not None:
        return Anchor(span[0], span[1], "fuzzy")
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


def _best_occurrence(body: str, quote: str, prefix: str, suffix: str, hint: int) -> int | None:
    best: tuple[int, int] | None = None
    best_pos = None
    for pos in _occurrences(body, quote):
        key = (-_context_score(body, pos, pos + len(quote), prefix, suffix), abs(pos - hint))
        if best is None or key < best:
            best, best_pos = key, pos
    return best_pos


# --- fuzzy -------------------------------------------------------------------------------


def _fuzzy(body: str, quote: str, prefix: str, suffix: str, hint: int) -> tuple[int, int] | None:
    lo = max(0, hint - WINDOW)
    hi = min(len(body), hint + len(quote) + WINDOW)
    span = _fuzzy_in(body, lo, hi, quote, prefix, suffix, hint)
    if span is None and (lo > 0 or hi < len(body)) and len(body) <= FULL_SEARCH_LIMIT:
        span = _fuzzy_in(body, 0, len(body), quote, prefix, suffix, hint)
    return span


def _fuzzy_in(
    body: str, lo: int, hi: int, quote: str, prefix: str, suffix: str, hint: int
) -> tuple[int, int] | None:
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
        fit = _context_score(text, a, b, prefix, suffix) / context if context else 0.0
        key = (score + CONTEXT_WEIGHT * fit, -abs(a - loc), score, a, b)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    return lo + best[3], lo + best[4]


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


def reconcile(store: Store, corpus: Corpus, *, write: bool = True) -> list[Reconciled]:
    """Re-anchor every annotation whose article changed since it was made; write the results
    back in one transaction (unless ``write`` is False) and return what happened to each.

    Annotations of articles that are missing or cannot be opened are left untouched and
    reported (status "missing" / "unreadable"). Unchanged articles are not reported.
    Re-anchoring is mechanical: it does not bump ``updated``.
    """
    from reader.articles import ArticleError

    by_article: dict[str, list[Annotation]] = {}
    for a in store.annotations():
        by_article.setdefault(a.article_id, []).append(a)
    results: list[Reconciled] = []
    for article_id, group in by_article.items():
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
            results.append(Reconciled(new, status))
    changed = [r.annotation for r in results if r.status not in ("missing", "unreadable")]
    if write and changed:
        store.put_many(changed)
    return results
