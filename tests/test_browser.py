"""The report and the offline `dvc plots show` page of the miniature pipeline, opened in headless Chromium
(issue #16 point 8): no console error, no missing image, no plot that vega left empty, no network reference.
The checks are benchmarks/browser_check.py's, which the lead also runs on the default run for the screenshots."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("browser_check", REPO / "benchmarks" / "browser_check.py")
browser_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_check)

needs_chromium = pytest.mark.skipif(
    browser_check.chromium() is None,
    reason="chromium not installed (make install runs `apt-get install -y chromium`; install it to run this test)",
)


@needs_chromium
def test_checks_catch_a_broken_page(tmp_path):
    """The checks fail on what they are meant to catch (so a passing run means something)."""
    page = tmp_path / "report.html"
    page.write_text(
        '<html><body><script>undefinedFunction();</script><img src="missing.png">'
        '<img src="data:image/png;base64,AAAA"></body></html>',
        encoding="utf-8",
    )
    problems = browser_check.check_report(page)
    assert any("ReferenceError" in p for p in problems)
    assert any("missing.png not found" in p for p in problems)
    assert any("embedded PNG is broken" in p for p in problems)
    assert any("no Answer" in p for p in problems)
    plots = tmp_path / "index.html"
    plots.write_text(
        '<html><body><div id="a"></div><script src="https://cdn.example.org/vega.js"></script></body></html>',
        encoding="utf-8",
    )
    problems = browser_check.check_plots(plots)
    assert any("plot 'a' is empty" in p for p in problems) and any("loads https://" in p for p in problems)


@pytest.mark.slow
@needs_chromium
def test_browser_report_and_offline_dvc_plots_render(mini_repo, tmp_path):
    problems = browser_check.check_report(mini_repo / "metrics" / "report.html")
    page = browser_check.plots_page(mini_repo, tmp_path / "plots")
    html = page.read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in html and '<meta charset="utf-8">' in html.lower()
    problems += browser_check.check_plots(page)
    assert not problems, "\n".join(problems)
    shot = browser_check.screenshot(
        mini_repo / "metrics" / "report.html", tmp_path / "first.png", browser_check.FIRST_SCREEN
    )
    assert shot.stat().st_size > 10_000
    shutil.rmtree(tmp_path / "plots")
