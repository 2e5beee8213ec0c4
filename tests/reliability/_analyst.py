"""An analyst in another process: holds marts.duckdb open read-only while a run publishes.

    python -m tests.reliability._analyst MARTS_DB WORK_DIR

Writes WORK_DIR/ready once its connection is open, polls until WORK_DIR/stop appears, then writes
WORK_DIR/report.json: what the held connection saw (it must keep seeing one consistent version) and
what fresh connections saw (each must be a complete version: every table plus `_published`).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def snapshot(con: duckdb.DuckDBPyConnection) -> dict:
    tables = sorted(
        r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
    )
    counts = {t: con.execute(f'select count(*) from "{t}"').fetchall()[0][0] for t in tables}
    note = con.execute("select note from _published").fetchall()[0][0] if "_published" in tables else None
    return {"note": note, "counts": counts}


def main(marts_db: str, work: str) -> None:
    work_dir = Path(work)
    held = duckdb.connect(marts_db, read_only=True)
    first = snapshot(held)
    (work_dir / "ready").write_text(json.dumps(first))
    report = {"first": first, "held_changed": [], "fresh_notes": [], "fresh_incomplete": [], "errors": []}
    while not (work_dir / "stop").exists():
        now = snapshot(held)
        if now != first:
            report["held_changed"].append(now)
        try:
            with duckdb.connect(marts_db, read_only=True) as fresh:
                seen = snapshot(fresh)
            if seen["note"] not in report["fresh_notes"]:
                report["fresh_notes"].append(seen["note"])
            if seen["note"] is None or set(seen["counts"]) != set(first["counts"]):
                report["fresh_incomplete"].append(seen)
        except Exception as exc:  # e.g. a half-written file: must never happen
            report["errors"].append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.1)
    report["last_held"] = snapshot(held)
    held.close()
    (work_dir / "report.json").write_text(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:3])
