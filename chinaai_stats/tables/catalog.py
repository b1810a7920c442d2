"""Where the data lives and what its Data Package descriptor says.

This module reads JSON only, so listing and describing tables stays cheap:
no pandas, pint, pandera or frictionless import happens here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, cast

from ..core import journal
from ..core.errors import DataFileError, DatasetNotFoundError, did_you_mean

#: Environment variable naming a folder that holds ``datasets/``, ``schemas/`` and
#: ``seeds/`` (a contributor's clone, say), used instead of the installed data.
DATA_ENV = "CHINAAI_STATS_DATA"

DESCRIPTOR = "datapackage.json"
#: Resources of the descriptor that are not fact tables of their own.
REGISTRY = "sources"
#: Tables a script builds from upstream data (rows are never added by hand), and the script.
BUILT_TABLES = {
    "exchange_rates": "python -m chinaai_stats.builders.fxbuild",
    "populations": "python -m chinaai_stats.builders.refbuild",
    "wdi_indicators": "python -m chinaai_stats.builders.refbuild",
    "reference_rates": "python -m chinaai_stats.builders.refbuild",
    "reference_series": "python -m chinaai_stats.builders.refbuild",
}

_cache: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def data_root() -> Path:
    """Return the folder holding ``datasets/``, ``schemas/`` and ``seeds/``.

    Looks at ``$CHINAAI_STATS_DATA`` first, then the data bundled in the installed
    wheel, then the source checkout this module sits in.
    """
    env = os.environ.get(DATA_ENV)
    if env:
        root = Path(env)
        if not (root / "datasets" / DESCRIPTOR).is_file():
            raise DataFileError(
                f"{DATA_ENV}={env}: no datasets/{DESCRIPTOR} there; "
                "point it at a folder holding datasets/, schemas/ and seeds/, or unset it"
            )
        return root
    from importlib.resources import files  # on first data access only: keeps import cheap

    bundled = files("chinaai_stats").joinpath("_data")  # where the wheel puts the data
    if bundled.is_dir():
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "datasets" / DESCRIPTOR).is_file():
        return checkout
    raise DataFileError(
        "the chinaai-stats data files are missing from this installation; reinstall the package"
    )


def find_root(start: Path | None = None, *, option: str | None = "--datasets DIR") -> Path:
    """Return the clone holding ``start`` (default: the current folder).

    Walks up from ``start`` to the first folder with ``datasets/datapackage.json``.
    ``option`` is the command's way to name a clone elsewhere, offered in the error
    (None: the command has none).

    Raises
    ------
    DataFileError
        No folder on the way up holds the data.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "datasets" / DESCRIPTOR).is_file():
            return folder
    raise DataFileError(
        f"no datasets/{DESCRIPTOR} in {here} or any folder above it; "
        "run this inside a clone of chinaai-stats" + (f", or pass {option}" if option else "")
    )


def clone_root(datasets: str | os.PathLike[str] | None = None) -> Path:
    """Return the clone a command writes to: ``datasets`` (a clone or its ``datasets/``
    folder) when given, else the clone holding the current folder (:func:`find_root`)."""
    if datasets is None:
        return find_root()
    d = Path(datasets)
    if (d / DESCRIPTOR).is_file():
        return d.resolve().parent
    if (d / "datasets" / DESCRIPTOR).is_file():
        return d.resolve()
    raise DataFileError(f"{d}: no {DESCRIPTOR} there; pass the datasets/ folder of a clone")


def descriptor(root: Path | None = None) -> dict[str, Any]:
    """Return the parsed ``datasets/datapackage.json`` (cached until the file changes).

    A change that a killed process left half done is settled first
    (:func:`chinaai_stats.core.journal.recover`), so every reader sees the data whole.
    """
    root = root or data_root()
    if journal.pending(root):
        journal.recover(root)
    path = root / "datasets" / DESCRIPTOR
    try:
        st = path.stat()
        key = (st.st_mtime_ns, st.st_size)
        hit = _cache.get(path)
        if hit and hit[0] == key:
            return hit[1]
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the data package descriptor ({exc})") from None
    problem = descriptor_problem(data)
    if problem:
        raise DataFileError(
            f"{path}: not a data package descriptor ({problem}); restore it (in a clone: "
            f"git checkout -- datasets/{DESCRIPTOR}), or reinstall chinaai-stats"
        )
    _cache[path] = (key, data)
    return data


def descriptor_problem(data: Any) -> str | None:
    """What keeps parsed JSON from being a descriptor the package can use, or None."""
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    resources = data.get("resources")
    if not isinstance(resources, list):
        return "no list of resources"
    for i, res in enumerate(resources):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            return f"resource {i + 1} has no name"
        if res["name"] != REGISTRY and not isinstance(res.get("path"), str):
            return f"resource {res['name']!r} has no path"
        if not isinstance(res.get("schema", {}), dict):
            return f"resource {res['name']!r} has no schema object"
    return None


def list_datasets() -> list[str]:
    """Return the names of the tables that :func:`chinaai_stats.load` accepts.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> "user_counts" in cs.list_datasets()
    True
    """
    return [r["name"] for r in descriptor()["resources"] if r["name"] != REGISTRY]


def resource(name: str, root: Path | None = None) -> dict[str, Any]:
    """Return the descriptor entry of table ``name``, or raise :class:`DatasetNotFoundError`."""
    resources_ = descriptor(root)["resources"]
    for res in resources_:
        if res["name"] == name and name != REGISTRY:
            return cast("dict[str, Any]", res)
    names = [r["name"] for r in resources_ if r["name"] != REGISTRY]
    raise DatasetNotFoundError(
        f"no dataset named {name!r}{did_you_mean(name, names)}; available: {', '.join(names)}"
    )


def table_path(name: str, root: Path | None = None) -> Path:
    """Return the CSV file of table ``name`` as the descriptor records it."""
    root = root or data_root()
    return root / "datasets" / str(resource(name, root)["path"])


def registry_rows(root: Path | None = None) -> list[dict[str, str]]:
    """The source registry as the descriptor carries it: one dict of text cells per source."""
    res = next(r for r in descriptor(root)["resources"] if r["name"] == REGISTRY)
    header, *rows = res["data"]
    return [dict(zip(header, row, strict=True)) for row in rows]


def registry_path(root: Path | None = None) -> Path:
    """Return the source registry CSV (``seeds/sources.csv``)."""
    return (root or data_root()) / "seeds" / "sources.csv"
