"""Offline bundles: the built site as one zip that works when unzipped and opened from disk.

The student bundle holds the student edition. The teacher bundle holds the teacher edition and, when they
have been built, the PDF debate packets. Files are stored in sorted order with a fixed date, so the same
build gives the same zip.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ["README_NAME", "make_bundle"]

README_NAME = "OPEN-ME-FIRST.txt"
_FIXED_DATE = (2026, 1, 1, 0, 0, 0)
_SKIP = {".buildinfo", ".doctrees"}

_README = """Keeping Score: Social Credit, Blacklists and Ratings ({edition} edition), offline copy

1. Unzip this file anywhere (a USB stick or a shared drive is fine).
2. Open the folder "{top}" and double-click index.html. It opens in your web browser.
3. Everything works without an internet connection: chapters, search, figures, evidence cards,
   handouts and downloads. To print a handout, use the browser's Print command.
{extra}
The lesson notebooks (.ipynb files, offered on each lesson page's download button) need Python with
the book's helper package; see "Run the notebooks" on the start page.
"""


def _files(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not (set(path.relative_to(folder).parts) & _SKIP):
            yield path


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def make_bundle(html: Path, out: Path, *, edition: str, packets: Path | None = None) -> Path:
    """Zip the built site in `html` (and the PDFs in `packets`, if given) into `out`; return `out`."""
    html = Path(html)
    if not (html / "index.html").is_file():
        raise FileNotFoundError(
            f"{html} holds no built site (no index.html); build it first with "
            f"`python -m keepingscore build --edition {edition}`."
        )
    top = f"keeping-score-{edition}"
    pdfs = sorted(Path(packets).glob("*.pdf")) if packets is not None and Path(packets).is_dir() else []
    extra = ""
    if pdfs:
        extra = f"4. The folder \"{top}/packets\" holds the printable debate packets as PDF files.\n"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(out.suffix + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        _add(archive, f"{top}/{README_NAME}", _README.format(edition=edition, top=top, extra=extra).encode())
        for path in _files(html):
            _add(archive, f"{top}/{path.relative_to(html).as_posix()}", path.read_bytes())
        for pdf in pdfs:
            _add(archive, f"{top}/packets/{pdf.name}", pdf.read_bytes())
    partial.replace(out)  # never leave a half-written zip under the final name
    return out
