"""The class vote: anonymous before-and-after votes on a motion, and the Oxford-style swing.

A vote file is a CSV with one row per vote and the columns ``respondent`` (an anonymous code, never a
name), ``motion_id``, ``phase`` (``before`` or ``after`` the debate) and ``vote`` (``for``, ``against`` or
``undecided``). :func:`read_votes` checks it and explains every problem by file, row and column;
:func:`swing` counts the votes and leaves out any group too small to keep its voters anonymous.
The input file is only ever read.

A respondent code is up to four letters then one to four digits (``v07``, ``b12``, ``p3``): anything else,
such as a name, is refused. A motion with votes in only one phase (often a misspelt ``motion_id``) is counted,
and :func:`read_votes` lists it in ``votes.attrs["warnings"]``, one line each, for the caller to show.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from .errors import DataError

__all__ = ["PollError", "read_votes", "swing", "write_results", "neutralise", "summary_lines", "example_file",
           "headline", "COLUMNS", "PHASES", "VOTES", "MAX_BYTES", "TIE_POINTS", "MIN_GROUP", "CODE"]

COLUMNS = ("respondent", "motion_id", "phase", "vote")
PHASES = ("before", "after")
VOTES = ("for", "against", "undecided")
MAX_BYTES = 50 * 1024 * 1024
TIE_POINTS = 5.0
MIN_GROUP = 5  # the smallest group ever shown; a school may raise it, never lower it
CODE = re.compile(r"[A-Za-z]{0,4}[0-9]{1,4}")  # an anonymous code: v07, b12, p3 (never a name)
FORMULA_START = ("=", "+", "-", "@")
_MAX_LISTED = 10
_EXAMPLE = "respondent,motion_id,phase,vote"
_HEADER_ROW = "row 1 (the header)"
_NOT_A_CODE = ("the value is not an anonymous code (up to four letters then up to four digits, such as v07) "
               "and may be a name. Fix: replace the name with a code such as v07.")


class PollError(DataError):
    """A vote file (or a table of votes) that cannot be counted; one line per problem, each with its fix."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = self.problems[:_MAX_LISTED]
        more = len(self.problems) - len(shown)
        tail = [f"... and {more} more problem(s) of the same kinds; the file was not changed."] if more else []
        super().__init__("\n".join(shown + tail))


def _row(number: int) -> str:
    return _HEADER_ROW if number == 1 else f"row {number} (counting the header as row 1)"


def _looks_like_formula(cell: str) -> bool:
    # Spreadsheets run a cell that starts with one of these as a formula; a tab or return can hide one.
    return cell.startswith(("\t", "\r")) or cell.lstrip(" ").startswith(FORMULA_START)


