"""A headless Chromium, when one is installed: print the self-contained HTML as PDF.

Optional by design: `find_browser` returns None when none is found and callers skip the
PDF. `$DTIX_CHROMIUM` names the browser explicitly. Every run is bounded in time and its
whole process group is ended when it overruns.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from sharing.errors import DtixError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 60.0


def find_browser() -> str | None:
    """The browser to use: `$DTIX_CHROMIUM`, else the first of BROWSERS on PATH."""
    named = os.environ.get("DTIX_CHROMIUM")
    if named:
        return shutil.which(named)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def run_headless(
    browser: str, profile: Path, args: list[str], *, timeout: float = TIMEOUT_SECONDS
) -> subprocess.CompletedProcess[bytes]:
    """Run `browser` headless with a throw-away profile; DtixError if it hangs or is missing.

    --no-sandbox because the hub may run as root in a container; the pages it loads are our
    own escaped HTML whose Content-Security-Policy forbids scripts and fetches.
    """
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        *args,
    ]
    try:
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
    except OSError as exc:
        raise DtixError(f"{browser}: {exc.strerror or exc}") from None
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise DtixError(f"{browser} did not finish within {timeout:g} s") from None
    return subprocess.CompletedProcess(command, child.returncode, out, err)


def html_to_pdf(html: str, *, browser: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF bytes of `html`, printed by `browser`; DtixError if it fails."""
    with tempfile.TemporaryDirectory(prefix="dtix-pdf-") as tmp:
        folder = Path(tmp)
        page, out = folder / "advisory.html", folder / "advisory.pdf"
        page.write_text(html, encoding="utf-8")
        args = ["--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()]
        run_headless(browser, folder / "profile", args, timeout=timeout)
        data = out.read_bytes() if out.exists() else b""
        if not data.startswith(b"%PDF-"):
            raise DtixError(f"{browser} did not produce a PDF of the advisory")
        return data
