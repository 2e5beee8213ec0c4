"""Run-time settings, read from the environment in one place.

WAREHOUSE_DIR           where everything generated lives (default: ./warehouse at the repo root)
WAREHOUSE_ACCOUNT_KEY   secret for the keyed hash that pseudonymises account ids
WAREHOUSE_DEMO=1        demo mode: allows the fixed, public demo key (never for real data)
WAREHOUSE_DUCKDB_MEMORY_LIMIT   DuckDB's memory limit in every process (default 3GB)
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
PUBLIC_DATA_DIR = REPO_ROOT / "data" / "public"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"

# The DuckDB file allows one writer: every step that opens it shares this pool (limit 1 in
# dagster.yaml), so concurrent runs queue instead of failing on the file lock.
DUCKDB_POOL = "duckdb_writer"

# Public on purpose: demo data is synthetic, and the README says so.
DEMO_ACCOUNT_KEY = "llm-warehouse-demo-key-not-secret"


class MissingAccountKey(RuntimeError):
    pass


def warehouse_dir() -> Path:
    """The absolute warehouse directory; exported so dbt and subprocesses see the same path."""
    path = Path(os.environ.get("WAREHOUSE_DIR") or REPO_ROOT / "warehouse").resolve()
    os.environ["WAREHOUSE_DIR"] = str(path)
    return path


def landing_dir() -> Path:
    return warehouse_dir() / "landing"


def raw_dir() -> Path:
    return warehouse_dir() / "raw"


def warehouse_db() -> Path:
    return warehouse_dir() / "warehouse.duckdb"


def marts_db() -> Path:
    return warehouse_dir() / "marts.duckdb"


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit for every connection the steps open (dbt/profiles.yml reads the same
    variable). It bounds DuckDB's buffer pool, not the process: 3GB keeps each under 4 GiB.
    Without it DuckDB takes 80% of RAM (a GX check at 1e8 rows peaked at 14 GiB)."""
    return os.environ.get("WAREHOUSE_DUCKDB_MEMORY_LIMIT", "3GB")


def is_demo() -> bool:
    return os.environ.get("WAREHOUSE_DEMO", "").lower() in {"1", "true", "yes"}


def account_key() -> bytes:
    """The pseudonymisation secret. A non-demo run without one refuses to start."""
    key = os.environ.get("WAREHOUSE_ACCOUNT_KEY")
    if key:
        return key.encode()
    if is_demo():
        return DEMO_ACCOUNT_KEY.encode()
    raise MissingAccountKey(
        "WAREHOUSE_ACCOUNT_KEY is not set. Account ids are replaced by a keyed hash before anything "
        "is written, and the key must come from the environment: export WAREHOUSE_ACCOUNT_KEY=<secret> "
        "(keep it stable: changing it changes every account key). For synthetic demo data only, "
        "set WAREHOUSE_DEMO=1 to use the public demo key."
    )
