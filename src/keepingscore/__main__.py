"""Command line: `python -m keepingscore build|readability|poll|packets|bundle|notebooks|launch`."""

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
    v = commands.add_parser("poll", help="count a class vote file and print each motion's before-and-after swing")
    v.add_argument("file", metavar="FILE", help="CSV with the columns respondent, motion_id, phase, vote")
    v.add_argument("--out", metavar="RESULTS.csv", default=None, help="also write the results table here")
    v.add_argument("--min-group", type=int, default=5, metavar="N",
                   help="never show a group of fewer than N votes (default 5; it may be raised, never lowered)")
    k = commands.add_parser("packets", help="print each debate rung's page of a built edition to PDF, and one "
                            "PDF of the whole ladder")
    k.add_argument("--edition", choices=["student", "teacher"], default="student")
    k.add_argument("--html", metavar="DIR", default=None,
                   help="the built edition's HTML folder (default _build/<edition>/html)")
    k.add_argument("--out", metavar="DIR", default=None,
                   help="where the PDFs go (default: beside the HTML folder, in packets/)")
    k.add_argument("--paper", choices=["letter", "a4"], default="letter")
    z = commands.add_parser("bundle", help="zip a built edition into one file that works offline, opened from disk")
    z.add_argument("--edition", choices=["student", "teacher"], default="student")
    z.add_argument("--html", metavar="DIR", default=None,
                   help="the built edition's HTML folder (default _build/<edition>/html)")
    z.add_argument("--out", metavar="FILE.zip", default=None,
                   help="the zip to write (default _build/keeping-score-<edition>.zip)")
    z.add_argument("--packets", metavar="DIR", default=None,
                   help="PDF packets to add (default for the teacher edition: _build/teacher/packets, if printed)")
    n = commands.add_parser("notebooks", help="write copies of the lesson notebooks for one edition (the student "
                            "copies have no solutions or teacher notes)")
    n.add_argument("--edition", choices=["student", "teacher"], default="student")
    n.add_argument("--out", metavar="DIR", required=True, help="folder for the copies (made if missing)")
    la = commands.add_parser("launch", help="set the public repository's address for launch buttons and the "
                             "notebooks' Colab set-up")
    la.add_argument("--repository", metavar="URL", required=True,
                    help="for example https://github.com/<owner>/keeping-score (an empty string switches them off)")
    args = parser.parse_args(argv)
    if args.command == "bundle":
        return _bundle(args.edition, args.html, args.out, args.packets)
    if args.command == "notebooks":
        return _notebooks(args.edition, args.out)
    if args.command == "launch":
        from .launch import set_repository
        from .paths import project_root

        try:
            changed = set_repository(project_root(), args.repository)
        except ValueError as exc:
            print(f"launch: {exc}", file=sys.stderr)
            return 2
        print(f"Repository set to {args.repository!r}; {len(changed)} file(s) updated. Rebuild the book to show the "
              "launch buttons.")
        return 0
    if args.command == "poll":
        return _poll(args.file, args.out, args.min_group)
    if args.command == "packets":
        from .packets import main as packets_main

        return packets_main(args.edition, args.html, args.out, paper=args.paper)
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


def _bundle(edition: str, html: str | None, out: str | None, packets: str | None) -> int:
    from pathlib import Path

    from .bundle import make_bundle
    from .paths import project_root

    html_dir = Path(html) if html else output_dir(edition)
    target = Path(out) if out else project_root() / "_build" / f"keeping-score-{edition}.zip"
    pdfs = Path(packets) if packets else (html_dir.parent / "packets" if edition == "teacher" else None)
    try:
        made = make_bundle(html_dir, target, edition=edition, packets=pdfs)
    except FileNotFoundError as exc:
        print(f"bundle: {exc}", file=sys.stderr)
        return 2
    extra = " with the PDF packets" if pdfs is not None and any(Path(pdfs).glob("*.pdf")) else ""
    print(f"Wrote {made} ({made.stat().st_size / 1e6:.1f} MB){extra}: unzip it and open index.html, no network needed.")
    return 0


def _notebooks(edition: str, out: str) -> int:
    from pathlib import Path

    from .editions import filter_notebook
    from .paths import project_root

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    lessons = sorted((project_root() / "lessons").glob("*.ipynb"))
    for path in lessons:
        text = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(filter_notebook(text) if edition == "student" else text, encoding="utf-8")
    print(f"Wrote {len(lessons)} {edition} notebooks to {folder}.")
    return 0


def _poll(file: str, out: str | None, min_group: int) -> int:
    """Print each motion's swing; on bad input print one line per problem and return 2, never a traceback."""
    from pathlib import Path

    from .errors import KeepingScoreError
    from .poll import MIN_GROUP, headline, read_votes, summary_lines, swing, write_results

    try:
        if min_group < MIN_GROUP:
            raise KeepingScoreError(f"--min-group {min_group}: groups smaller than {MIN_GROUP} votes are never "
                                    f"shown, so that nobody's vote can be worked out. Fix: leave out --min-group "
                                    f"(it is {MIN_GROUP}) or give a larger number.")
        if out is not None:
            folder = Path(out).parent
            if Path(out).resolve() == Path(file).resolve():
                raise KeepingScoreError(f"{out}: this is the vote file itself, which is never overwritten. "
                                        "Fix: give --out a new file name, such as results.csv.")
            if not folder.is_dir():
                raise KeepingScoreError(f"{out}: the folder {str(folder)!r} does not exist, so the results cannot "
                                        "be written there. Fix: make the folder first, or give --out a path in a "
                                        "folder that exists.")
            if Path(out).is_dir():
                raise KeepingScoreError(f"{out}: this is a folder. Fix: give --out a file name, such as "
                                        "results.csv.")
        votes = read_votes(file)
        result = swing(votes, min_group=min_group)
        print(headline(result, file, min_group=min_group))
        print("\n".join(summary_lines(result, min_group=min_group)))
        for line in votes.attrs.get("warnings", []):
            print(f"warning: {line}", file=sys.stderr)
        if out is not None:
            write_results(result, out)
            print(f"Results written to {out}")
    except KeepingScoreError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    except OSError as exc:  # only writing is left: reading problems are PollErrors
        print(f"error: {out}: could not write the results ({exc.strerror or exc.__class__.__name__}). "
              "Fix: choose a folder that exists and that you may write to.", file=sys.stderr)
        return 2
    except Exception as exc:  # a last guard: a reader sees one line, not a traceback
        print(f"error: {file}: could not be counted ({exc.__class__.__name__}: {exc}). "
              "Fix: check the file against the example in datasets/class_vote_example.csv.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
