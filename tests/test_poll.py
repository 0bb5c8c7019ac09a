"""The class vote: reading vote files safely, the Oxford-style swing, small-group suppression and the CLI."""

from __future__ import annotations

import contextlib
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepingscore import poll
from keepingscore.__main__ import main
from keepingscore.errors import DataError

from .conftest import DATASETS, ROOT

EXAMPLE = DATASETS / "class_vote_example.csv"
HEADER = "respondent,motion_id,phase,vote\n"
GOOD_ROWS = "".join(f"v{i},m1,before,for\nv{i},m1,after,{'for' if i < 3 else 'against'}\n" for i in range(6))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the command in this process; return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def write(tmp_path: Path, content: str | bytes, name: str = "votes.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------- reading and counting good files


def test_example_file_reads_and_matches_its_schema():
    votes = poll.read_votes(poll.example_file())
    assert list(votes.columns) == ["respondent", "motion_id", "phase", "vote"]
    assert set(votes.phase) == {"before", "after"} and set(votes.vote) <= {"for", "against", "undecided"}
    assert not votes.duplicated(["respondent", "motion_id", "phase"]).any()
    assert poll.example_file() == EXAMPLE


def test_swing_counts_shares_and_names_the_winner():
    result = poll.swing(poll.read_votes(EXAMPLE)).set_index("motion_id")
    west = result.loc["west-has-social-credit"]
    assert (west.n_before, west.for_before, west.against_before, west.undecided_before) == (24, 8, 10, 6)
    assert (west.n_after, west.for_after, west.against_after, west.undecided_after) == (23, 13, 9, 1)
    assert west.pct_for_before == pytest.approx(100 * 8 / 24)
    assert west.swing_for == pytest.approx(100 * 13 / 23 - 100 * 8 / 24)
    assert west.swing_against == pytest.approx(100 * 9 / 23 - 100 * 10 / 24)
    assert west.winner == "for"
    ban = result.loc["ban-social-scoring"]
    assert ban.swing_against == pytest.approx(100 * 12 / 26 - 100 * 8 / 26) and ban.winner == "against"


def test_small_groups_are_suppressed_and_never_shown(tmp_path):
    result = poll.swing(poll.read_votes(EXAMPLE)).set_index("motion_id")
    small = result.loc["sharing-blacklists"]
    numbers = [c for c in result.columns if c not in {"winner", "note"}]
    assert all(pd.isna(small[c]) for c in numbers) and pd.isna(small.winner)
    assert "fewer than 5 votes" in small.note
    out = tmp_path / "results.csv"
    status, stdout, _ = run_cli("poll", str(EXAMPLE), "--out", str(out))
    assert status == 0
    block = stdout.split("Motion sharing-blacklists:")[1].split("Rule:")[0]
    assert "not shown" in block and not any(ch.isdigit() and ch != "5" for ch in block)
    row = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("motion_id").loc["sharing-blacklists"]
    assert all(row[c] == "" for c in numbers if c != "motion_id")
    larger = poll.swing(poll.read_votes(EXAMPLE), min_group=25).set_index("motion_id")
    assert pd.isna(larger.loc["west-has-social-credit", "n_before"])
    assert larger.loc["ban-social-scoring", "n_after"] == 26


@pytest.mark.parametrize("small", [0, 1, 3, 4])
def test_min_group_can_be_raised_but_never_lowered_below_five(small):
    with pytest.raises(poll.PollError, match="at least 5"):
        poll.swing(poll.read_votes(EXAMPLE), min_group=small)
    status, stdout, stderr = run_cli("poll", str(EXAMPLE), "--min-group", str(small))
    assert status == 2 and stdout == "" and len(stderr.strip().splitlines()) == 1
    assert stderr.startswith(f"error: --min-group {small}:") and "Fix:" in stderr


def test_one_small_phase_hides_that_phase_and_the_swing_but_shows_the_other(tmp_path):
    rows = "".join(f"v{i},m,before,{'for' if i % 2 else 'against'}\n" for i in range(9))
    rows += "".join(f"v{i},m,after,for\n" for i in range(3))
    path = write(tmp_path, HEADER + GOOD_ROWS + rows)
    result = poll.swing(poll.read_votes(path)).set_index("motion_id")
    m = result.loc["m"]
    assert m.n_before == 9 and pd.isna(m.n_after) and pd.isna(m.for_after)
    assert pd.isna(m.swing_for) and pd.isna(m.swing_against) and pd.isna(m.winner)
    status, stdout, _ = run_cli("poll", str(path))
    assert status == 0
    block = stdout.split("Motion m:")[1].split("Rule:")[0]
    assert "before  9 votes" in block and "after   not shown (fewer than 5 votes)" in block
    assert "Swing: not computed" in block and "Won" not in block and "+" not in block
    first = stdout.splitlines()[0]
    assert "21 votes shown" in first and "some groups are hidden" in first  # 6 + 6 + 9, never the hidden 3


def test_the_first_line_does_not_hint_at_hidden_groups_when_there_are_none(tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS)
    status, stdout, _ = run_cli("poll", str(path))
    assert status == 0 and stdout.splitlines()[0].endswith("12 votes shown on 1 motion(s).")


def test_a_swing_under_five_points_is_a_tie():
    rows = [(f"v{i}", "m", "before", "for" if i < 10 else "against") for i in range(20)]
    rows += [(f"v{i}", "m", "after", "for" if i < 10 else "against") for i in range(19)]
    rows += [("v19", "m", "after", "undecided")]
    result = poll.swing(pd.DataFrame(rows, columns=poll.COLUMNS))
    assert result.loc[0, "winner"] == "tie" and result.loc[0, "swing_for"] == pytest.approx(0)
    assert "tie" in result.loc[0, "note"]


def test_a_motion_without_after_votes_has_no_swing(tmp_path):
    path = write(tmp_path, HEADER + "".join(f"v{i},m2,before,for\n" for i in range(7)))
    votes = poll.read_votes(path)
    result = poll.swing(votes)
    assert result.loc[0, "n_before"] == 7 and pd.isna(result.loc[0, "winner"])
    assert "no votes after the debate yet" in result.loc[0, "note"]
    (warning,) = votes.attrs["warnings"]
    assert f"{path}, row 2" in warning and "column 'motion_id'" in warning and "Fix:" in warning


def test_a_misspelt_motion_id_is_counted_with_a_warning_naming_row_column_and_fix(tmp_path):
    rows = "".join(f"v{i},west,before,for\nv{i},wets,after,against\n" for i in range(6))
    path = write(tmp_path, HEADER + GOOD_ROWS + rows)
    before = sha(path)
    status, stdout, stderr = run_cli("poll", str(path))
    assert status == 0 and "Motion m1:" in stdout and "Motion west:" in stdout
    lines = stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"warning: {path}, row ") for line in lines)
    assert all("column 'motion_id'" in line and "Fix:" in line for line in lines)
    assert "row 14" in lines[0] and "'west' and 'wets' are the same motion" in lines[0]
    assert "row 15" in lines[1] and "none before" in lines[1]
    assert sha(path) == before
    assert poll.read_votes(EXAMPLE).attrs["warnings"] == []


