"""The benchmark harness still runs end to end: `python -m benchmarks.run --smoke` on a few tiny days.

It drives the real stack (simulator, Dagster in process, dbt, DuckDB, GX, pandas) once per measured
step, so it takes a few minutes on a busy 2-core machine: marked slow (not in `make test-fast`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

STEPS = (
    "simulate",
    "reference",
    "full_build_run",
    "floor",
    "queries",
    "dbt_parse",
    "dbt_startup",
    "dbt_full_alone",
    "daily_long_dagster",
    "daily_long_dbt",
    "pandas",
    "short_simulate",
    "short_reference",
    "short_build_run",
    "daily_short_dagster",
    "daily_short_dbt",
)
DERIVED = (
    "simulate_rows_per_s",
    "landing_rows_per_s",
    "full_build_s",
    "dbt_full_alone_s",
    "floor_s",
    "pandas_s",
    "daily_long_dagster_s",
    "daily_long_dbt_s",
    "daily_short_dagster_s",
    "daily_short_dbt_s",
    "orchestration_ratio_long",
    "incremental_history_ratio_dagster",
    "incremental_history_ratio_dbt",
    "dbt_startup_s",
    "query_max_median_ms",
)


@pytest.mark.bench
def test_smoke_run_writes_every_measure(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--smoke",
            "--work-dir",
            str(tmp_path / "work"),
            "--results-dir",
            str(tmp_path / "results"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    files = list((tmp_path / "results").glob("*-smoke.json"))
    assert len(files) == 1 and files[0].with_suffix(".md").exists()
    assert not (tmp_path / "results" / "latest.md").exists()  # a smoke run never replaces the published table
    res = json.loads(files[0].read_text())

    for key in ("machine", "duckdb_memory_limit", "executor", "summary", "sizes"):
        assert key in res
    assert res["machine"]["versions"]["duckdb"] and res["machine"]["cores"]
    (size,) = res["sizes"]
    assert size["rows"] > 0
    for name in STEPS:
        assert name in size, name
        assert size[name]["peak_rss_mib"] > 0 and size[name]["seconds"] > 0, name
        assert size[name]["returncode"] == 0, (name, size[name].get("error_tail"))
    d = size["derived"]
    for key in DERIVED:
        assert d[key] is not None and d[key] > 0, key
    assert d["floor_s"] < d["full_build_s"]
    assert d["daily_long_dbt_s"] < d["full_build_s"] + d["daily_long_dagster_s"]
    assert size["floor"]["result"]["rows"] == size["rows"]
    assert size["pandas"]["result"]["status"] == "ok"
    assert set(d["query_median_ms"]) and all(v >= 0 for v in d["query_median_ms"].values())
    assert {"raw_landing", "gx_checks", "dbt_facts", "dbt_marts", "outside_steps"} <= set(
        d["full_build_breakdown"]
    )
    targets = {t["target"] for t in res["summary"]["targets"]}
    assert {"marginal cost", "orchestration overhead", "incremental vs history", "analyst queries"} <= targets
    assert "| measure |" in files[0].with_suffix(".md").read_text()
