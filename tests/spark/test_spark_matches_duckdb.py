"""The same dbt project on local Spark gives the same marts as on DuckDB (docs/scaling-out.md).

On the tiny landed-raw fixture of tests/dbt_fixtures.py, builds the whole project twice, in
parallel: `dbt build` on DuckDB (seeds, models, data tests, unit tests) and
`dbt build --exclude resource_type:unit_test` on Spark (`DBT_TARGET=spark`, dbt-spark's session
method: Spark runs inside the dbt process, offline, about 20 s of JVM/metastore start). Unit
tests run on DuckDB only: they test the SQL logic, not the engine, and cost about a second each
on Spark. Then every table of schema `marts` is compared:
  - the same set of marts and the same column names, in order, with the same kind of type;
  - the same row keys (the grain from each mart's unique / unique_combination_of_columns test in
    dbt's manifest), 0 unmatched keys either way, no duplicate key;
  - numbers equal within REL_TOL / ABS_TOL (sums and windows run in another order on Spark),
    strings, dates and booleans equal exactly, nulls in the same places.
Spark's tables are read from the Parquet files it wrote under $WAREHOUSE_DIR/spark/warehouse,
with DuckDB. About 3 minutes on a quiet 2-core machine (the Spark build is the long pole),
several times that when the cores are shared; `make spark` runs it.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import dbt_fixtures as fx  # noqa: E402

pytestmark = pytest.mark.spark

DBT = Path(sys.executable).parent / "dbt"
# Same arithmetic, other summation order: well above float rounding, far below any real difference.
REL_TOL = 1e-9
ABS_TOL = 1e-12
SPARK_THREADS = "2"
TIMEOUT_S = 900


def _start(project: Path, warehouse: Path, target: str, *args: str) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "WAREHOUSE_DIR": str(warehouse), "DBT_TARGET": target}
    env.pop("WAREHOUSE_MIN_DATE", None)
    env.pop("WAREHOUSE_MAX_DATE", None)
    log = project.parent / f"dbt_{target}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(DBT), "build", *args, "--project-dir", str(project), "--profiles-dir", str(project)],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    return process, log


def _wait(process: subprocess.Popen, log: Path, started: float) -> float:
    try:
        code = process.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))
    assert code == 0, f"{log.name} failed:\n" + "\n".join(
        line for line in text.splitlines() if not line.startswith(("\tat ", "26/"))
    )[-6000:]
    return time.monotonic() - started


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    if shutil.which("java") is None:
        pytest.skip("java is not on PATH: local Spark (pyspark, dbt-spark session method) needs Java 17")
    root = tmp_path_factory.mktemp("spark_vs_duckdb")
    warehouse = root / "warehouse"
    fx.write_landed_raw(warehouse)
    # Two copies of the project, so the two dbt processes keep separate target/ folders; both
    # read the same raw files and write to different places (warehouse.duckdb, spark/).
    duck_project = fx.copy_project(root / "dbt_duckdb")
    spark_project = fx.copy_project(root / "dbt_spark")
    started = time.monotonic()
    spark = _start(spark_project, warehouse, "spark", "--exclude", "resource_type:unit_test",
                   "--threads", SPARK_THREADS)
    duck = _start(duck_project, warehouse, "duckdb")
    timings = {"duckdb_s": _wait(*duck, started), "spark_s": _wait(*spark, started)}
    print(f"\nbuild wall times (parallel): {timings}")
    return warehouse, duck_project, timings


def _mart_keys(project: Path) -> dict[str, list[str]]:
    """Each mart's grain: its unique_combination_of_columns test, else its unique column."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    marts = {n["name"] for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["schema"] == "marts"}
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        model = (node.get("attached_node") or "").split(".")[-1]
        if node["resource_type"] != "test" or model not in marts:
            continue
        if meta.get("name") == "unique_combination_of_columns":
            keys[model] = list(meta["kwargs"]["columns"])
        elif meta.get("name") == "unique" and model not in keys:
            keys[model] = [meta["kwargs"]["column_name"]]
    missing = marts - set(keys)
    assert not missing, f"marts without a uniqueness test to take the grain from: {sorted(missing)}"
    return keys


def _family(duckdb_type: str) -> str:
    t = duckdb_type.upper()
    if re.match(r"(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|INT\d+)$", t):
        return "integer"
    if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL"):
        return "fractional"
    if t.startswith("VARCHAR") or t == "STRING":
        return "string"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    return t.lower()  # DATE, BOOLEAN


def _read(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[tuple[str, str]], list[tuple]]:
    columns = [(row[0], row[1]) for row in con.execute(f"describe select * from {relation}").fetchall()]
    return columns, con.execute(f"select * from {relation}").fetchall()


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b and type(a) is type(b)
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b


def test_every_mart_matches(builds):
    warehouse, duck_project, timings = builds
    keys = _mart_keys(duck_project)
    spark_marts = warehouse / "spark" / "warehouse" / "marts.db"
    problems: list[str] = []
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        duck_tables = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        spark_tables = {p.name for p in spark_marts.iterdir() if p.is_dir()}
        assert duck_tables == spark_tables == set(keys), (duck_tables, spark_tables, set(keys))
        compared_rows = 0
        for table in sorted(duck_tables):
            duck_columns, duck_rows = _read(con, f"marts.{table}")
            files = list((spark_marts / table).glob("*.parquet"))
            assert files, f"Spark wrote no Parquet file for marts.{table}"
            spark_columns, spark_rows = _read(con, f"read_parquet({[str(f) for f in files]})")
            names = [c for c, _ in duck_columns]
            if names != [c for c, _ in spark_columns]:
                problems.append(f"{table}: columns {names} vs Spark {[c for c, _ in spark_columns]}")
                continue
            for (column, duck_type), (_, spark_type) in zip(duck_columns, spark_columns, strict=True):
                if _family(duck_type) != _family(spark_type):
                    problems.append(f"{table}.{column}: type {duck_type} vs Spark {spark_type}")
            key_index = [names.index(k) for k in keys[table]]
            duck_by_key = {tuple(r[i] for i in key_index): r for r in duck_rows}
            spark_by_key = {tuple(r[i] for i in key_index): r for r in spark_rows}
            if len(duck_by_key) != len(duck_rows) or len(spark_by_key) != len(spark_rows):
                problems.append(f"{table}: duplicate keys {keys[table]}")
            only_duck = sorted(set(duck_by_key) - set(spark_by_key), key=repr)
            only_spark = sorted(set(spark_by_key) - set(duck_by_key), key=repr)
            if only_duck or only_spark:
                problems.append(f"{table}: {len(only_duck)} keys only on DuckDB {only_duck[:3]}, "
                                f"{len(only_spark)} only on Spark {only_spark[:3]}")
            for key in set(duck_by_key) & set(spark_by_key):
                for column, a, b in zip(names, duck_by_key[key], spark_by_key[key], strict=True):
                    if not _same(a, b):
                        problems.append(f"{table} {dict(zip(keys[table], key, strict=True))}: "
                                        f"{column} DuckDB {a!r} vs Spark {b!r}")
            compared_rows += len(duck_rows)
            if not duck_rows:
                problems.append(f"{table}: empty on the fixture, nothing compared")
    print(f"compared {len(duck_tables)} marts, {compared_rows} rows; timings {timings}")
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:60])
