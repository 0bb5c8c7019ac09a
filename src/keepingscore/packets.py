"""Printable debate packets: each rung page of a built edition printed to PDF, and one PDF of the whole ladder.

The pages are printed from the built HTML by Debian's Chromium (driven by playwright, never a browser it
downloads), with the book's print styles plus a few for packets: no sidebars or buttons, each main section
on a new page, tables with ruled cells, and the page number in the footer. The per-rung PDFs are then
merged in Python (pypdf). Student packets come only from the student edition's HTML, which holds no
teacher-only text; teacher packets come from the teacher edition and add the teacher notes of the
chapters behind each rung.
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KeepingScoreError

__all__ = ["Packet", "PacketError", "PRINT_CSS", "plan", "check_edition", "find_chromium", "print_pdfs",
           "merge", "make_packets", "main"]

PAPER = {"letter": "Letter", "a4": "A4"}

# Added to each page before printing, after the book's own print rules (keepingscore.css).
PRINT_CSS = """
@page { size: PAPER; margin: 16mm 14mm 18mm 14mm; }
@page landscape { size: PAPER landscape; }
html, body { background: #fff !important; color: #000 !important; }
body { font-size: 10.5pt; }
.bd-header, .bd-header-article, .header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
.bd-footer-article, .bd-footer-content, footer, .prev-next-area, .prev-next-footer, .skip-link, .search-button,
.search-button-field, .theme-switch-button, .headerbtn, button, .btn, .copybtn, a.headerlink, #pst-back-to-top,
.bd-search, .sbt-scroll-pixel-helper, .bd-header-announcement, .pst-async-banner-revealer,
.sd-summary-state-marker, .sidebar-toggle, .toctree-toggle { display: none !important; }
.bd-page-width, .bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container, .bd-article {
  max-width: none !important; width: 100% !important; margin: 0 !important; padding: 0 !important; }
article.bd-article > section > section ~ section { break-before: page; }
h1, h2, h3, h4, .admonition-title, caption { break-after: avoid; }
.pst-scrollable-table-container, .table-wrapper { overflow: visible !important; }
table { width: 100% !important; border-collapse: collapse !important; font-size: 9.5pt; }
th, td { border: 1px solid #666 !important; padding: 3px 6px !important; vertical-align: top; }
thead { display: table-header-group; }
tr, .admonition { break-inside: avoid; }
a, a:visited { color: inherit !important; text-decoration: none !important; }
details > .sd-summary-content, details > div { display: block !important; }
"""

_FOOTER = (
    '<div style="font-family: sans-serif; font-size: 8pt; color: #333; width: 100%%; margin: 0 14mm; '
    'display: flex; justify-content: space-between;"><span>%(label)s</span>'
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)


class PacketError(KeepingScoreError):
    """Packets cannot be made from what was given (no build, the wrong edition, no Chromium)."""


@dataclass
class Packet:
    """One rung's packet: the pages to print, in order, each with the label its footer carries."""

    rung: int
    slug: str
    motion: str
    pages: list[tuple[Path, str]] = field(default_factory=list)

    def filename(self, edition: str) -> str:
        return f"rung-{self.rung}-{self.slug}-{edition}.pdf"


def check_edition(html_dir: Path, edition: str) -> None:
    """Refuse HTML that is missing, or that is not the edition asked for (a student packet must never
    come from the teacher edition)."""
    html_dir = Path(html_dir)
    build = f"python -m keepingscore build --edition {edition}"
    if not (html_dir / "index.html").is_file():
        raise PacketError(f"{html_dir}: there is no built book here (no index.html). Fix: run `{build}` first, "
                          "or give --html the folder the build wrote.")
    teacher_pages = (html_dir / "book" / "teacher").is_dir()
    if edition == "student":
        leaked = [p for p in (html_dir / "book" / "debate").glob("*.html")
                  if "teacher-only" in p.read_text(encoding="utf-8", errors="ignore")]
        if teacher_pages or leaked:
            raise PacketError(f"{html_dir}: this is the teacher edition, and student packets must not hold teacher "
                              f"notes. Fix: run `{build}` and print from its HTML.")
    elif not teacher_pages:
        raise PacketError(f"{html_dir}: this is the student edition, which has no teacher notes. "
                          f"Fix: run `{build}` and print from its HTML.")


def plan(edition: str, html_dir: Path, book: Path | None = None, datasets: Path | None = None) -> list[Packet]:
    """The packets to print: one per rung page that the build holds, in ladder order."""
    from . import ladder

    rungs, _ = ladder.load(book, datasets, edition=edition)
    packets = []
    for rung in rungs:
        if rung.docname is None:
            continue
        page = Path(html_dir) / f"{rung.docname}.html"
        if not page.is_file():
            continue
        label = f"Keeping Score · Rung {rung.rung} · {edition} packet"
        packet = Packet(rung.rung, rung.slug, rung.motion, [(page, label)])
        if edition == "teacher":
            for slug, name in rung.chapters:
                notes = Path(html_dir) / "book" / "teacher" / f"{slug}.html"
                if notes.is_file():
                    packet.pages.append((notes, f"Keeping Score · Rung {rung.rung} · teacher notes: {name}"))
        packets.append(packet)
    return packets


def find_chromium() -> str:
    """Debian's Chromium (the only browser used: none is ever downloaded)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise PacketError("Chromium is not installed, and packets are printed with it. "
                          "Fix: install Debian's package with `apt-get install chromium` (tools/setup.sh does this).")
    return found


def print_pdfs(jobs: list[tuple[Path, str, Path]], paper: str = "letter") -> None:
    """Print each (HTML page, footer label, PDF path) with headless Chromium, page numbers in the footer."""
    from playwright.sync_api import sync_playwright

    css = PRINT_CSS.replace("PAPER", PAPER[paper])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        try:
            context = browser.new_context(color_scheme="light")
            page = context.new_page()
            for source, label, target in jobs:
                page.goto(Path(source).resolve().as_uri(), wait_until="load")
                page.emulate_media(media="print", color_scheme="light")
                page.add_style_tag(content=css)
                page.evaluate("""() => {
                    document.documentElement.dataset.theme = 'light';
                    document.querySelectorAll('details').forEach(d => d.setAttribute('open', ''));
                    return document.fonts.ready.then(() => true);
                }""")
                page.pdf(
                    path=str(target), format=PAPER[paper], print_background=True, prefer_css_page_size=True,
                    display_header_footer=True, header_template="<span></span>",
                    footer_template=_FOOTER % {"label": html.escape(label)},
                    margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                )
            context.close()
        finally:
            browser.close()


def merge(parts: list[tuple[Path, str]], target: Path, title: str) -> Path:
    """Join PDFs into one, with a bookmark for each part."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for path, bookmark in parts:
        writer.append(str(path), outline_item=bookmark)
    writer.add_metadata({"/Title": title, "/Creator": "Keeping Score (python -m keepingscore packets)"})
    temporary = target.with_name(f".{target.name}.tmp")
    with open(temporary, "wb") as handle:
        writer.write(handle)
    temporary.replace(target)
    return target


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _stale(packets: list[Packet], book: Path | None) -> list[str]:
    """Rung pages changed since the HTML was built (their packets would be out of date)."""
    from .paths import project_root

    try:
        root = Path(book).parent if book is not None else project_root()
    except KeepingScoreError:
        return []
    notes = []
    for packet in packets:
        html_page = packet.pages[0][0]
        source = root / Path(*html_page.parts[-3:]).with_suffix(".md")
        if source.is_file() and source.stat().st_mtime > html_page.stat().st_mtime:
            notes.append(f"note: {source} changed after the book was built; rebuild it for an up-to-date packet.")
    return notes


def make_packets(edition: str, html_dir: Path, out_dir: Path, *, paper: str = "letter",
                 book: Path | None = None, datasets: Path | None = None) -> dict[str, object]:
    """Print every rung's packet and the whole ladder; return {'rungs': [paths], 'ladder': path, 'notes': [...]}."""
    if edition not in ("student", "teacher"):
        raise PacketError(f"Unknown edition {edition!r}. Fix: use --edition student or --edition teacher.")
    if paper not in PAPER:
        raise PacketError(f"Unknown paper size {paper!r}. Fix: use --paper letter or --paper a4.")
    html_dir, out_dir = Path(html_dir), Path(out_dir)
    check_edition(html_dir, edition)
    packets = plan(edition, html_dir, book, datasets)
    if not packets:
        raise PacketError(f"{html_dir}: the build holds no debate rung pages (book/debate/*.html). "
                          f"Fix: run `python -m keepingscore build --edition {edition}` first.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PacketError(f"{out_dir}: cannot create the folder ({exc.strerror}). Fix: choose a folder you may "
                          "write to with --out.") from None
    overview = html_dir / "book" / "debate" / "index.html"
    with tempfile.TemporaryDirectory(prefix="keepingscore-packets-") as scratch:
        scratch = Path(scratch)
        jobs, pieces = [], {}
        if overview.is_file():
            jobs.append((overview, f"Keeping Score · The debate ladder · {edition} packets", scratch / "ladder.pdf"))
        for packet in packets:
            pieces[packet.rung] = []
            for number, (page, label) in enumerate(packet.pages):
                target = scratch / f"rung-{packet.rung}-{number}.pdf"
                jobs.append((page, label, target))
                title = f"Rung {packet.rung}: {packet.motion}" if number == 0 else _first_upper(label.split(" · ")[-1])
                pieces[packet.rung].append((target, title))
        print_pdfs(jobs, paper)
        written = []
        for packet in packets:
            written.append(merge(pieces[packet.rung], out_dir / packet.filename(edition),
                                 f"Keeping Score, rung {packet.rung}: {packet.motion} ({edition} packet)"))
        whole = ([(scratch / "ladder.pdf", "The debate ladder")] if overview.is_file() else []) + [
            (out_dir / p.filename(edition), f"Rung {p.rung}: {p.motion}") for p in packets]
        ladder_pdf = merge(whole, out_dir / f"debate-ladder-{edition}.pdf",
                           f"Keeping Score: the debate ladder ({edition} packets)")
    return {"rungs": written, "ladder": ladder_pdf, "notes": _stale(packets, book)}


def main(edition: str, html: str | None, out: str | None, *, paper: str = "letter") -> int:
    """The `packets` command: print the packets, or explain in one line per problem why not (status 2)."""
    from .build import output_dir

    try:
        html_dir = Path(html).resolve() if html else output_dir(edition)
        out_dir = Path(out).resolve() if out else html_dir.parent / "packets"
        result = make_packets(edition, html_dir, out_dir, paper=paper)
    except KeepingScoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for note in result["notes"]:
        print(note, file=sys.stderr)
    for path in result["rungs"]:
        print(f"Wrote {path}")
    print(f"Wrote {result['ladder']} (the whole ladder, {len(result['rungs'])} rung(s))")
    return 0
