"""Write the static, offline HTML catalog of the data into a folder.

``chinaai-stats report --out DIR`` writes ``index.html`` (tables with row counts,
version, licence, charts, derived indicators, conflicting figures, sources), one page
per table, a fact card per figure (``figures/ID.html``) and SVG charts drawn with
matplotlib. Nothing is loaded from the network: styles are inline and every chart is a
local file. What the pages hold is built by :mod:`chinaai_stats.outputs.site`; this module puts
the folder in place through :mod:`chinaai_stats.outputs.outdir`.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import ChinaAIStatsError
from .outdir import output_folder


def write_report(out: str | Path, *, force: bool = False) -> list[Path]:
    """Write the catalog into folder ``out``; return the pages written.

    ``out`` must be new, empty or a catalog written before (see
    :mod:`chinaai_stats.outputs.outdir`);
    ``force`` writes alongside the files of another folder, replacing none of them.
    """
    try:
        import matplotlib  # noqa: F401  (charts)
    except ImportError:
        raise ChinaAIStatsError(
            "the report draws its charts with matplotlib: pip install 'chinaai-stats[report]'"
        ) from None
    from .site import build

    out = Path(out)
    with output_folder(out, output="report", force=force) as staging:
        pages = build(staging)
    return [out / p.relative_to(staging) for p in pages]