def test_spelling_and_spacing_are_forgiven(tmp_path):
    path = write(tmp_path, "\ufeffRespondent , Motion_ID,Phase,Vote,timestamp\n a1 ,m, Before ,FOR,9am\n")
    votes = poll.read_votes(path)
    assert votes.iloc[0].tolist() == ["a1", "m", "before", "for"]


def test_swing_checks_a_hand_made_table():
    with pytest.raises(poll.PollError, match="column 'vote': the column is missing"):
        poll.swing(pd.DataFrame({"respondent": ["a"], "motion_id": ["m"], "phase": ["before"]}))
    with pytest.raises(poll.PollError, match="'maybe' is not allowed"):
        poll.swing(pd.DataFrame([("a1", "m", "before", "maybe")], columns=poll.COLUMNS))
    with pytest.raises(poll.PollError, match="replace the name with a code such as v07"):
        poll.swing(pd.DataFrame([("José García", "m", "before", "for")], columns=poll.COLUMNS))
    with pytest.raises(poll.PollError, match="min_group"):
        poll.swing(poll.read_votes(EXAMPLE), min_group=0)


@pytest.mark.parametrize("code", ["v07", "V7", "b12", "a01", "p3", "7", "abcd1234"])
def test_the_codes_the_book_uses_are_accepted(tmp_path, code):
    path = write(tmp_path, HEADER + f"{code},m,before,for\n")
    assert poll.read_votes(path).respondent.tolist() == [code]


