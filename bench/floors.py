"""What validate is measured against: floors in pandas and polars, and frictionless."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from common import PY, ROOT

# The floors run the checks validate runs on a talent file (every field check of its
# Table Schema, then value_text against value/unit/qualifier, the codebook, the
# registry, as_of dates and repeated facts), in plain pandas or polars, counting
# failing cells instead of writing a report. value_text is parsed with the same
# parser, once per distinct text, as validate does.
FLOOR_SHARED = """
import json, sys
from datetime import date
from chinaai_stats.tables import catalog
from chinaai_stats.core.dates import as_of_bounds
from chinaai_stats.reading.parse import parse_quantity
from chinaai_stats.measures.units import DIMENSION_UNITS
NUMBER = r"[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?"
SCHEMA = catalog.resource("talent")["schema"]
BOOK = {r["id"]: (r["table"], r["dimension"]) for r in
        __import__("csv").DictReader(open(catalog.table_path("indicators"), encoding="utf-8"))}
PUBLISHED = {r["id"]: r["published"] for r in catalog.registry_rows()}
TODAY = date.today().isoformat()

def read(text):
    try:
        q = parse_quantity(text)
        return (q.value, q.unit, q.qualifier)
    except Exception:
        return (float("nan"), "", "")

def start(text):
    try:
        b = as_of_bounds(text)
        return b[0].isoformat() if b else ""
    except ValueError:
        return "bad"
"""

FLOOR = (
    FLOOR_SHARED
    + """
import numpy as np, pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine="pyarrow")
bad, num = 0, {}
for f in SCHEMA["fields"]:
    name, cons = f["name"], f.get("constraints", {})
    s = df[name]
    present = s != ""
    if cons.get("required"):
        bad += int((~present).sum())
    if f.get("type") == "number":
        plain = s.str.fullmatch(NUMBER)
        v = pd.to_numeric(s.where(plain), errors="coerce")
        bad += int((present & ~plain).sum()) + int(np.isinf(v).sum())
        bad += int((v < cons.get("minimum", -np.inf)).sum())
        num[name] = v.to_numpy()
    if "enum" in cons:
        bad += int((present & ~s.isin(cons["enum"])).sum())
    if "pattern" in cons:
        bad += int((present & ~s.str.fullmatch(cons["pattern"].strip("^$"))).sum())
    bad += int((s.str.len() > cons.get("maxLength", 10_000)).sum())
    if cons.get("unique"):
        bad += int(s[present].duplicated().sum())
    if f.get("format") == "uri":
        bad += int((present & ~s.str.match(r"https?://\\S+$")).sum())
    if f.get("type", "string") == "string" and "enum" not in cons and "pattern" not in cons:
        bad += int(s.str.match(r"[=+\\-@\\t\\r]").sum())
texts = df["value_text"].astype("category")
parsed = [read(t) for t in texts.cat.categories]
codes = texts.cat.codes.to_numpy()
pv = np.array([p[0] for p in parsed] + [np.nan])[codes]
pu = np.array([p[1] for p in parsed] + [""], dtype=object)[codes]
pq = np.array([p[2] for p in parsed] + [""], dtype=object)[codes]
bad += int((pu == "").sum())
bad += int(((pu != "") & ~np.isclose(num["value"], pv, rtol=1e-9)).sum())
bad += int(((pu != "") & (df["unit"].to_numpy() != pu)).sum())
bad += int(((pu != "") & (df["qualifier"].to_numpy() != pq)).sum())
ind = df["indicator"]
bad += int((~ind.isin(list(BOOK))).sum())
dim = ind.map(lambda i: BOOK.get(i, ("", ""))[1])
fits = [u in DIMENSION_UNITS.get(d, ()) for u, d in zip(df["unit"], dim)]
bad += int((~np.array(fits, dtype=bool)).sum())
bad += int((ind.map(lambda i: BOOK.get(i, ("talent",))[0]) != "talent").sum())
bad += int(((df["unit"] == "share") & (num["value"] > 1)).sum())
bad += int((~df["source_id"].isin(list(PUBLISHED))).sum())
asof = df["as_of"].astype("category")
starts = asof.cat.categories.map(start).to_numpy()[asof.cat.codes.to_numpy()]
pub = df["source_id"].map(PUBLISHED).fillna("").to_numpy()
bad += int((starts == "bad").sum()) + int((starts > TODAY).sum())
bad += int(((pub != "") & (starts > pub)).sum())
known = df["as_of"] != ""
bad += int((known & (df["as_of_basis"] == "unknown")).sum())
bad += int((~known & df["as_of_basis"].isin(["stated", "inferred"])).sum())
bad += int(df.duplicated(["entity", "indicator", "as_of", "source_id"], keep=False).sum())
print(bad)
"""
)

POLARS_FLOOR = (
    FLOOR_SHARED
    + """
