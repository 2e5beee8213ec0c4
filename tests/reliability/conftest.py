"""Shared by the reliability tests: reference data built once, copied into each test warehouse.

Seeds and the vendored public data do not depend on the simulated days, so building them once per
session (instead of once per warehouse) saves a dbt invocation per scenario on a 2-core machine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from tests.pipeline import run_reference

REPO = Path(__file__).resolve().parents[2]
DAGSTER_BIN = str(REPO / ".venv" / "bin" / "dagster")


@pytest.fixture(scope="session")
def reference_template(tmp_path_factory) -> Path:
    """A warehouse directory holding only the reference data (seeds, OpenRouter catalogue, rankings)."""
    wh = tmp_path_factory.mktemp("reference") / "warehouse"
    wh.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(wh))
        mp.setenv("WAREHOUSE_DEMO", "1")
        assert run_reference(dg.DagsterInstance.ephemeral()).success
    return wh


def new_warehouse(template: Path, target: Path) -> Path:
    """A fresh warehouse directory with the reference data already materialized."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template / "warehouse.duckdb", target / "warehouse.duckdb")
    shutil.copytree(template / "raw" / "public", target / "raw" / "public")
    return target


def copy_warehouse(source: Path, target: Path) -> Path:
    """A byte copy of a whole warehouse directory (no process may hold its DuckDB file)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("dagster_home", "gx"))
    return target


def dagster_home(path: Path) -> Path:
    """A DAGSTER_HOME with the project's instance settings (the duckdb_writer pool limit of 1)."""
    path.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "dagster_project" / "instance" / "dagster.yaml", path / "dagster.yaml")
    return path