def test_every_code_in_the_example_file_and_the_notebook_votes_is_accepted():
    from keepingscore.opinion import example_votes

    for codes in (poll.read_votes(EXAMPLE).respondent, example_votes().respondent):
        assert all(poll.CODE.fullmatch(c) for c in codes)


def test_poll_errors_are_data_errors():
    assert issubclass(poll.PollError, DataError)


# ---------------------------------------------------------------- every kind of bad input


BAD = {
    "missing column": (HEADER.replace(",vote", "") + "v1,m,before\n", ["row 1", "column 'vote'", "missing"]),
    "unknown phase": (HEADER + "v1,m,during,for\n", ["row 2", "column 'phase'", "'during'", "before, after"]),
    "unknown vote": (HEADER + "v1,m,before,for\nv2,m,before,maybe\n",
                     ["row 3", "column 'vote'", "'maybe'", "for, against, undecided"]),
    "duplicate": (HEADER + "v1,m,before,for\nv2,m,before,for\nv1,m,before,against\n",
                  ["row 4", "column 'respondent'", "row 2", "keep one"]),
    "formula =": (HEADER + "v1,m,before,=1+1\n", ["row 2", "column 'vote'", "formula"]),
    "formula +": (HEADER + "+v1,m,before,for\n", ["row 2", "column 'respondent'", "formula"]),
    "formula -": (HEADER + "v1,-m,before,for\n", ["row 2", "column 'motion_id'", "formula"]),
    "formula @": (HEADER + "v1,m,@before,for\n", ["row 2", "column 'phase'", "formula"]),
    "formula in header": ("=respondent,motion_id,phase,vote\n", ["row 1", "formula"]),
    "non-UTF-8": ((HEADER + "v1,m,before,for\nv2,m,before,caf\xe9\n").encode("latin-1"),
                  ["row 3", "column 'vote'", "UTF-8"]),
    "UTF-16": ("respondent,motion_id,phase,vote\nv1,m,before,for\n".encode("utf-16"), ["row 1", "UTF-8"]),
    "empty": (b"", ["row 1", "empty"]),
    "blank lines only": ("\n  \n\n", ["row 1", "empty"]),
    "header only": (HEADER, ["row 2", "no votes"]),
    "short row": (HEADER + "v1,m,before\n", ["row 2", "column 'vote'", "3 value(s)"]),
    "long row": (HEADER + "v1,m,before,for,extra\n", ["row 2", "5 value(s)"]),
    "broken quotes": (HEADER + 'v1,m,before,"for\n', ["row 2", "quote"]),
    "broken header": ('respondent,"motion_id\n', ["row 1", "quote"]),
    "empty respondent": (HEADER + ",m,before,for\n", ["row 2", "column 'respondent'", "empty"]),
    "e-mail as respondent": (HEADER + "ana.lee@school.org,m,before,for\n", ["row 2", "column 'respondent'",
                                                                           "anonymous"]),
    "full name as respondent": (HEADER + "v1,m,before,for\nJosé García,m,before,for\n",
                                ["row 3", "column 'respondent'", "replace the name with a code such as v07"]),
    "first name as respondent": (HEADER + "Ann,m,after,for\n", ["row 2", "column 'respondent'", "may be a name"]),
    "code with a space": (HEADER + "v 07,m,after,for\n", ["row 2", "column 'respondent'", "code such as v07"]),
    "semicolons": ("respondent;motion_id;phase;vote\nv1;m;before;for\n", ["row 1", "semicolons", "comma"]),
    "tabs": ("respondent\tmotion_id\tphase\tvote\nv1\tm\tbefore\tfor\n", ["row 1", "tabs", "comma"]),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_gets_one_line_naming_file_row_column_and_fix(tmp_path, case):
    content, expected = BAD[case]
    path = write(tmp_path, content)
    before = sha(path)
    with pytest.raises(poll.PollError) as info:
        poll.read_votes(path)
    message = str(info.value)
    assert len(message.splitlines()) == 1, message
    assert str(path) in message and "Fix:" in message
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
    status, stdout, stderr = run_cli("poll", str(path))
    assert status == 2 and stdout == ""
    assert stderr.strip() == f"error: {message}"
    assert "Traceback" not in stderr
    assert sha(path) == before


def test_several_problems_are_each_listed_on_their_own_line(tmp_path):
    path = write(tmp_path, HEADER + "v1,m,during,for\nv2,m,before,maybe\nv3,m,after,=cmd|' /C calc'!A0\n")
    with pytest.raises(poll.PollError) as info:
        poll.read_votes(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 3 and all("Fix:" in line for line in lines)
    assert ["row 2" in lines[0], "row 3" in lines[1], "row 4" in lines[2]] == [True] * 3


def test_missing_file_and_folder(tmp_path):
    for target, words in ((tmp_path / "nope.csv", "no such file"), (tmp_path, "folder")):
        status, _, stderr = run_cli("poll", str(target))
        assert status == 2 and words in stderr and "Fix:" in stderr and "Traceback" not in stderr


def test_a_file_over_50_mb_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(poll.MAX_BYTES + 1)  # sparse: costs no disk
    before = sha(path)
    status, _, stderr = run_cli("poll", str(path))
    assert status == 2 and "50 MB" in stderr and str(path) in stderr and "Fix:" in stderr
    assert sha(path) == before


def test_results_never_overwrite_the_vote_file(tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS)
    before = sha(path)
    status, _, stderr = run_cli("poll", str(path), "--out", str(path))
    assert status == 2 and "never overwritten" in stderr and sha(path) == before


def test_write_results_neutralises_formula_like_cells(tmp_path):
    frame = pd.DataFrame({"=name": ["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "\tx", "plain", None],
                          "swing": [-2.5, 1.0, 0.0, 3.0, 4.0, 5.0, 6.0]})
    out = poll.write_results(frame, tmp_path / "out.csv")
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(back.columns) == ["'=name", "swing"]
    assert back["'=name"].tolist() == ["'=HYPERLINK(\"x\")", "'+1", "'-cmd", "'@SUM(A1)", "'\tx", "plain", ""]
    assert back["swing"].tolist()[0] == "-2.5"  # numbers stay numbers
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_prints_each_motion_and_writes_results(tmp_path):
    out = tmp_path / "results.csv"
    before = sha(EXAMPLE)
    status, stdout, stderr = run_cli("poll", str(EXAMPLE), "--out", str(out))
    assert status == 0 and stderr == ""
    for motion in ("west-has-social-credit", "ban-social-scoring", "sharing-blacklists"):
        assert f"Motion {motion}:" in stdout
    assert "Won on the swing by the side for the motion" in stdout
    assert "Won on the swing by the side against the motion" in stdout
    assert out.is_file() and sha(EXAMPLE) == before


def test_unwritable_results_folder_is_explained(tmp_path):
    target = tmp_path / "no" / "such" / "r.csv"
    status, stdout, stderr = run_cli("poll", str(EXAMPLE), "--out", str(target))
    assert status == 2 and stderr.startswith(f"error: {target}: ") and "Fix:" in stderr and "Traceback" not in stderr
    assert ".tmp" not in stderr and len(stderr.strip().splitlines()) == 1 and stdout == ""
    with pytest.raises(poll.PollError, match="does not exist"):
        poll.write_results(pd.DataFrame({"a": [1]}), target)
    status, _, stderr = run_cli("poll", str(EXAMPLE), "--out", str(tmp_path))
    assert status == 2 and "folder" in stderr and "Fix:" in stderr


@pytest.mark.parametrize("content, status, needle", [
    (None, 0, "Won on the swing"),
    (HEADER + "v1,m,before,=1+1\n", 2, "formula"),
    (b"\xff\xfe\x00garbage", 2, "UTF-8"),
])
def test_cli_in_a_subprocess(tmp_path, content, status, needle):
    path = EXAMPLE if content is None else write(tmp_path, content)
    before = sha(path)
    result = subprocess.run([sys.executable, "-m", "keepingscore", "poll", str(path), "--out",
                             str(tmp_path / "r.csv")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == status
    assert needle in (result.stdout if status == 0 else result.stderr)
    assert "Traceback" not in result.stderr
    if status == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert sha(path) == before


# ---------------------------------------------------------------- fuzzing: nothing crashes


CELLS = st.one_of(
    st.sampled_from(["v1", "v2", "v3", "m", "m2", "before", "after", "for", "against", "undecided", "", " ",
                     "=1", "+1", "-1", "@x", "\"", "a,b", "é", "\x00", "BEFORE", "x@y", "José García", "Ann", ";"]),
    st.text(max_size=8),
)
HEADERS = st.one_of(st.just(list(poll.COLUMNS)), st.permutations(list(poll.COLUMNS)),
                    st.lists(st.sampled_from([*poll.COLUMNS, "extra", "", "=x"]), max_size=6))


@st.composite
def csv_texts(draw):
    header = draw(HEADERS)
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=30))
    sep = draw(st.sampled_from(["\n", "\r\n"]))
    return sep.join(",".join(row) for row in [header, *rows]) + draw(st.sampled_from(["", sep]))


def _never_crashes(path: Path) -> None:
    before = sha(path)
    try:
        votes = poll.read_votes(path)
    except poll.PollError as exc:
        lines = str(exc).splitlines()
        assert lines and all(str(path) in line or line.startswith("...") for line in lines)
        assert all("Fix:" in line or line.startswith("...") for line in lines)
    else:
        assert list(votes.columns) == list(poll.COLUMNS) and len(votes) > 0
        assert all(poll.CODE.fullmatch(code) for code in votes.respondent)  # never a name
        assert all(str(path) in line and "column 'motion_id'" in line and "Fix:" in line
                   for line in votes.attrs["warnings"])
        result = poll.swing(votes)
        poll.summary_lines(result)
        for n in ("n_before", "n_after"):
            assert ((result[n] >= 5) | result[n].isna()).all()
    status, _, stderr = run_cli("poll", str(path))
    assert status in {0, 2} and "Traceback" not in stderr
    assert sha(path) == before


# No example database: the fuzz tests leave no folder behind in the project.
FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(raw=st.binary(max_size=400))
def test_random_bytes_never_crash(tmp_path, raw):
    _never_crashes(write(tmp_path, raw, "fuzz.csv"))


@FUZZ
@given(text=csv_texts())
def test_random_csv_text_never_crashes(tmp_path, text):
    _never_crashes(write(tmp_path, text.encode("utf-8", errors="surrogatepass"), "fuzz.csv"))


@FUZZ
@given(rows=st.lists(st.tuples(st.sampled_from(["a1", "b2", "c3", "d4", "e5", "f6", "g7"]), st.sampled_from(["m", "n"]),
                               st.sampled_from(poll.PHASES), st.sampled_from(poll.VOTES)), max_size=60))
def test_valid_votes_always_count_and_shares_add_up(tmp_path, rows):
    kept = {(r, m, p): vote for r, m, p, vote in rows}  # one vote per person, motion and phase
    lines = [f"{r},{m},{p},{vote}" for (r, m, p), vote in kept.items()]
    path = write(tmp_path, HEADER + "".join(line + "\n" for line in lines), "valid.csv")
    if not lines:
        with pytest.raises(poll.PollError, match="no votes"):
            poll.read_votes(path)
        return
    result = poll.swing(poll.read_votes(path))
    for row in result.itertuples():
        for phase in poll.PHASES:
            n = getattr(row, f"n_{phase}")
            if not pd.isna(n):
                assert sum(getattr(row, f"{s}_{phase}") for s in poll.VOTES) == n
                assert sum(getattr(row, f"pct_{s}_{phase}") for s in poll.VOTES) == pytest.approx(100)
