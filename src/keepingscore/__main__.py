"""Command line: `python -m keepingscore build --edition student|teacher`."""

from __future__ import annotations

import argparse
import sys

from .build import build, output_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m keepingscore", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build one edition of the book into _build/<edition>/html")
    b.add_argument("--edition", choices=["student", "teacher"], default="student")
    b.add_argument("--strict", action="store_true",
                   help="treat every warning as an error and check every reference (-W -n --keep-going)")
    b.add_argument("--fresh", action="store_true", help="delete the edition's old build first")
    b.add_argument("--out", metavar="DIR", default=None,
                   help="write the HTML here instead of _build/<edition>/html (for parallel or scratch builds)")
    commands.add_parser("readability", help="print each chapter's word count and reading grade")
    args = parser.parse_args(argv)
    if args.command == "readability":
        from .paths import project_root
        from .readability import LIMITS, problems, report

        rows = report(project_root() / "book")
        print(f"{'chapter':<24}{'reading words':>14}{'page words':>12}{'grade':>7}  notes")
        for row in rows:
            notes = "; ".join(problems(row)) or "within targets"
            if row["exceptions"]:
                notes += f" (declared exceptions: {row['exceptions']})"
            print(f"{row['chapter']:<24}{row['reading_words']:>14}{row['page_words']:>12}{row['grade']:>7}  {notes}")
        print(f"Targets: {LIMITS['words'][0]}-{LIMITS['words'][1]} words of reading, "
              f"Flesch-Kincaid grade {LIMITS['grade'][0]}-{LIMITS['grade'][1]}.")
        return 1 if any(problems(r) for r in rows) else 0
    if args.command == "build":
        out = output_dir(args.edition) if args.out is None else __import__("pathlib").Path(args.out).resolve()
        status = build(args.edition, strict=args.strict, fresh=args.fresh, out=out)
        if status == 0:
            print(f"\nBuilt the {args.edition} edition: open {out / 'index.html'}")
        else:
            print(f"\nThe {args.edition} edition did not build cleanly (status {status}); see the messages above.",
                  file=sys.stderr)
        return status
    return 2


if __name__ == "__main__":
    sys.exit(main())
