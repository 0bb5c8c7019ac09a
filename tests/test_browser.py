"""Look at built pages in headless Chromium, at desktop and phone widths."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.build, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars"]

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser checks")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


def _dom(url: str, width: int, tmp_path) -> str:
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900",
         "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", ["book/intro.html", "book/the-plan.html", "lessons/town.html",
                                  "book/debate/trust-can-be-engineered.html"])
def test_pages_render_in_chromium(built, page, width, tmp_path):
    url = (ROOT / "_build" / "student" / "html" / page).as_uri()
    dom = _dom(url, width, tmp_path)
    assert "<h1>" in dom or "<h1 " in dom
    assert "Keeping Score" in dom


def test_screenshot_is_written(built, tmp_path):
    url = (ROOT / "_build" / "student" / "html" / "book" / "the-plan.html").as_uri()
    shot = tmp_path / "page.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=390,2000",
                    f"--screenshot={shot}", url], capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000
