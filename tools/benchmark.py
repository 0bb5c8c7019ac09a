"""Speed and size figures for Keeping Score. Prints numbers and targets; asserts nothing.

Usage: .venv/bin/python tools/benchmark.py            (everything, about two minutes)
       .venv/bin/python tools/benchmark.py --no-build (skip the book builds)

Targets (issue "Quality gates"): every notebook within 1.5x its floor (a fresh kernel that only
runs the notebook's setup imports); a cold strict build within 1.5x (the sum of the notebook floors
plus the build with execution off); a rebuild after one prose edit within 5 s; 1,000,000 residents
within 1 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
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


def verdict(value: float, limit: float) -> str:
    return f"{'meets' if value <= limit else 'MISSES'} target ({value:.2f} vs at most {limit:.2f})"


def make_town_loop(n: int, seed: int = 0):
    """The same columns as keepingscore.town.make_town, built one resident at a time in plain Python."""
    import pandas as pd

    from keepingscore.town import COLUMNS, DISTRICTS, INCOME_BANDS, OCCUPATIONS, PURCHASES

    rnd = random.Random(seed)
    rows = []
    household, left, district, income = 0, 0, 0, 0
    for person in range(1, n + 1):
        if left == 0:
            household += 1
            left = rnd.choices(range(1, 7), weights=[25, 32, 20, 14, 6, 3])[0]
            size = left
            district = rnd.choices(range(6), weights=[14, 20, 18, 22, 12, 14])[0]
            income = min(4, max(0, round(1.7 + [-0.5, 0, 0.2, -0.3, 0.6, 0.9][district] + rnd.gauss(0, 1.1))))
        left -= 1
        age = min(90, max(18, round(rnd.gammavariate(2.4, 11.0) + 18)))
        judgment = rnd.random() < [0.09, 0.07, 0.05, 0.035, 0.025][income]
        able = judgment and rnd.random() < [0.25, 0.4, 0.55, 0.7, 0.85][income]
        paid = judgment and rnd.random() < (0.7 if able else 0.25)
        credit = rnd.random() < min(0.98, 0.4 + 0.1 * income + 0.006 * (age - 18))
        infected = rnd.random() < 0.02
        rows.append({
            "person_id": person, "household_id": household, "household_size": size, "age": age,
            "district": DISTRICTS[district], "income_band": INCOME_BANDS[income],
            "occupation": rnd.choice(OCCUPATIONS), "has_smartphone": rnd.random() < 0.9,
            "court_judgment": judgment, "judgment_amount": round(rnd.lognormvariate(9, 1), -1) if judgment else 0.0,
            "able_to_pay": able, "judgment_paid": paid,
            "obstructed_enforcement": judgment and not paid and rnd.random() < 0.12,
            "traffic_violations": int(rnd.expovariate(3)), "other_violations": int(rnd.expovariate(6)),
            "volunteer_hours": round(rnd.gammavariate(1.5, 14)) if rnd.random() < 0.4 else 0,
            "donations": round(rnd.lognormvariate(5, 0.8)) if rnd.random() < 0.4 else 0.0,
            "civic_awards": int(rnd.random() < 0.04), "monthly_spend": round(rnd.lognormvariate(7.8, 0.4), -1),
            "main_purchase_category": rnd.choice(PURCHASES), "has_credit_file": credit,
            "credit_accounts": 1 + int(rnd.expovariate(0.5)) if credit else 0,
            "missed_payments": int(rnd.expovariate(2)) if credit else 0,
            "credit_utilisation": round(min(1, rnd.betavariate(2, 4)), 2) if credit else 0.0,
            "credit_history_years": round(rnd.uniform(0.2, 1.0) * (age - 18)) if credit else 0,
            "recent_inquiries": int(rnd.expovariate(1.2)) if credit else 0,
            "friend_count": 1 + int(rnd.expovariate(1 / 6)),
            "has_symptoms": rnd.random() < (0.6 if infected else 0.05),
            "contact_with_case": rnd.random() < (0.5 if infected else 0.04),
            "travelled_to_risk_area": rnd.random() < (0.15 if infected else 0.05),
            "infected": infected, "consents_to_optional_scheme": rnd.random() < 0.6,
        })
    frame = pd.DataFrame(rows)
    assert list(frame.columns) == list(COLUMNS)
    return frame


def run_notebook(source: str, cwd: Path) -> float:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.reads(source, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-build", action="store_true", help="skip the book builds")
    args = parser.parse_args()
    os.environ.setdefault("IPYTHONDIR", str(ROOT / "_build" / ".ipython"))

    import json

    import nbformat

    from keepingscore import data
    from keepingscore.town import make_town

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")

    print("\n== synthetic town (median of 5 runs)")
    for n in (10_000, 100_000, 1_000_000):
        seconds, town = timed(lambda n=n: make_town(n, seed=0), repeat=5)
        megabytes = town.memory_usage(deep=True).sum() / 1e6
        extra = f"  {verdict(seconds, 1.0)}" if n == 1_000_000 else ""
        print(f"make_town(n={n:>9,}): {seconds:6.2f} s, {megabytes:7.1f} MB in memory{extra}")
    loop, _ = timed(lambda: make_town_loop(100_000), repeat=1)
    vector, _ = timed(lambda: make_town(100_000, seed=0))
    print(f"plain-Python loop, 100,000 residents: {loop:6.2f} s; vectorised is {loop / vector:5.0f}x faster")

    print("\n== datasets (the first check runs Frictionless; a passed check is remembered until a file changes)")
    for name in data.names():
        seconds, frame = timed(lambda name=name: data.load(name), repeat=1)
        print(f"{name:<16} {len(frame):>6} rows  load {seconds:5.2f} s")

    print("\n== notebooks, each in a fresh kernel; floor = a kernel that only runs the setup cell's imports")
    floors = 0.0
    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        # Cells tagged skip-execution are optional "run it yourself" steps the book does not run either.
        whole = json.loads(text)
        optional = [c for c in whole["cells"] if "skip-execution" in c["metadata"].get("tags", [])]
        whole["cells"] = [c for c in whole["cells"] if c not in optional]
        text = json.dumps(whole)
        setup = json.loads(text)
        setup["cells"] = setup["cells"][:1]
        floor = min(run_notebook(json.dumps(setup), path.parent) for _ in range(2))
        full = min(run_notebook(text, path.parent) for _ in range(2))
        floors += floor
        cells = len(nbformat.reads(text, as_version=4).cells)
        extra = f"  (+{len(optional)} optional cell not run)" if optional else ""
        print(f"{path.name:<22} {cells:>3} cells  {full:5.2f} s  floor {floor:5.2f} s  "
              f"ratio {full / floor:4.2f}  {verdict(full / floor, 1.5)}{extra}")

    if not args.no_build:
        import subprocess

        def build(edition: str, strict: bool = True, fresh: bool = False, quiet: bool = True,
                  execute: bool = True) -> int:
            """Build as a reader does, in a new process; execution off is only possible through the API."""
            if not execute:
                code = ("from keepingscore.build import build; import sys; "
                        f"sys.exit(build({edition!r}, strict=True, fresh={fresh}, quiet=True, execute=False))")
                command = [sys.executable, "-c", code]
            else:
                command = [sys.executable, "-m", "keepingscore", "build", "--edition", edition, "--strict"]
                command += ["--fresh"] if fresh else []
            return subprocess.run(command, cwd=ROOT, capture_output=True).returncode

        print("\n== book builds (student edition, strict, each in a new process as a reader runs it)")
        off, _ = timed(lambda: build("student", fresh=True, execute=False), repeat=1)
        cold, status = timed(lambda: build("student", fresh=True), repeat=1)
        print(f"cold build with notebooks executed: {cold:6.1f} s (status {status})  "
              f"{verdict(cold, 1.5 * (floors + off))}")
        print(f"  for comparison: build with execution off {off:5.1f} s; sum of notebook floors {floors:5.1f} s")
        chapter = ROOT / "book" / "the-plan.md"
        rebuilds = []
        for _ in range(3):
            chapter.touch()
            seconds, _ = timed(lambda: build("student"), repeat=1)
            rebuilds.append(seconds)
        print(f"rebuild after touching {chapter.relative_to(ROOT)}: first {rebuilds[0]:4.1f} s, "
              f"then {rebuilds[1]:4.1f} s and {rebuilds[2]:4.1f} s  {verdict(statistics.median(rebuilds), 5.0)}")
        nothing, _ = timed(lambda: build("student"), repeat=1)
        print(f"  for comparison: a build with nothing changed {nothing:4.1f} s (start-up and bibliography)")
        teacher, _ = timed(lambda: build("teacher", fresh=True), repeat=1)
        print(f"cold build of the teacher edition: {teacher:6.1f} s")
        for edition in ("student", "teacher"):
            out = ROOT / "_build" / edition / "html"
            megabytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
            print(f"{edition} site: {megabytes:5.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
