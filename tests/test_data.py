import hashlib
import shutil

import pandas as pd
import pytest

from keepingscore import data
from keepingscore.errors import DataError, UnknownDatasetError

from .conftest import DATASETS

NAMES = data.names()


def test_the_expected_datasets_exist():
    assert {"timeline", "systems", "rubric_criteria", "rubric_scores", "evidence_cards", "glossary",
            "town_sample"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_validates(name):
    assert data.validate(name, use_cache=False) == []


def test_a_passed_check_is_remembered_until_a_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "datasets"
    shutil.copytree(DATASETS, folder)
    assert data.validate("systems", folder) == []
    assert len(list((tmp_path / "cache").rglob("*"))) >= 1
    path = folder / "systems.csv"
    path.write_text(path.read_text(encoding="utf-8") + "orphan,Only a name\n", encoding="utf-8")
    assert data.validate("systems", folder) != []


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_loads_with_rows(name):
    frame = data.load(name)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0, f"datasets/{name} has no rows"


@pytest.mark.parametrize("name", NAMES)
def test_every_field_is_described(name):
    resource = data.describe(name)
    assert resource.get("title") and resource.get("description")
    for field in resource["schema"]["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"


def test_types_come_from_the_schema():
    town = data.load("town_sample")
    assert str(town["age"].dtype) == "Int64"
    assert str(town["has_smartphone"].dtype) == "boolean"
    assert town["monthly_spend"].dtype == float


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownDatasetError) as info:
        data.load("timelines")
    message = str(info.value)
    assert "timelines" in message and "timeline" in message and "town_sample" in message


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def broken(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(DATASETS, folder)
    path = folder / "town_sample.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[3] = "thirty"  # age, row 4 counting the header
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, path


def test_bad_cell_names_file_row_column_and_fix_and_leaves_file_alone(broken):
    folder, path = broken
    before = _sha(path)
    with pytest.raises(DataError) as info:
        data.load("town_sample", folder)
    message = str(info.value)
    assert str(path) in message
    assert "row 4" in message
    assert "'age'" in message
    assert "'thirty'" in message
    assert "Fix: write a whole number" in message
    assert _sha(path) == before


def test_value_outside_the_allowed_list_gets_the_list(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(DATASETS, folder)
    path = folder / "timeline.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "status"] = "rumoured"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"row 2 .*'status'.*use one of: documented, reported, disputed"):
        data.load("timeline", folder)


def test_short_row_is_reported(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(DATASETS, folder)
    path = folder / "systems.csv"
    path.write_text(path.read_text(encoding="utf-8") + "orphan,Only a name\n", encoding="utf-8")
    with pytest.raises(DataError, match="as many values as the header"):
        data.load("systems", folder)


def test_broken_datapackage_json_is_explained(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(DATASETS, folder)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"resources":', '"resources"'))
    with pytest.raises(DataError, match=r"datapackage.json: line \d+, column \d+: not valid JSON"):
        data.load("timeline", folder)


def test_missing_file_is_explained(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(DATASETS, folder)
    (folder / "glossary.csv").unlink()
    with pytest.raises(DataError, match="glossary.csv: the file is missing"):
        data.load("glossary", folder)


def test_an_installed_wheel_carries_the_datasets_and_bibliography(tmp_path):
    """The Colab and JupyterHub route (`pip install .`) must work away from the project folder."""
    import subprocess
    import sys
    import zipfile

    root = DATASETS.parent
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(root), "--no-deps", "-q", "-w", str(tmp_path)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("keepingscore-*.whl"))
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    # The unpacked wheel goes first on the path, ahead of the editable install of the project itself.
    code = (f"import sys; sys.path.insert(0, {str(unpacked)!r}); "
            "import keepingscore.data as d, keepingscore.references as r; "
            "print(d.datasets_dir().name, len(d.load('timeline')) > 0, len(r.keys()) > 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["_datasets", "True", "True"]


def test_the_rubric_rates_every_system_on_every_question_with_a_source():
    from keepingscore.references import keys

    systems = data.load("systems")
    criteria = set(data.load("rubric_criteria")["criterion_id"])
    scores = data.load("rubric_scores")
    assert not scores.duplicated(["system_id", "criterion_id"]).any()
    for system in systems.system_id:
        rated = set(scores.loc[scores.system_id == system, "criterion_id"])
        assert rated == criteria, f"{system}: missing {sorted(criteria - rated)}"
    assert set(scores.system_id) <= set(systems.system_id)
    # Every cell is sourced, and marked documented, reported, disputed or (our) judgement.
    assert set(scores.source_key) <= keys()
    assert set(scores.status) <= {"documented", "reported", "disputed", "judgement"}
    chapters = {p.stem for p in (DATASETS.parent / "book").glob("*.md")}
    assert set(systems.chapter) <= chapters, set(systems.chapter) - chapters