import polars as pl
df = pl.read_csv(sys.argv[1], infer_schema=False).with_columns(pl.all().fill_null(""))
bad, exprs = 0, []
for f in SCHEMA["fields"]:
    name, cons = f["name"], f.get("constraints", {})
    s = pl.col(name)
    present = s != ""
    if cons.get("required"):
        exprs.append((~present).sum())
    if f.get("type") == "number":
        plain = s.str.contains(f"^{NUMBER}$")
        v = pl.when(plain).then(s).otherwise(None).cast(pl.Float64)
        exprs += [(present & ~plain).sum(), v.is_infinite().sum(),
                  (v < cons.get("minimum", float("-inf"))).sum()]
    if "enum" in cons:
        exprs.append((present & ~s.is_in(cons["enum"])).sum())
    if "pattern" in cons:
        exprs.append((present & ~s.str.contains(cons["pattern"])).sum())
    exprs.append((s.str.len_chars() > cons.get("maxLength", 10_000)).sum())
    if cons.get("unique"):
        exprs.append((present & s.is_duplicated()).sum() - (present & s.is_first_distinct()
                     & s.is_duplicated()).sum())
    if f.get("format") == "uri":
        exprs.append((present & ~s.str.contains(r"^https?://\\S+$")).sum())
    if f.get("type", "string") == "string" and "enum" not in cons and "pattern" not in cons:
        exprs.append(s.str.contains(r"^[=+\\-@\\t\\r]").sum())
bad += sum(df.select([e.alias(f"c{k}") for k, e in enumerate(exprs)]).row(0))
texts = df.get_column("value_text").unique().to_list()
reads = [read(t) for t in texts]
parsed = pl.DataFrame({"value_text": texts, "pv": [r[0] for r in reads],
                       "pu": [r[1] for r in reads], "pq": [r[2] for r in reads]})
asofs = df.get_column("as_of").unique().to_list()
starts = pl.DataFrame({"as_of": asofs, "start": [start(a) for a in asofs]})
book = pl.DataFrame({"indicator": list(BOOK), "btable": [v[0] for v in BOOK.values()],
                     "dim": [v[1] for v in BOOK.values()]})
fits = pl.DataFrame({"dim": [d for d, us in DIMENSION_UNITS.items() for u in us],
                     "unit": [u for us in DIMENSION_UNITS.values() for u in us], "fits": True})
pub = pl.DataFrame({"source_id": list(PUBLISHED), "pub": list(PUBLISHED.values())})
j = (df.join(parsed, on="value_text", how="left").join(starts, on="as_of", how="left")
       .join(book, on="indicator", how="left").join(fits, on=["dim", "unit"], how="left")
       .join(pub, on="source_id", how="left"))
v = pl.col("value").cast(pl.Float64, strict=False)
ok = pl.col("pu") != ""
bad += sum(j.select(*[e.alias(f"c{k}") for k, e in enumerate([
    (~ok).sum(), (ok & ((v - pl.col("pv")).abs() > 1e-9 * v.abs())).sum(),
    (ok & (pl.col("unit") != pl.col("pu"))).sum(),
    (ok & (pl.col("qualifier") != pl.col("pq"))).sum(),
    pl.col("btable").is_null().sum(), pl.col("fits").is_null().sum(),
    (pl.col("btable") != "talent").sum(), ((pl.col("unit") == "share") & (v > 1)).sum(),
    pl.col("pub").is_null().sum(), (pl.col("start") == "bad").sum(),
    (pl.col("start") > TODAY).sum(),
    (pl.col("start") > pl.col("pub")).sum(),
    ((pl.col("as_of") != "") & (pl.col("as_of_basis") == "unknown")).sum(),
    ((pl.col("as_of") == "") & pl.col("as_of_basis").is_in(["stated", "inferred"])).sum(),
    pl.struct("entity", "indicator", "as_of", "source_id").is_duplicated().sum(),
])]).row(0))
print(bad)
"""
)


def frictionless_resource(folder: Path, csv_path: Path) -> Path:
    """A resource descriptor: the same Table Schema, foreign keys left out (no package)."""
    schema = json.loads((ROOT / "schemas" / "talent.json").read_text("utf-8"))
    schema.pop("foreignKeys", None)
    desc = folder / f"{csv_path.stem}.resource.json"
    desc.write_text(json.dumps({"name": "talent", "path": csv_path.name, "schema": schema}))
    return desc


def references(folder: Path) -> dict[str, Callable[[Path], list[str]]]:
    """Commands that check the same file: the floors (pandas, polars if installed), frictionless."""
    fl = shutil.which("frictionless") or str(Path(PY).parent / "frictionless")
    (folder / "floor_pandas.py").write_text(FLOOR)
    out: dict[str, Callable[[Path], list[str]]] = {
        "pandas floor": lambda p: [PY, str(folder / "floor_pandas.py"), str(p)],
    }
    try:
        import polars  # noqa: F401

        (folder / "floor_polars.py").write_text(POLARS_FLOOR)
        out["polars floor"] = lambda p: [PY, str(folder / "floor_polars.py"), str(p)]
    except ImportError:
        print("  (polars not installed: pip install -e '.[bench]' to compare with it)")

    def frictionless(p: Path) -> list[str]:
        desc = frictionless_resource(folder, p)
        return [fl, "validate", "--limit-errors", "10000000", str(desc)]

    out["frictionless"] = frictionless
    return out
