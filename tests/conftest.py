"""Shared fixtures: every test gets its own WAREHOUSE_DIR, and demo-mode pseudonymisation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def warehouse_env(tmp_path, monkeypatch):
    """Point everything the code reads from the environment at a temporary warehouse."""
    wh = tmp_path / "warehouse"
    wh.mkdir()
    monkeypatch.setenv("WAREHOUSE_DIR", str(wh))
    monkeypatch.setenv("WAREHOUSE_DEMO", "1")
    monkeypatch.delenv("WAREHOUSE_ACCOUNT_KEY", raising=False)
    monkeypatch.delenv("WAREHOUSE_MIN_DATE", raising=False)
    monkeypatch.delenv("WAREHOUSE_MAX_DATE", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    yield wh
    for var in ("WAREHOUSE_MIN_DATE", "WAREHOUSE_MAX_DATE"):
        os.environ.pop(var, None)