def _decode(raw: bytes, where: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PollError([f"{where}, {_HEADER_ROW}: the file is saved as UTF-16 ('Unicode text'), not UTF-8. "
                         "Fix: save the file as CSV UTF-8 (in a spreadsheet: Save as, then 'CSV UTF-8')."])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1  # physical line: a row unless a quoted cell spans lines
        start = raw.rfind(b"\n", 0, exc.start) + 1
        cell = raw.count(b",", start, exc.start) + 1
        header = raw[: raw.find(b"\n")] if b"\n" in raw else raw
        names = header.decode("utf-8", errors="replace").lstrip("\ufeff").split(",")
        column = f"column {names[cell - 1].strip()!r}" if line > 1 and cell <= len(names) else f"column {cell}"
        raise PollError([
            f"{where}, {_row(line)}, {column}: a letter or sign (such as é) is not saved as UTF-8 text. "
            "Fix: save the file as CSV UTF-8 (in a spreadsheet: Save as, then 'CSV UTF-8')."
        ]) from None


def _read_bytes(path: Path, where: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more: a device or a growing file cannot fill memory
    except FileNotFoundError:
        raise PollError([f"{where}: there is no such file. Fix: check the path and the file's name."]) from None
    except IsADirectoryError:
        raise PollError([f"{where}: this is a folder, not a file. Fix: give the path of the CSV file."]) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise PollError([f"{where}: the file could not be read ({reason}). "
                         "Fix: check that the file exists and that you may read it."]) from None
    if len(raw) > MAX_BYTES:
        raise PollError([
            f"{where}: the file is over the {MAX_BYTES // (1024 * 1024)} MB limit for a class vote file. "
            "Fix: check that it is the right file; a class vote needs one short row per vote."
        ])
    return raw


def _parse(text: str, where: str) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Split the text into the header and numbered rows; collect problems with the layout."""
    problems: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            number += 1
            problems.append(f"{where}, {_row(number)}: the CSV layout is broken there ({exc}). "
                            "Fix: close every quoted value with a double quote, and export the sheet again as CSV.")
            break
        number += 1
        if header is None:
            if not any(c.strip() for c in cells):
                number -= 1  # blank lines before the header are not rows
                continue
            header = cells
            continue
        if not any(c.strip() for c in cells):
            continue  # a blank line or a row of empty cells holds no vote
        rows.append((number, cells))
    return header or [], rows, problems


def _check_header(header: list[str], where: str) -> tuple[dict[str, int], list[str]]:
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    problems = []
    for separator, called in ((";", "semicolons"), ("\t", "tabs")):
        parts = {p.strip().lower().lstrip("\ufeff") for h in header for p in h.split(separator)}
        if not set(COLUMNS) <= set(names) and any(separator in h for h in header) and set(COLUMNS) <= parts:
            return {}, [f"{where}, {_HEADER_ROW}: the values are separated by {called}, not commas. "
                        "Fix: save the file as 'CSV UTF-8 (comma delimited)' from the spreadsheet."]
    for position, raw in enumerate(header, start=1):
        if _looks_like_formula(raw):
            problems.append(f"{where}, {_HEADER_ROW}, column {position}: the name {raw!r} looks like a spreadsheet "
                            "formula. Fix: name the columns " + _EXAMPLE + ".")
    if problems:
        return {}, problems
    seen: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in COLUMNS and name in seen:
            problems.append(f"{where}, {_HEADER_ROW}, column {name!r}: the column appears twice. "
                            "Fix: delete one of the two columns.")
        seen.setdefault(name, position)
    for name in COLUMNS:
        if name not in seen:
            problems.append(f"{where}, {_HEADER_ROW}, column {name!r}: the column is missing. "
                            f"Fix: make the first row {_EXAMPLE} (found: {', '.join(map(repr, header)) or 'nothing'}).")
    return seen, problems


def _check_rows(rows, index: dict[str, int], header: list[str], where: str):
    problems: list[str] = []
    records: list[tuple[str, str, str, str]] = []
    first_seen: dict[tuple[str, str, str], int] = {}
    names = [h.strip() or f"column {i}" for i, h in enumerate(header, start=1)]
    for number, cells in rows:
        place = f"{where}, {_row(number)}"
        if len(cells) != len(header):
            missing = names[len(cells)] if len(cells) < len(header) else None
            column = f", column {missing!r}" if missing else ""
            problems.append(f"{place}{column}: the row has {len(cells)} value(s) but the header has {len(header)}. "
                            "Fix: give the row exactly one value per column; quote any value that contains a comma.")
            continue
        bad = False
        for position, cell in enumerate(cells):
            if _looks_like_formula(cell):
                problems.append(f"{place}, column {names[position]!r}: the value {cell!r} looks like a spreadsheet "
                                "formula. Fix: remove the leading =, +, - or @ (votes are plain words).")
                bad = True
        if bad:
            continue
        respondent, motion, phase, vote = (cells[index[c]].strip() for c in COLUMNS)
        for column, value in (("respondent", respondent), ("motion_id", motion)):
            if not value:
                problems.append(f"{place}, column {column!r}: the cell is empty. Fix: fill it in "
                                + ("with the voter's anonymous code." if column == "respondent" else
                                   "with the motion's short id, the same on every row for that motion."))
                bad = True
        if "@" in respondent:
            problems.append(f"{place}, column 'respondent': the value looks like an e-mail address. "
                            "Fix: replace every name or address with an anonymous code such as v07.")
            bad = True
        elif respondent and not CODE.fullmatch(respondent):
            problems.append(f"{place}, column 'respondent': {_NOT_A_CODE}")
            bad = True
        phase, vote = phase.lower(), vote.lower()
        if phase not in PHASES:
            problems.append(f"{place}, column 'phase': the value {cells[index['phase']]!r} is not allowed. "
                            f"Fix: use one of: {', '.join(PHASES)}.")
            bad = True
        if vote not in VOTES:
            problems.append(f"{place}, column 'vote': the value {cells[index['vote']]!r} is not allowed. "
                            f"Fix: use one of: {', '.join(VOTES)}.")
            bad = True
        if bad:
            continue
        key = (respondent, motion, phase)
        if key in first_seen:
            problems.append(f"{place}, column 'respondent': {respondent!r} already voted on {motion!r} {phase} "
                            f"the debate in row {first_seen[key]}. Fix: keep one of the two rows (one vote per "
                            "person, motion and phase).")
            continue
        first_seen[key] = number
        records.append((respondent, motion, phase, vote))
    return records, problems, first_seen


def _one_phase_warnings(first_seen: dict[tuple[str, str, str], int], where: str) -> list[str]:
    """One line for each motion with votes in only one phase: counted, but often a misspelt motion_id."""
    rows: dict[str, dict[str, int]] = {}
    for (_, motion, phase), number in first_seen.items():
        rows.setdefault(motion, {}).setdefault(phase, number)  # rows come in file order: the first is kept
    warnings = []
    for motion, phases in rows.items():
        if len(phases) == 2:
            continue
        (phase, number), = phases.items()
        other = "after" if phase == "before" else "before"
        candidates = [m for m, p in rows.items() if m != motion and other in p]
        close = difflib.get_close_matches(motion, candidates, n=1, cutoff=0.6)
        slip = (f"if {motion!r} and {close[0]!r} are the same motion, spell them the same on every row" if close
                else "if the motion's id is misspelt, spell it the same on every row")
        warnings.append(f"{where}, {_row(number)}, column 'motion_id': {motion!r} has votes {phase} the debate but "
                        f"none {other}, so it is counted with no swing. Fix: {slip}; if the {other} vote has not "
                        "been taken yet, nothing needs fixing.")
    return warnings


def read_votes(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check a class vote file; return one row per vote (respondent, motion_id, phase, vote).

    Raises PollError, naming the file, row and column of each problem and its fix. Other columns in the
    file are ignored. The file is opened for reading only. A motion with votes in only one phase is
    counted, and the table's ``attrs["warnings"]`` holds one line for each such motion.
    """
    path = Path(path)
    where = str(path)
    raw = _read_bytes(path, where)
    text = _decode(raw, where)
    if not text.strip():
        raise PollError([f"{where}, {_HEADER_ROW}: the file is empty. "
                         f"Fix: start it with the header row {_EXAMPLE}, then one row per vote."])
    header, rows, problems = _parse(text, where)
    if problems and not header:
        raise PollError(problems)  # the header itself could not be read
    index, header_problems = _check_header(header, where)
    problems = header_problems + problems
    if header_problems:
        raise PollError(problems)
    records, row_problems, first_seen = _check_rows(rows, index, header, where)
    problems += row_problems
    if problems:
        raise PollError(problems)
    if not records:
        raise PollError([f"{where}, row 2: the file has a header but no votes. "
                         "Fix: add one row per vote under the header."])
    votes = pd.DataFrame(records, columns=list(COLUMNS)).astype("string")
    votes.attrs["warnings"] = _one_phase_warnings(first_seen, where)
    return votes


def example_file() -> Path:
    """The synthetic example vote file that ships with the datasets (for notebooks: no paths to type)."""
    from .paths import datasets_dir

    return datasets_dir() / "class_vote_example.csv"


def _checked(votes: pd.DataFrame) -> pd.DataFrame:
    """Check a table of votes built in a notebook the same way a file is checked."""
    if not isinstance(votes, pd.DataFrame):
        raise PollError([f"swing: expected a table of votes (a pandas DataFrame), not {type(votes).__name__}. "
                         "Fix: pass the result of read_votes(path)."])
    missing = [c for c in COLUMNS if c not in votes.columns]
    if missing:
        raise PollError([f"votes table, column {c!r}: the column is missing. Fix: give the table the columns "
                         + ", ".join(COLUMNS) + "." for c in missing])
    table = votes[list(COLUMNS)].astype("string").apply(lambda s: s.str.strip())
    table["phase"], table["vote"] = table["phase"].str.lower(), table["vote"].str.lower()
    problems = []
    for column, allowed in (("phase", PHASES), ("vote", VOTES)):
        for position, value in table.loc[~table[column].isin(allowed), column].items():
            problems.append(f"votes table, row {position}, column {column!r}: the value {value!r} is not allowed. "
                            f"Fix: use one of: {', '.join(allowed)}.")
    for column in ("respondent", "motion_id"):
        for position in table.index[table[column].isna() | (table[column] == "")]:
            problems.append(f"votes table, row {position}, column {column!r}: the cell is empty. Fix: fill it in.")
    codes = table["respondent"].fillna("")
    for position in table.index[(codes != "") & ~codes.map(lambda c: CODE.fullmatch(c) is not None).astype(bool)]:
        problems.append(f"votes table, row {position}, column 'respondent': {_NOT_A_CODE}")
    repeated = table.duplicated(["respondent", "motion_id", "phase"], keep="first") & table["respondent"].notna()
    for position in table.index[repeated]:
        problems.append(f"votes table, row {position}, column 'respondent': a second vote by the same respondent "
                        "on the same motion and phase. Fix: keep one vote per person, motion and phase.")
    if problems:
        raise PollError(problems)
    return table


def swing(votes: pd.DataFrame, min_group: int = MIN_GROUP, *, tie_points: float = TIE_POINTS) -> pd.DataFrame:
    """Count each motion's votes before and after the debate, and the Oxford-style swing.

    One row per motion, in the order the motions first appear: for each phase the number of votes, the
    count for, against and undecided, and each as a percentage of that phase's votes; ``swing_for`` and
    ``swing_against`` (the change in percentage points from before to after); and ``winner``: the side
    whose share grew more, or ``tie`` when the larger swing is under ``tie_points`` points or both are equal.
    A phase with fewer than ``min_group`` votes (but at least one) is suppressed to keep its voters
    anonymous: its numbers are left empty, never shown, and ``note`` says why. The other phase is still
    shown if it is large enough, but a motion with a suppressed or empty phase has no swing and no winner.
    ``min_group`` may be raised above 5, never lowered.
    """
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < MIN_GROUP:
        raise PollError([f"swing: min_group must be a whole number of at least {MIN_GROUP}, not {min_group!r}. "
                         f"Fix: leave it at {MIN_GROUP} unless your school's rule is larger."])
    table = _checked(votes)
    rows = []
    for motion in pd.unique(table["motion_id"]):
        mine = table[table["motion_id"] == motion]
        row: dict[str, object] = {"motion_id": motion}
        notes = []
        shown = {}
        for phase in PHASES:
            counts = mine.loc[mine["phase"] == phase, "vote"].value_counts()
            total = int(counts.sum())
            visible = total >= min_group
            shown[phase] = visible
            row[f"n_{phase}"] = total if visible else pd.NA
            for side in VOTES:
                count = int(counts.get(side, 0))
                row[f"{side}_{phase}"] = count if visible else pd.NA
                row[f"pct_{side}_{phase}"] = 100.0 * count / total if visible else pd.NA
            if total == 0:
                notes.append(f"no votes {phase} the debate yet")
            elif not visible:
                notes.append(f"fewer than {min_group} votes {phase} the debate: suppressed to keep voters anonymous")
        if shown["before"] and shown["after"]:
            gain_for = row["pct_for_after"] - row["pct_for_before"]
            gain_against = row["pct_against_after"] - row["pct_against_before"]
            row["swing_for"], row["swing_against"] = gain_for, gain_against
            larger = max(gain_for, gain_against)
            if larger < tie_points:
                row["winner"] = "tie"
                notes.append(f"the larger swing is under {tie_points:g} points: a tie")
            elif abs(gain_for - gain_against) < 1e-9:
                row["winner"] = "tie"
                notes.append("equal swings: a tie")
            else:
                row["winner"] = "for" if gain_for > gain_against else "against"
        else:
            row["swing_for"] = row["swing_against"] = pd.NA
            row["winner"] = pd.NA
        row["note"] = "; ".join(notes)
        rows.append(row)
    columns = ["motion_id"] + [f"{k}_{p}" for p in PHASES for k in ("n", *VOTES)] + [
        f"pct_{side}_{p}" for p in PHASES for side in VOTES] + ["swing_for", "swing_against", "winner", "note"]
    result = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column.startswith("n_") or column.split("_")[0] in VOTES:
            result[column] = result[column].astype("Int64")
        elif column.startswith(("pct_", "swing_")):
            result[column] = result[column].astype("Float64")
        else:
            result[column] = result[column].astype("string")
    return result


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote; leave numbers alone."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def write_results(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a results table as CSV, with every formula-like text cell (and column name) neutralised.

    The file is written to a temporary name first and then renamed, so a failure never leaves half a file.
    A missing folder raises PollError naming the path asked for.
    """
    path = Path(path)
    safe = df.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_bool_dtype(safe[column])):
            safe[column] = safe[column].map(neutralise, na_action="ignore")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PollError([f"{path}: the folder {str(folder)!r} does not exist, so the results cannot be written "
                         "there. Fix: make the folder first, or choose a path in a folder that exists."])
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", suffix=".tmp", prefix=f".{path.name}.",
                                         dir=folder, delete=False)
    try:
        with handle:
            safe.to_csv(handle, index=False, float_format="%.1f")
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


def summary_lines(result: pd.DataFrame, min_group: int = MIN_GROUP, tie_points: float = TIE_POINTS) -> list[str]:
    """Plain-language lines describing each motion's swing, for the command line."""
    verdicts = {"for": "the side for the motion", "against": "the side against the motion",
                "tie": "neither side (a tie)"}
    lines = []
    for row in result.itertuples(index=False):
        lines.append(f"Motion {row.motion_id}:")
        for phase in PHASES:
            n = getattr(row, f"n_{phase}")
            if pd.isna(n):
                why = "no votes" if f"no votes {phase}" in row.note else f"fewer than {min_group} votes"
                lines.append(f"  {phase:<7} not shown ({why})")
                continue
            parts = ", ".join(f"{side} {getattr(row, f'{side}_{phase}')} ({getattr(row, f'pct_{side}_{phase}'):.1f}%)"
                              for side in VOTES)
            lines.append(f"  {phase:<7} {n} votes: {parts}")
        if pd.isna(row.winner):
            missing = [phase for phase in PHASES if pd.isna(getattr(row, f"n_{phase}"))]
            votes = " and ".join(missing) + (" votes are" if len(missing) > 1 else " vote is")
            lines.append(f"  Swing: not computed, because the {votes} not shown; no winner is given.")
        else:
            lines.append(f"  Swing: for {row.swing_for:+.1f} points, against {row.swing_against:+.1f} points. "
                         f"Won on the swing by {verdicts[row.winner]}.")
    lines.append(f"Rule: the side whose share of the vote grew more wins; a larger swing under {tie_points:g} "
                 f"percentage points is a tie. Groups of fewer than {min_group} votes are never shown, and a motion "
                 "with a group not shown has no swing.")
    return lines


def headline(result: pd.DataFrame, where: str, min_group: int = MIN_GROUP) -> str:
    """The first line for the command line: it counts only the votes shown, so no hidden group's size follows."""
    shown = sum(int(result[f"n_{phase}"].fillna(0).sum()) for phase in PHASES)
    hidden = any(f"fewer than {min_group} votes" in str(note) for note in result["note"])
    tail = f"; some groups are hidden because they have fewer than {min_group} votes" if hidden else ""
    return f"Class vote: {where}: {shown} votes shown on {result.shape[0]} motion(s){tail}."
