"""Publish the marts to a separate read-only DuckDB file for analysts, swapped in atomically.

DuckDB lets one process write a file and then nobody else open it, so analysts never query the
writer's file. They open `marts.duckdb`, which is replaced by a rename: a session holding the old
file keeps reading the old version, and nobody ever sees a half-written one.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
# In the published file the marts sit in `main`: the file's catalog is already called `marts`, so
# analysts write `marts.model_share_weekly` (or just `model_share_weekly`) with no ambiguity.
PUBLISHED_SCHEMA = "main"


def publish_marts(warehouse_db: Path, marts_db: Path, note: str = "") -> dict[str, int]:
    """Copy every table of schema `marts` into a fresh file and rename it over `marts_db`."""
    tmp = marts_db.with_name(f".{marts_db.name}.{uuid.uuid4().hex}.tmp")
    try:
        with duckdb.connect() as con:
            con.execute(f"attach '{warehouse_db}' as wh (read_only)")
            tables = [
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = ? and table_catalog = 'wh' order by 1",
                    [MARTS_SCHEMA],
                ).fetchall()
            ]
            if not tables:
                raise RuntimeError(f"{warehouse_db}: schema {MARTS_SCHEMA!r} has no tables to publish")
            con.execute(f"attach '{tmp}' as pub")
            counts = {}
            for table in tables:
                con.execute(f"create table pub.{PUBLISHED_SCHEMA}.{table} as select * from wh.{MARTS_SCHEMA}.{table}")
                counts[table] = con.execute(f"select count(*) from pub.{PUBLISHED_SCHEMA}.{table}").fetchall()[0][0]
            con.execute(
                f"create table pub.{PUBLISHED_SCHEMA}._published as select "
                "cast(? as timestamp) as published_at, cast(? as varchar) as note",
                [dt.datetime.now(dt.UTC).replace(tzinfo=None), note],
            )
            con.execute("detach pub")
            con.execute("detach wh")
        os.replace(tmp, marts_db)
        return counts
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
