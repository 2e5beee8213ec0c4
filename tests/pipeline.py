"""Helpers to drive the real Definitions in tests: simulate days, run them, fingerprint tables."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.definitions import defs
from dagster_project.defs.automation.automation import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    REFERENCE,  # noqa: E402
)
from dagster_project.simulate import simulate


def simulate_days(warehouse: Path, start: str, end: str, scale: float = 0.1, **kwargs) -> dict:
    return simulate(
        out_dir=warehouse / "landing",
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        scale=scale,
        **kwargs,
    )


def run_reference(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(defs.assets, selection=REFERENCE, instance=instance, resources=defs.resources)


def run_days(instance: dg.DagsterInstance, start: str, end: str | None = None, raise_on_error: bool = True):
    """The daily job for one day or, as a single run, for a range of days."""
    job = defs.resolve_job_def("daily_warehouse")
    if end is None or end == start:
        return job.execute_in_process(instance=instance, partition_key=start, raise_on_error=raise_on_error)
    return job.execute_in_process(
        instance=instance, tags={RANGE_START_TAG: start, RANGE_END_TAG: end}, raise_on_error=raise_on_error
    )


def table_checksums(db: Path, schemas=("core", "marts"), skip=("_published",)) -> dict[str, tuple]:
    """Per table: (rows, order-independent hash of the exact columns, sum of each float column).

    Floats are summed, not hashed: DuckDB aggregates doubles in parallel and float addition is not
    associative, so a rerun may move the last bit of a cost sum (1.43749763125000 vs ...4999999),
    and money sums often sit exactly on a rounding boundary. Compare with `same_tables`.
    """
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' "
            f"and table_schema in ({', '.join('?' for _ in schemas)}) order by 1, 2",
            list(schemas),
        ).fetchall()
        out = {}
        for schema, name in tables:
            if name in skip:
                continue
            columns = con.execute(f"describe {schema}.{name}").fetchall()
            exact = [c for c, t, *_ in columns if t not in ("DOUBLE", "FLOAT")]
            floats = [c for c, t, *_ in columns if t in ("DOUBLE", "FLOAT")]
            row = "concat_ws('|', " + ", ".join(f"coalesce(cast({c} as varchar), '<null>')" for c in exact) + ")"
            sums = "".join(f", coalesce(sum({c}), 0)" for c in floats)
            out[f"{schema}.{name}"] = tuple(
                con.execute(f"select count(*), coalesce(sum(hash({row})), 0){sums} from {schema}.{name}").fetchall()[0]
            )
        return out


def same_tables(a: dict[str, tuple], b: dict[str, tuple], rel: float = 1e-9) -> list[str]:
    """Tables whose checksums differ (exact parts exactly, float sums within `rel`)."""
    import math

    differing = sorted(set(a) ^ set(b))
    for table in sorted(set(a) & set(b)):
        x, y = a[table], b[table]
        if x[:2] != y[:2] or not all(
            math.isclose(p, q, rel_tol=rel, abs_tol=1e-12) for p, q in zip(x[2:], y[2:], strict=True)
        ):
            differing.append(table)
    return differing


def query(db: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def warehouse_dir() -> Path:
    return Path(os.environ["WAREHOUSE_DIR"])
