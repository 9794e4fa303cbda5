"""Export and import of many annotations against PyYAML's C dumper and loader.

CPU time (``time.process_time``), median of the repeats. The anchors work on the same data:
the exported document as plain dicts dumped with ``yaml.CSafeDumper`` (reader's options:
keys in order, Unicode as is, no folding), and the exported text loaded with
``yaml.CSafeLoader`` followed by one SQLite transaction inserting every annotation row.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import yaml

TAGS = ("legal argument", "casualty figure", "demand")


def _fresh(path: Path):
    from reader.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Store(path)


def _fill(store, corpus, count: int) -> None:
    from reader.store import Annotation, context_of, utc_now

    rng, now, items = random.Random(7), utc_now(), []
    articles = [a for a in corpus if a.ok][:200]
    for i in range(count):
        article = articles[i % len(articles)]
        body = article.body
        start = rng.randrange(max(1, len(body) - 150))
        end = min(len(body), start + rng.randrange(5, 150))
        prefix, suffix = context_of(body, start, end)
        note = "checked against the report" if i % 5 == 0 else None
        items.append(
            Annotation(
                f"{i:08d}-bench",
                article.id,
                TAGS[i % 3],
                start,
                end,
                body[start:end],
                prefix,
                suffix,
                note,
                now,
                now,
                article.sha256,
            )
        )
    store.put_many(items)


def _cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def run(folder: str, count: str, repeats: str = "3") -> dict:
    import reader.exchange as exchange
    from reader.corpus.articles import load_corpus
    from reader.exchange.yaml_io import OPTIONS
    from reader.store import FIELDS

    work = Path(folder)
    corpus = load_corpus(work / "articles")
    store = _fresh(work / "export.db")
    _fill(store, corpus, int(count))
    text = exchange.export_yaml(store, corpus)
    doc = exchange.export_document(store, corpus)
    columns = ", ".join(f'"{f}"' for f in FIELDS)
    insert = f"insert into annotations ({columns}) values ({', '.join('?' * len(FIELDS))})"

    def plain_dump() -> None:
        yaml.dump(doc, Dumper=yaml.CSafeDumper, **OPTIONS)

    def reader_import() -> None:
        target = _fresh(work / "import.db")
        plan = exchange.plan_import(text, target, corpus)
        assert plan.ok and plan.added == int(count), plan.errors[:3]
        exchange.apply_import(plan, target)
        target.close()

    def plain_import() -> None:
        target = _fresh(work / "plain.db")
        loaded = yaml.load(text, Loader=yaml.CSafeLoader)
        rows = [
            (
                e["id"],
                a["id"],
                e["tag"],
                e["start"],
                e["end"],
                e["quote"],
                "",
                "",
                e["note"],
                e["created"],
                e["updated"],
                a["sha256"],
                0,
                0,
            )
            for a in loaded["articles"]
            for e in a["annotations"]
        ]
        with target.conn:
            target.conn.execute("BEGIN")
            target.conn.executemany(insert, rows)
            target.conn.execute("COMMIT")
        target.close()

    times: dict[str, list[float]] = {"export": [], "dump": [], "import": [], "load": []}
    for _ in range(int(repeats)):
        times["export"].append(_cpu(lambda: exchange.export_yaml(store, corpus)))
        times["dump"].append(_cpu(plain_dump))
        times["import"].append(_cpu(reader_import))
        times["load"].append(_cpu(plain_import))
    store.close()
    return {key: statistics.median(values) for key, values in times.items()}
