"""Speed and size figures for Keeping Score. Prints numbers; asserts nothing.

Usage: .venv/bin/python tools/benchmark.py [--build]
Targets (from the blueprint): 1,000,000 residents in about a second; each notebook in a few
seconds in a fresh kernel (under 5 s); a strict build of both editions fast enough for CI.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true", help="also time strict builds of both editions")
    args = parser.parse_args()

    from keepingscore import data
    from keepingscore.town import make_ties, make_town

    print("== synthetic town (median of 3 runs)")
    for n in (10_000, 100_000, 1_000_000):
        seconds, town = timed(lambda n=n: make_town(n, seed=0))
        megabytes = town.memory_usage(deep=True).sum() / 1e6
        print(f"make_town(n={n:>9,}): {seconds:6.2f} s, {megabytes:7.1f} MB in memory")
    seconds, ties = timed(lambda: make_ties(town, seed=0), repeat=1)
    print(f"make_ties on 1,000,000 residents: {seconds:6.2f} s, {len(ties):,} ties")

    print("\n== datasets (first load validates; later loads in the same session reuse the check)")
    for name in data.names():
        first, frame = timed(lambda name=name: data.load(name), repeat=1)
        again, _ = timed(lambda name=name: data.load(name), repeat=3)
        size = (data.datasets_dir() / data.describe(name)["path"]).stat().st_size / 1e3
        print(f"{name:<16} {len(frame):>5} rows {size:8.1f} kB  first load {first:5.2f} s, later {again:5.3f} s")

    print("\n== notebooks, each in a fresh kernel (student edition = solutions removed)")
    import nbformat
    from nbclient import NotebookClient

    from keepingscore.editions import filter_notebook

    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        for edition in ("student", "teacher"):
            text = path.read_text(encoding="utf-8")
            source = filter_notebook(text) if edition == "student" else text
            notebook = nbformat.reads(source, as_version=4)
            start = time.perf_counter()
            NotebookClient(notebook, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            seconds = time.perf_counter() - start
            print(f"{path.name:<20} {edition:<8} {len(notebook.cells):>3} cells {seconds:6.2f} s (target < 5 s)")

    if args.build:
        from keepingscore.build import build

        print("\n== strict, fresh builds")
        for edition in ("student", "teacher"):
            start = time.perf_counter()
            status = build(edition, strict=True, fresh=True, root=ROOT, quiet=True)
            seconds = time.perf_counter() - start
            out = ROOT / "_build" / edition / "html"
            megabytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
            print(f"{edition:<8} status {status}  {seconds:6.1f} s  {megabytes:6.1f} MB of HTML and assets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
