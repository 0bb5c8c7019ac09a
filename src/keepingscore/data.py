"""Load the book's datasets as pandas DataFrames, validated against datapackage.json first."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import DataError, UnknownDatasetError
from .paths import datasets_dir

__all__ = ["load", "names", "describe", "validate", "DataError", "UnknownDatasetError"]

# How each Frictionless field type becomes a pandas column.
_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "year": "Int64",
}

_MAX_LISTED_ERRORS = 10

_FRIENDLY_TYPES = {
    "integer": "a whole number",
    "number": "a number (use a dot for decimals, no thousands separators)",
    "boolean": "true or false",
    "date": "a date written YYYY-MM-DD",
    "year": "a four-digit year",
}


def _descriptor(folder: Path) -> dict:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}). "
            "Fix: correct the JSON syntax at that place (a missing comma or quote is the usual cause)."
        ) from None


def _resources(folder: Path) -> dict[str, dict]:
    return {r["name"]: r for r in _descriptor(folder).get("resources", [])}


def names(folder: Path | None = None) -> list[str]:
    """Return the names of every dataset defined in datapackage.json."""
    return sorted(_resources(folder or datasets_dir()))


def describe(name: str, folder: Path | None = None) -> dict:
    """Return the datapackage.json entry (title, description, schema) for one dataset."""
    folder = folder or datasets_dir()
    resources = _resources(folder)
    if name not in resources:
        known = ", ".join(sorted(resources)) or "(none)"
        raise UnknownDatasetError(
            f"There is no dataset called {name!r} in {folder / 'datapackage.json'}. "
            f"Known datasets: {known}. Fix: use one of those names (check the spelling)."
        )
    return resources[name]


def _fix_for(error: dict, field: dict | None) -> str:
    kind = error.get("type", "")
    if kind == "type-error" and field is not None:
        return f"write {_FRIENDLY_TYPES.get(field['type'], 'a ' + field['type'])} in that cell"
    if kind == "constraint-error" and field is not None:
        constraints = field.get("constraints", {})
        if "enum" in constraints:
            return "use one of: " + ", ".join(map(str, constraints["enum"]))
        if constraints.get("required"):
            return "fill in the empty cell"
        return f"make the value meet the rule {json.dumps(constraints)}"
    if kind in {"missing-cell", "extra-cell"}:
        return "give the row exactly as many values as the header has columns; quote any value that contains a comma"
    if kind in {"unique-error", "primary-key"}:
        return "make the value unique: another row already has it"
    if kind in {"incorrect-label", "missing-label", "extra-label", "blank-label", "duplicate-label"}:
        return "make the header row match the schema's field names, in order"
    if kind == "foreign-key":
        return (
            "use an id that exists in the dataset it refers to (see foreignKeys in datapackage.json), "
            "or add it there"
        )
    if kind == "blank-row":
        return "delete the empty row"
    return "correct the value so that it matches the schema in datapackage.json"


@lru_cache(maxsize=64)
def _validate_cached(path: str, name: str, package_json: str, stamps: tuple) -> tuple[str, ...]:
    # `stamps` (every file's size and modification time) is only part of the cache key.
    from frictionless import Package, system

    folder = Path(path).parent
    with system.use_context(trusted=True):
        package = Package(json.loads(package_json), basepath=str(folder))
        resource = package.get_resource(name)
        fields = {f.name: f.to_descriptor() for f in resource.schema.fields}
        report = resource.validate()
    messages = []
    for task in report.tasks:
        for error in task.errors:
            e = error.to_descriptor()
            row = e.get("rowNumber")
            column = e.get("fieldName") or e.get("label")
            where = [f"{path}"]
            if row is not None:
                where.append(f"row {row} (counting the header as row 1)")
            if column:
                where.append(f"column {column!r}")
            cell = e.get("cell")
            problem = (
                f"the value {cell!r} is not allowed" if cell not in (None, "")
                else (e.get("note") or e.get("message", "problem"))
            )
            messages.append(f"{', '.join(where)}: {problem}. Fix: {_fix_for(e, fields.get(column))}.")
    for error in report.errors:
        messages.append(f"{path}: {error.message}")
    return tuple(messages)


@lru_cache(maxsize=1)
def _checker_version() -> bytes:
    from importlib.metadata import version

    # A change to these checks or to Frictionless invalidates every remembered result.
    return version("frictionless").encode() + Path(__file__).read_bytes()


def _stamp_file(folder: Path, name: str) -> Path:
    """Where a passed validation is remembered: keyed by the schema and every CSV's bytes."""
    digest = hashlib.sha256(name.encode())
    digest.update(_checker_version())
    for path in [folder / "datapackage.json", *sorted(folder.glob("*.csv"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "keepingscore" / "validated"
    return base / digest.hexdigest()


def validate(name: str, folder: Path | None = None, *, use_cache: bool = True) -> list[str]:
    """Return the list of problems in one dataset (empty when it matches its schema).

    Frictionless takes a second or two to start, so a dataset that passed is remembered (by a hash
    of its schema and data) and is not checked again until a file changes.
    """
    folder = folder or datasets_dir()
    resource = describe(name, folder)
    path = folder / resource["path"]
    if not path.is_file():
        return [
            f"{path}: the file is missing. Fix: add it, or correct the 'path' of the resource "
            f"{name!r} in {folder / 'datapackage.json'}."
        ]
    stamp = _stamp_file(folder, name) if use_cache else None
    if stamp is not None and stamp.exists():
        return []
    stamps = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.csv"))
    )
    package_json = json.dumps(_descriptor(folder))
    problems = list(_validate_cached(str(path), name, package_json, stamps))
    if not problems and stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            pass  # a read-only home folder only costs speed
    return problems


def load(name: str, folder: Path | None = None, *, check: bool = True) -> pd.DataFrame:
    """Load one dataset by name as a DataFrame, after checking it against its schema."""
    folder = folder or datasets_dir()
    resource = describe(name, folder)
    path = folder / resource["path"]
    if check:
        problems = validate(name, folder)
        if problems:
            shown = problems[:_MAX_LISTED_ERRORS]
            more = len(problems) - len(shown)
            tail = f"\n  ... and {more} more problem(s) of the same kind." if more else ""
            raise DataError(
                f"The dataset {name!r} has {len(problems)} problem(s); the file was not changed.\n  "
                + "\n  ".join(shown)
                + tail
            )
    fields = resource.get("schema", {}).get("fields", [])
    dtypes = {f["name"]: _DTYPES.get(f.get("type", "string"), "string") for f in fields}
    frame = pd.read_csv(
        path,
        dtype={k: v for k, v in dtypes.items() if v not in {"boolean", "float64"}},
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    for field in fields:
        col, kind = field["name"], field.get("type", "string")
        if kind == "boolean":
            frame[col] = frame[col].map(
                lambda v: pd.NA if pd.isna(v) else str(v).strip().lower() in {"true", "1", "yes"}
            ).astype("boolean")
        elif kind == "number":
            frame[col] = pd.to_numeric(frame[col])
        elif kind == "date":
            frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")
    return frame
