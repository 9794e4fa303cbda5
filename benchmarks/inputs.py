"""Benchmark inputs, generated into a folder (nothing large is committed).

Texts are built from the bundled corpus so that they read like the articles reader is made for:
paragraphs of English news prose with curly quotes and dashes (so CPython holds them at two
bytes per character, as it does real articles). Wide text mixes Chinese, Japanese and Korean
paragraphs with Vietnamese in decomposed form (a combining mark on most syllables).
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

BUNDLED = Path(__file__).resolve().parent.parent / "reader" / "sample"
MB = 1_000_000

_CHINESE = (
    "国际特赦组织表示，美国于一月三日对委内瑞拉发动的袭击构成非法使用武力，"
    "而委内瑞拉政府对本国人民犯下的罪行仍未得到追究，也没有不再重犯的保证。"
    "该组织秘书长卡拉马德说：“我们要明确一点，我们毫不含糊地谴责美国非法使用武力。”"
)
_JAPANESE = (
    "アムネスティ・インターナショナルは、一月三日の米国によるベネズエラ攻撃は違法な武力行使に"
    "当たると述べた。同時に、ベネズエラ政府による自国民への犯罪は、正義も再発防止の保証もないまま"
    "続いている。事務総長は「はっきりさせておきたい」と語った。"
)
_KOREAN = (
    "국제앰네스티는 1월 3일 미국의 베네수엘라 공격이 불법적인 무력 사용에 해당한다고 밝혔다. "
    "동시에 베네수엘라 정부가 자국민에게 저지른 범죄는 정의도 재발 방지 보장도 없이 계속되고 있다."
)
# Vietnamese, decomposed (NFD): base letters followed by combining marks
_VIETNAMESE = (
    "To\u0302\u0309 chu\u031b\u0301c A\u0301n xa\u0323 Quo\u0302\u0301c te\u0302\u0301 "
    "tuye\u0302n bo\u0302\u0301 ra\u0306\u0300ng cuo\u0323\u0302c ta\u0302\u0301n co\u0302ng "
    "cu\u0309a My\u0303 va\u0300o Venezuela la\u0300 vie\u0323\u0302c su\u031b\u0309 du\u0323ng "
    "vu\u0303 lu\u031b\u0323c tra\u0301i phe\u0301p. "
)


def corpus_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(BUNDLED.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            if para.strip():
                paragraphs.append(para)
    return paragraphs


def news_text(size: int, seed: int = 1) -> str:
    """About ``size`` bytes of news paragraphs separated by blank lines, ending in 'THE END'."""
    rng = random.Random(seed)
    paragraphs = corpus_paragraphs()
    out, total = [], 0
    while total < size:
        para = rng.choice(paragraphs)
        out.append(para)
        total += len(para.encode("utf-8")) + 2
    return "\n\n".join(out) + "\n\nTHE END"


def long_line(chars: int = 100_000) -> str:
    """One paragraph of ``chars`` characters (no newline), words from the corpus."""
    words = " ".join(corpus_paragraphs()).split()
    out, total, i = [], 0, 0
    while total < chars:
        out.append(words[i % len(words)])
        total += len(out[-1]) + 1
        i += 1
    return " ".join(out)[:chars]


def wide_text(size: int, seed: int = 2) -> str:
    """About ``size`` bytes of CJK paragraphs and decomposed Vietnamese, ending in '終わり'."""
    rng = random.Random(seed)
    kinds = [_CHINESE * 3, _JAPANESE * 3, _KOREAN * 3, _VIETNAMESE * 6]
    out, total = [], 0
    while total < size:
        para = rng.choice(kinds)
        cut = rng.randrange(len(para) // 2)
        para = para[cut:] + para[:cut]
        out.append(para)
        total += len(para.encode("utf-8")) + 1
    return "開始\n" + "\n".join(out) + "\n終わり"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def many_articles(folder: Path, count: int = 2000, size: int = 5000) -> Path:
    """``count`` articles of about ``size`` bytes each, with a metadata.yaml, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(3)
    paragraphs = corpus_paragraphs()
    meta = {}
    for i in range(count):
        parts, total = [], 0
        while total < size:
            parts.append(rng.choice(paragraphs))
            total += len(parts[-1]) + 2
        name = f"{i:05d}_article.txt"
        (folder / name).write_text("\n\n".join(parts), encoding="utf-8")
        title = f"Article {i}: {parts[0][:60]}"
        meta[name] = {"title": title, "outlet": "Outlet", "date": "2026-02"}
    (folder / "metadata.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    return folder
