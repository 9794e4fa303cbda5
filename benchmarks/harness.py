"""One measured process: ``python benchmarks/harness.py MODE ARGS...``.

Whole-process modes: the caller times spawn to exit. Each builds its app headless at 120x40 and
leaves (``os._exit``) right after the first screen refresh that shows what it is about:

    bare                         a bare Textual app with a Footer
    reader ARTICLES DB [cold]    reader's app over a folder of articles (the article list);
                                 cold: without the listing cache (a first start)
    pane FILE                    the article FILE in a ReadingPane (rows of its text drawn)
    textarea FILE                the article FILE in a read-only, soft-wrapping TextArea

In-process modes print one JSON object on stdout:

    keys FOLDER ID [ANNOTATIONS] [REPEATS] [KIND]     CPU per key (measure.keys)
    pair FOLDER ID ANNOTATIONS REPEATS KIND [ROUNDS]  the same with none and ANNOTATIONS
    memory FOLDER ID SMALL_ID [CYCLES]       traced memory of an open article (measure.memory)
    yaml FOLDER COUNT [REPEATS]              export / import CPU (yaml_figures.run)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZE = (120, 40)


def main(argv: list[str]) -> None:
    mode, args = argv[0], argv[1:]
    if mode in ("keys", "pair", "memory"):
        import measure

        runner = {"keys": measure.keys, "pair": measure.keys_pair, "memory": measure.memory}[mode]
        print(json.dumps(asyncio.run(runner(*args))))
        return
    if mode == "yaml":
        import yaml_figures

        print(json.dumps(yaml_figures.run(*args)))
        return
    if mode == "reader":
        import gc

        gc.disable()  # as `reader` starts (cli.cmd_tui); the app turns it on after its first screen
    import apps

    if mode == "bare":
        app = apps.BareApp()
    elif mode == "reader":
        if args[2:] == ["cold"]:  # a first start: no listing cache to draw on
            os.environ["READER_CACHE_DIR"] = "off"
        app = apps.reader_app(Path(args[0]), Path(args[1]))
    elif mode in ("pane", "textarea"):
        app = apps.pane_app(Path(args[0]), textarea=mode == "textarea")
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    app.run(headless=True, size=SIZE)
    raise SystemExit("the app stopped before its first screen")


if __name__ == "__main__":
    main(sys.argv[1:])
