"""Build `.dvc/plots-offline.html`: DVC's plots page with vega, vega-lite and vega-embed inlined.

`dvc plots show/diff` normally loads these three scripts from a CDN, so the page is blank offline. DVC fills an
HTML template's `{plot_divs}` (and `{scripts}`, which this template leaves out on purpose); `.dvc/config` points
`plots.html_template` at the file this script writes. The versions are the ones DVC's renderer asks for
(dvc_render/vega.py `VegaRenderer.SCRIPTS`). Run from the repository root, with network access to the npm
registry:

    python third_party/vega/build_template.py

It downloads the packages with `npm pack`, checks their registry integrity hashes and writes the template.
Licences (BSD-3-Clause) are kept beside this file.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGES = {  # name@version -> (file in the package, npm dist.integrity)
    "vega@5.20.2": ("package/build/vega.min.js", "sha512-qmH7aD9GGPpssVdxL1xgcdxTbQzyRUeRR16Os385ymvQhiwCYQNA6+eXUPAZDTVLfk0RXu6Jzj6kUE5jQ80EVw=="),
    "vega-lite@5.2.0": ("package/build/vega-lite.min.js", "sha512-Yxcg8MvYfxHcG6BbkaKT0oVCIMIcE19UvqIsEwBmyd/7h2nzW7oRnID81T8UrY7hpDrIr6wa2JADOT2dhGNErw=="),
    "vega-embed@6.18.2": ("package/build/vega-embed.min.js", "sha512-wcDyQPE4J5aiCDc3/suH5RQDvrKkjuLkhzUcbOLwEkNF8/+pp17tS0JghzEvAPNRg+5aG1/N2ydixq8Lk3dOlg=="),
}
OUT = Path(".dvc/plots-offline.html")

HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{refresh_tag}
<title>xlrobust plots (dvc plots, offline)</title>
<!-- vega, vega-lite and vega-embed inlined (BSD-3-Clause, see third_party/vega/); built by
     third_party/vega/build_template.py from: %s -->
<style>
  body { font-family: system-ui, sans-serif; margin: 16px; }
  div[id] { margin-bottom: 24px; }
</style>
"""
TAIL = """</head>
<body>
{plot_divs}
</body>
</html>
"""


def _script(tgz: Path, member: str, integrity: str) -> str:
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if digest != integrity:
        raise SystemExit(f"error: {tgz.name}: integrity {digest} differs from the pinned {integrity}")
    with tarfile.open(tgz) as tar:
        js = tar.extractfile(member).read().decode("utf-8")
    js = js.split("\n//# sourceMappingURL=")[0]
    if "</script" in js:
        raise SystemExit(f"error: {member} contains '</script' and cannot be inlined")
    return f"<script>\n{js}\n</script>\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        scripts = []
        for spec, (member, integrity) in PACKAGES.items():
            name = subprocess.run(["npm", "pack", "-q", spec], cwd=tmp, check=True, capture_output=True,
                                  text=True).stdout.strip().splitlines()[-1]
            scripts.append(_script(Path(tmp) / name, member, integrity))
    page = HEAD % ", ".join(PACKAGES) + "".join(scripts) + TAIL
    tmp_out = OUT.with_suffix(".tmp")
    tmp_out.write_text(page, encoding="utf-8")
    tmp_out.replace(OUT)
    print(f"wrote {OUT} ({len(page.encode()) // 1024} KiB)")


if __name__ == "__main__":
    main()
