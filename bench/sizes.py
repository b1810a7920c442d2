"""The wheel's size and what the release store adds to it, beside a full copy per release.

Run through ``python bench/run.py --only sizes``. Builds the wheel of the checkout
(``python -m build --wheel --no-isolation``), then reports: the wheel as built, the
wheel without the release store (what it would weigh without every past release
loadable), the store, and what the same releases would weigh kept as full copies
(each release's data files as one xz-compressed JSON, the store's own format and
compression), as a ratio to the store.
"""

from __future__ import annotations

import json
import lzma
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _wheel(out: Path) -> Path:
    cmd = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)]
    subprocess.run([*cmd, str(REPO)], check=True, capture_output=True, timeout=900)
    (path,) = out.glob("chinaai_stats-*.whl")
    return path


def _full_copies() -> tuple[int, list[str]]:
    from chinaai_stats.tables import history

    versions = history.releases(REPO)
    total = 0
    for version in versions:
        files = history.rebuild(REPO, version)
        blob = json.dumps({k: v.decode("utf-8") for k, v in files.items()}).encode()
        total += len(lzma.compress(blob, preset=9 | lzma.PRESET_EXTREME))
    return total, versions


def bench_sizes(quick: bool, record: Callable[[str, str, str], None]) -> None:
    print("\nsizes: the wheel and the release store", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _wheel(Path(tmp))
        size = wheel.stat().st_size
        members = zipfile.ZipFile(wheel).infolist()
    store = sum(i.compress_size for i in members if "/_data/datasets/releases/" in i.filename)
    full, versions = _full_copies()
    kb = 1000
    record("wheel as built", f"{size / kb:,.0f} kB", f"{size / (size - store):.2f}x without store")
    record("wheel without the release store", f"{(size - store) / kb:,.0f} kB", "1.00x")
    record(
        f"release store ({', '.join(versions)})",
        f"{store / kb:,.0f} kB",
        f"{store / size:.1%} of the wheel",
    )
    record(
        "the same releases as full copies (xz)",
        f"{full / kb:,.0f} kB",
        f"{full / store:.2f}x the store" if store else "no store",
    )
