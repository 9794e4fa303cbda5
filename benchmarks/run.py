"""reader's performance figures against their anchors, measured in one run (issue 5).

    python benchmarks/run.py            # the full run (10-20 minutes on 2 cores)
    python benchmarks/run.py --quick    # a smoke run on small inputs (figures not comparable)

Inputs are generated in a temporary folder (``--keep DIR`` keeps them there). Every figure is
the median of repeated measurements; whole-process timings of different modes are interleaved
round by round, so that a busy machine slows them alike. The table lists each figure, reader's
value, its anchor, the ratio and the target; a figure off target is marked FAIL. The exit code
is 0 either way: this is a report.

How each is measured:

- open / startup: wall time from spawning ``python benchmarks/harness.py MODE`` to its exit,
  which happens right after the first screen refresh showing article text (open) or the
  first screen at all (startup); see harness.py and apps.py.
- keys, resize: ``time.process_time`` around Pilot key presses at 120x40, in reader's app
  (with its article list, annotations panel, status line and footer) and in a ReadingPane
  alone; median over repeats; nothing subtracted (a key bound to nothing is listed). "G, just
  opened" is pressed right after opening, before the pane has wrapped the article, with
  background wrapping paused so that its slices are not counted: nothing of the end has been
  drawn yet. "G" is pressed after "g" once the article is wrapped, again and again: from the
  second press on, the end was shown before (its rows may be cached, as they are for a
  reader going back and forth); the other keys once it is wrapped. Resize: the same, until
  the screen is drawn re-wrapped (background wrapping paused; the rest of the article is
  re-wrapped in slices afterwards).
- memory: tracemalloc in reader's app: what closing the article (wrapped, shown at its end)
  releases beyond a 6 KB article, and what an open/close cycle of it keeps beyond one of the
  6 KB article (Textual's own drift per pane cancels out; see measure.memory).
- export / import: CPU time, see yaml_figures.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import inputs  # noqa: E402

KEYS = [
    "G, just opened",
    "G",
    "page down",
    "move down",
    "move right",
    "select (shift+right)",
    "select sentence (s)",
    "tag (1)",
]


@dataclass
class Row:
    figure: str
    value: str
    anchor: str
    ratio: str
    target: str
    ok: bool | None  # None: information only


@dataclass
class Plan:
    quick: bool

    @property
    def big(self) -> int:
        return 2 * inputs.MB if self.quick else 20 * inputs.MB

    @property
    def rounds(self) -> int:
        return 2 if self.quick else 21

    @property
    def textarea_rounds(self) -> int:
        return 1 if self.quick else 3

    @property
    def key_repeats(self) -> int:
        return 3 if self.quick else 9

    @property
    def pair_repeats(self) -> int:
        return 3 if self.quick else 5

    @property
    def pair_rounds(self) -> int:
        return 1 if self.quick else 5

    @property
    def articles(self) -> int:
        return 200 if self.quick else 2000

    @property
    def annotations(self) -> int:
        return 10_000 if self.quick else 100_000

    @property
    def yaml_repeats(self) -> int:
        return 1 if self.quick else 3


def harness(*args: object, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(HERE / "harness.py"), *map(str, args)]
    # As installed, every module has its bytecode cached (pip compiles it); a session with
    # PYTHONDONTWRITEBYTECODE set would make reader (an editable install) compile its source on
    # every start while Textual's is cached: unfair to one side, and not what users run.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


def spawn_seconds(*args: object) -> float:
    t0 = time.perf_counter()
    done = harness(*args)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"harness {args} failed:\n{done.stderr[-2000:]}")
    return elapsed


def in_process(*args: object) -> dict:
    done = harness(*args)
    if done.returncode != 0:
        raise RuntimeError(f"harness {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- inputs


def make_inputs(work: Path, plan: Plan) -> dict[str, Path]:
    small = inputs.news_text(6_000)
    texts = {
        "small": small,
        "big": inputs.news_text(plan.big),
        "line": inputs.long_line(100_000),
        "wide": inputs.wide_text(plan.big),
    }
    files = {}
    for name, text in texts.items():
        files[name] = inputs.write(work / name, "article.txt", text)
        if name != "small":
            inputs.write(work / name, "small.txt", small)
    inputs.many_articles(work / "many", plan.articles)
    inputs.many_articles(work / "yaml" / "articles", 200)
    return files


# --------------------------------------------------------------------------- figures


def ratio_row(figure: str, value: float, anchor: float, limit: float, unit: str = "s") -> Row:
    ratio = value / anchor
    return Row(
        figure, f"{value:.3f} {unit}", f"{anchor:.3f} {unit}", f"{ratio:.2f}x",
        f"<= {limit}x", ratio <= limit,
    )  # fmt: skip


def whole_process(work: Path, files: dict[str, Path], plan: Plan) -> list[Row]:
    modes = {
        "bare": ("bare",),
        "reader bundled": ("reader", ROOT / "reader" / "sample", work / "bundled.db"),
        "reader many": ("reader", work / "many", work / "many.db"),
        "reader many cold": ("reader", work / "many", work / "many.db", "cold"),
        **{f"pane {name}": ("pane", path) for name, path in files.items()},
    }
    samples: dict[str, list[float]] = {name: [] for name in modes}
    samples["textarea big"] = []
    for args in modes.values():  # warm-up: caches, databases, bytecode
        spawn_seconds(*args)
    for r in range(plan.rounds):
        log(f"  whole-process round {r + 1}/{plan.rounds}")
        for name, args in modes.items():
            samples[name].append(spawn_seconds(*args))
        if r < plan.textarea_rounds:
            samples["textarea big"].append(spawn_seconds("textarea", files["big"]))
    med = {name: statistics.median(values) for name, values in samples.items()}
    size = f"{plan.big // inputs.MB} MB"
    speedup = med["textarea big"] / med["pane big"]
    return [
        ratio_row(f"open {size} article vs 6 KB (whole process)", med["pane big"],
                  med["pane small"], 1.3),
        Row(f"open {size} article vs TextArea pane", f"{med['pane big']:.3f} s",
            f"{med['textarea big']:.3f} s", f"{speedup:.1f}x faster", ">= 18x faster",
            speedup >= 18),
        ratio_row("open 100,000-character line vs 6 KB", med["pane line"], med["pane small"],
                  1.3),
        ratio_row(f"open {size} wide/combining vs 6 KB", med["pane wide"], med["pane small"],
                  1.3),
        ratio_row("reader, bundled corpus, to first screen vs bare app", med["reader bundled"],
                  med["bare"], 1.3),
        ratio_row(f"reader, {plan.articles} articles, to first screen vs bare app",
                  med["reader many"], med["bare"], 1.5),
        Row("  the same, first start (no listing cache yet)", f"{med['reader many cold']:.3f} s",
            f"{med['bare']:.3f} s", f"{med['reader many cold'] / med['bare']:.2f}x", "-", None),
    ]  # fmt: skip


def key_rows(label: str, ms: dict[str, float]) -> list[Row]:
    rows = [
        Row(f"{key} · {label}", f"{ms[key]:.1f} ms", "-", "-", "<= 20 ms CPU", ms[key] <= 20)
        for key in KEYS
    ]
    rows.append(
        Row(f"resize re-wrap · {label}", f"{ms['resize']:.1f} ms", "-", "-", "<= 150 ms CPU",
            ms["resize"] <= 150)
    )  # fmt: skip
    return rows


def many_rows(label: str, many: dict[str, float], none: dict[str, float]) -> list[Row]:
    moves = [k for k in KEYS if not k.startswith("tag")]
    total, base = sum(many[k] for k in moves), sum(none[k] for k in moves)
    tag, tag0 = many["tag (1)"], none["tag (1)"]
    return [
        Row(f"G, page, moves, selects: 5,000 annotations vs none · {label}", f"{total:.1f} ms",
            f"{base:.1f} ms", f"{total / base:.2f}x", "<= 1.2x", total / base <= 1.2),
        Row(f"tag: 5,000 annotations vs none · {label}", f"{tag:.1f} ms", f"{tag0:.1f} ms",
            f"{tag / tag0:.2f}x", "<= 1.2x", tag / tag0 <= 1.2),
    ]  # fmt: skip


def keys_and_memory(files: dict[str, Path], plan: Plan) -> list[Row]:
    size = f"{plan.big // inputs.MB} MB"
    labels = {"big": size, "line": "100,000-char line", "wide": f"{size} wide"}
    rows: list[Row] = []
    for kind, where in (("app", "reader app"), ("pane", "pane alone")):
        for name, label in labels.items():
            log(f"  keys, {where}: {label}")
            ms = in_process("keys", files[name].parent, "article", 0, plan.key_repeats, kind)["ms"]
            if name == "big":
                noop = f"{ms['no-op key']:.1f} ms"
                rows.append(Row(f"no-op key (for scale) · {where}", noop, "-", "-", "-", None))
            rows += key_rows(f"{label} · {where}", ms)
        log(f"  keys, {where}: 5,000 annotations and none, taking turns")
        pair = in_process(
            "pair", files["big"].parent, "article", 5000, plan.pair_repeats, kind, plan.pair_rounds
        )
        rows += many_rows(f"{size} · {where}", pair["many"], pair["none"])
    for name, label in labels.items():
        log(f"  memory: {label}")
        mem = in_process("memory", files[name].parent, "article", "small", 2 if plan.quick else 3)
        body, mb = mem["body"], 1 << 20
        rows.append(
            Row(f"memory, article open · {label}", f"{mem['open'] / mb:.2f} MB",
                f"{body / mb:.2f} MB string", f"{mem['open'] / body:.2f}x", "<= 2x",
                mem["open"] <= 2 * body)
        )  # fmt: skip
        rows.append(
            Row(f"memory kept after closing · {label}", f"{mem['kept'] / mb:.2f} MB",
                f"{body / mb:.2f} MB string", f"{mem['kept'] / body:.2f}x", "<= 0.05x",
                mem["kept"] <= 0.05 * body)
        )  # fmt: skip
    return rows


def yaml_rows(work: Path, plan: Plan) -> list[Row]:
    log(f"  export / import: {plan.annotations} annotations")
    t = in_process("yaml", work / "yaml", plan.annotations, plan.yaml_repeats)
    n = f"{plan.annotations:,}"
    return [
        ratio_row(f"export {n} annotations vs CSafeDumper", t["export"], t["dump"], 1.5, "s CPU"),
        ratio_row(f"import {n} annotations vs CSafeLoader + 1 transaction", t["import"],
                  t["load"], 2, "s CPU"),
    ]  # fmt: skip


# --------------------------------------------------------------------------- table


def table(rows: list[Row]) -> str:
    head = ("figure", "reader", "anchor", "ratio", "target", "result")
    cells = [
        (r.figure, r.value, r.anchor, r.ratio, r.target,
         "-" if r.ok is None else "pass" if r.ok else "FAIL")
        for r in rows
    ]  # fmt: skip
    widths = [max(len(c[i]) for c in [head, *cells]) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, few repeats")
    parser.add_argument("--keep", metavar="DIR", help="generate inputs in DIR and keep them")
    args = parser.parse_args(argv)
    plan = Plan(quick=args.quick)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reader-bench-"))
    # reader's listing cache (kept between starts in the user's cache folder) goes here: the
    # measured starts after the warm-up find it, as a user's second and later starts do
    os.environ["READER_CACHE_DIR"] = str(work / "listing-cache")
    started = time.perf_counter()
    try:
        log(f"generating inputs in {work}")
        files = make_inputs(work, plan)
        log("whole-process timings")
        rows = whole_process(work, files, plan)
        log("keys, resize, memory")
        rows += keys_and_memory(files, plan)
        log("export / import")
        rows += yaml_rows(work, plan)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    failed = sum(1 for r in rows if r.ok is False)
    print(table(rows))
    print()
    print(
        f"{len(rows)} figures, {failed} FAIL; python {sys.version.split()[0]}, "
        f"{'quick' if plan.quick else 'full'} run, {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
