"""Open the report and the offline `dvc plots show` page in headless Chromium, as a reader would, and check them.

Checks (issue #16 point 8): no console error, every image of the report present (embedded PNG that decodes, or
an existing file), every `dvc plots` definition rendered by vega (an <svg> or <canvas> in its div), and the
report's first screen holds the answer. With ``--screenshots DIR`` it also keeps a 1400x900 screenshot of the
report's first screen and a full screenshot of the plots page.

Run from a repository after `dvc repro` (the lead regenerates the committed screenshots this way):

    PATH=.venv/bin:$PATH python benchmarks/browser_check.py --screenshots metrics/screenshots

Exit status 1 with one line per problem; the test tests/test_browser.py runs the same checks on the miniature
pipeline. Needs the Debian package ``chromium`` (the Makefile installs it).
"""

from __future__ import annotations

import argparse
import base64
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

CONSOLE_PROBLEM = re.compile(r"error|uncaught|failed|warn", re.IGNORECASE)
FIRST_SCREEN = (1400, 900)


def chromium() -> str | None:
    """The Chromium binary on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium not found: install the Debian package `chromium` (make install does)")
    base = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--virtual-time-budget=8000",
    ]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=timeout, check=False)


def render(path: Path) -> tuple[str, list[str]]:
    """The DOM of ``path`` after its scripts ran, and the console messages that look like problems."""
    proc = _run(["--enable-logging=stderr", "--v=0", "--dump-dom", path.resolve().as_uri()])
    console = [m.group(1) for m in re.finditer(r"CONSOLE[^\]]*\] (.*)", proc.stderr)]
    return proc.stdout, [c for c in console if CONSOLE_PROBLEM.search(c)]


def screenshot(path: Path, out: Path, size: tuple[int, int]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = _run(
        [f"--screenshot={out.resolve()}", f"--window-size={size[0]},{size[1]}", path.resolve().as_uri()]
    )
    if not out.is_file():
        raise RuntimeError(f"chromium wrote no screenshot of {path}: {proc.stderr[-500:]}")
    return out


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.divs: list[str] = []  # ids of top-level plot divs (dvc plots page)
        self.rendered: set[str] = set()
        self._stack: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src") or "")
        if tag == "div":
            div_id = a.get("id")
            if div_id and not self._stack:
                self.divs.append(div_id)
            self._stack.append(
                div_id if div_id and not self._stack else (self._stack[-1] if self._stack else None)
            )
            return
        if tag in ("svg", "canvas") and self._stack and self._stack[-1]:
            self.rendered.add(self._stack[-1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._stack:
            self._stack.pop()


def _image_problem(src: str, base: Path) -> str | None:
    if src.startswith("data:image/png;base64,"):
        data = base64.b64decode(src.split(",", 1)[1])
        return (
            None if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 100 else "an embedded PNG is broken"
        )
    if not src:
        return "an <img> has no src"
    return None if (base / src).is_file() else f"image {src} not found"


def check_report(report_html: Path) -> list[str]:
    """Problems of the HTML report in a browser: console errors, missing images, an answer not up front."""
    dom, console = render(report_html)
    problems = [f"{report_html}: console: {c}" for c in console]
    parser = _Collect()
    parser.feed(dom)
    problems += [
        f"{report_html}: {p}" for src in parser.images if (p := _image_problem(src, report_html.parent))
    ]
    if 'id="answer"' not in dom or 'id="run-configuration"' not in dom:
        problems.append(f"{report_html}: no Answer / Run configuration section")
    return problems


def plots_page(repo: Path, out_dir: Path) -> Path:
    """`dvc plots show` of ``repo`` written under ``out_dir`` (its configured offline template)."""
    proc = subprocess.run(
        ["dvc", "plots", "show", "-o", str(out_dir)], cwd=repo, capture_output=True, text=True, check=False
    )
    page = out_dir / "index.html"
    if proc.returncode or not page.is_file():
        raise RuntimeError(f"dvc plots show failed in {repo}: {proc.stderr[-800:]}")
    return page


def check_plots(page: Path) -> list[str]:
    """Problems of the `dvc plots show` page: console errors, a network reference, plots vega did not draw."""
    html = page.read_text(encoding="utf-8")
    problems = [f"{page}: loads {m}" for m in re.findall(r"<script[^>]+src=\"(https?://[^\"]+)", html)]
    dom, console = render(page)
    problems += [f"{page}: console: {c}" for c in console]
    parser = _Collect()
    parser.feed(dom)
    if not parser.divs:
        problems.append(f"{page}: no plot on the page")
    problems += [
        f"{page}: plot {d!r} is empty (vega drew nothing)" for d in parser.divs if d not in parser.rendered
    ]
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", type=Path, default=Path("."), help="repository after `dvc repro` (default: .)")
    ap.add_argument("--screenshots", type=Path, help="folder for report-first-screen.png and dvc-plots.png")
    args = ap.parse_args(argv)
    report = args.repo / "metrics" / "report.html"
    with tempfile.TemporaryDirectory() as tmp:
        page = plots_page(args.repo, Path(tmp) / "plots")
        problems = check_report(report) + check_plots(page)
        if args.screenshots:
            screenshot(report, args.screenshots / "report-first-screen.png", FIRST_SCREEN)
            screenshot(page, args.screenshots / "dvc-plots.png", (1400, 4000))
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)" if problems else "report and dvc plots render without problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
