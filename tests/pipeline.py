"""Helpers to drive the real Definitions in tests: simulate days, run them, fingerprint tables."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.defs.automation.automation import RANGE_END_TAG, RANGE_START_TAG
from dagster_project.definitions import defs
from dagster_project.simulate import simulate

from dagster_project.defs.automation.automation import REFERENCE  # noqa: E402


def simulate_days(warehouse: Path, start: str, end: str, scale: float = 0.1, **kwargs) -> dict:
    return simulate(
        out_dir=warehouse / "landing", start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end),
        scale=scale, **kwargs,
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
    """(rows, order-independent content hash) of every table: equal checksums = identical tables.

    Floating-point columns are compared at 9 significant digits: DuckDB sums doubles in parallel,
    and float addition is not associative, so the last bits of an aggregate may differ run to run.
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
            parts = [
                f"printf('%.9g', {c})" if t in ("DOUBLE", "FLOAT") else f"cast({c} as varchar)"
                for c, t, *_ in columns
            ]
            row = "concat_ws('|', " + ", ".join(f"coalesce({p}, '<null>')" for p in parts) + ")"
            out[f"{schema}.{name}"] = con.execute(
                f"select count(*), coalesce(sum(hash({row})), 0) from {schema}.{name}"
            ).fetchall()[0]
        return out


def query(db: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def warehouse_dir() -> Path:
    return Path(os.environ["WAREHOUSE_DIR"])
