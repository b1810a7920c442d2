"""Write the static, offline HTML catalog of the data into a folder.

``chinaai-stats report --out DIR`` writes ``index.html`` (tables with row counts,
version, licence, charts, derived indicators, conflicting figures, sources), one page
per table, a fact card per figure (``figures/ID.html``) and SVG charts drawn with
matplotlib. Nothing is loaded from the network: styles are inline and every chart is a
local file. What the pages hold is built by :mod:`chinaai_stats.site`; this module puts
the folder in place.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .errors import ChinaAIStatsError


def write_report(out: str | Path) -> list[Path]:
    """Write the catalog into folder ``out`` (replacing it); return the pages written."""
    try:
        import matplotlib  # noqa: F401  (charts)
    except ImportError:
        raise ChinaAIStatsError(
            "the report draws its charts with matplotlib: pip install 'chinaai-stats[report]'"
        ) from None
    from .site import build

    out = Path(out)
    staging = Path(
        tempfile.mkdtemp(prefix=".report.", dir=out.parent if out.parent.exists() else None)
    )
    try:
        pages = build(staging)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / p.relative_to(staging) for p in pages]
