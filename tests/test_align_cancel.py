"""Alignment can be watched and given up (issue 15, point 4): ``progress`` is told how far it is,
``cancelled`` is asked often enough to stop within a moment even on long articles, and the
candidate pairs of long articles are bounded (memory)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader import align as align_module
from reader.align import STEPS, Cancelled, align
from reader.services import sessions

CORPUS = Path(__file__).resolve().parent.parent / "reader" / "sample"
A = "000_ae0beaf4b9f7a712"
B = "001_382389f1be5a250a"
PARAGRAPH = (
    "Amnesty International said on {day} that the unlawful use of force by unit {n} had killed "
    "{k} people in {place}, and demanded an independent investigation of report {n}."
)
PLACES = ("Caracas", "Maracaibo", "Valencia", "Barquisimeto", "Ciudad Guayana", "Maturin")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def body(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def long_article(size: int, seed: int) -> str:
    parts, total, n = [], 0, seed
    while total < size:
        n += 1
        text = PARAGRAPH.format(
            day=DAYS[n % 5], n=n, k=(n * 37) % 900 + 3, place=PLACES[n % len(PLACES)]
        )
        parts.append(text)
        total += len(text) + 2
    return "\n\n".join(parts)


def test_progress_is_told_in_order_and_changes_nothing(monkeypatch):
    monkeypatch.setattr(align_module, "PROGRESS_SECONDS", 0.0)  # every tick
    told: list[tuple[str, int, int]] = []
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return False

    pairs = align(body(A), body(B), cancelled=cancelled, progress=lambda *a: told.append(a))
    assert pairs == align(body(A), body(B))
    steps = [step for step, _, _ in told]
    assert set(steps) == set(STEPS)
    assert sorted(set(steps), key=steps.index) == list(STEPS)  # in that order
    assert all(0 <= done <= total for _, done, total in told)
    compared = [done for step, done, _ in told if step == STEPS[1]]
    assert compared == sorted(compared) and compared[0] == 0
    assert len(asked) >= len(told) > 20


@pytest.mark.parametrize("after", [1, 5, 100, 199])
def test_cancelled_stops_at_the_next_tick(after):
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls >= after

    with pytest.raises(Cancelled):
        align(body(A), body(B), cancelled=cancelled)
    assert calls == after  # never asked again once it said yes


def test_long_articles_stop_within_a_moment_of_cancelling():
    left, right = long_article(150_000, 0), long_article(120_000, 7)
    steps: list[str] = []
    started = time.monotonic()
    asked_at: list[float] = []

    def cancelled() -> bool:
        if steps and steps[-1] == STEPS[2]:  # cancel once the slow pairing is under way
            asked_at.append(time.monotonic())
            return len(asked_at) > 1
        return time.monotonic() - started > 60  # never: a safety net

    def progress(step: str, done: int, total: int) -> None:
        steps.append(step)

    with pytest.raises(Cancelled):
        align(left, right, cancelled=cancelled, progress=progress)
    assert steps[0] == STEPS[0] and STEPS[1] in steps
    assert time.monotonic() - asked_at[0] < 2.0


def test_sessions_align_gives_none_when_cancelled():
    assert sessions.align(body(A), body(B), cancelled=lambda: True) is None
    assert sessions.align(body(A), body(B)) == align(body(A), body(B))


def test_candidates_are_bounded(monkeypatch):
    from reader.align import _Scorer
    from reader.cues import passages

    side_a = [p for p in passages(long_article(40_000, 0)) if p.eligible]
    side_b = [p for p in passages(long_article(30_000, 3)) if p.eligible]
    unbounded = len(_Scorer(side_a, side_b).evidence_scores(-1e9))
    monkeypatch.setattr(align_module, "MAX_CANDIDATES", 10 * len(side_a))
    bounded = _Scorer(side_a, side_b).evidence_scores(-1e9)
    assert unbounded > 10 * len(side_a) >= len(bounded) > len(side_a)
    assert align(long_article(40_000, 0), long_article(30_000, 3))  # still pairs
