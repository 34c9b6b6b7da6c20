"""The HTML advisory in a real browser: headless Chromium (Debian's `chromium` package)
renders it, a screenshot is kept under test-artifacts/advisories/, and it prints to PDF.

Skipped, with the reason, only when no Chromium is installed."""

import os
import struct
import zlib
from pathlib import Path

import pytest

from sharing.advisories import render_advisory
from sharing.advisories.browser import find_browser, html_to_pdf, run_headless
from tests.advisories.samples import facts, hostile_facts

BROWSER = find_browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium installed (apt-get install -y chromium)"
)
TIMEOUT = 10.0
SIZE = (1200, 2400)


def artifacts() -> Path:
    """test-artifacts/advisories/ at the repository root (or under $DTIX_TEST_ARTIFACTS);
    the root .gitignore keeps test-artifacts/ out of git."""
    root = Path(os.environ.get("DTIX_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
    folder = root / "advisories"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(tmp_path: Path, html: str) -> str:
    page = tmp_path / "advisory.html"
    page.write_text(html, encoding="utf-8")
    return page.as_uri()


def _pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG file."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    data, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return width, height, zlib.decompress(data)


def test_chromium_renders_the_advisory(tmp_path: Path) -> None:
    assert BROWSER is not None
    uri = _page(tmp_path, render_advisory(facts(), "html"))
    dom = run_headless(BROWSER, tmp_path / "profile", ["--dump-dom", uri], timeout=TIMEOUT)
    text = dom.stdout.decode("utf-8")
    assert "<title>TLP:AMBER Distillation campaigns, week 47</title>" in text
    assert text.count("<svg") == 2 and "<polyline" in text and "24,180" in text


def test_chromium_screenshot_is_kept_as_a_test_artifact(tmp_path: Path) -> None:
    assert BROWSER is not None
    uri = _page(tmp_path, render_advisory(facts(), "html"))
    shot = artifacts() / "advisory.png"
    shot.unlink(missing_ok=True)
    args = [f"--screenshot={shot}", f"--window-size={SIZE[0]},{SIZE[1]}", "--hide-scrollbars", uri]
    run_headless(BROWSER, tmp_path / "profile", args, timeout=TIMEOUT)
    width, height, scanlines = _pixels(shot.read_bytes())
    assert (width, height) == SIZE
    assert len(set(scanlines)) > 16  # text, charts and the marking, not a blank page


def test_hostile_values_do_not_run_in_chromium(tmp_path: Path) -> None:
    assert BROWSER is not None
    uri = _page(tmp_path, render_advisory(hostile_facts(), "html"))
    dom = run_headless(BROWSER, tmp_path / "profile", ["--dump-dom", uri], timeout=TIMEOUT)
    text = dom.stdout.decode("utf-8")
    assert "<title>TLP:AMBER Hostile values</title>" in text
    assert "<script" not in text and "<img" not in text and "49" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_chromium_prints_the_advisory_as_pdf() -> None:
    assert BROWSER is not None
    pdf = html_to_pdf(render_advisory(facts(), "html"), browser=BROWSER, timeout=TIMEOUT)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    (artifacts() / "advisory.pdf").write_bytes(pdf)
