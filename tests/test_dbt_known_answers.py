"""Build the dbt project on tiny fixture data and check mart values worked out by hand.

One module-scoped build (`dbt build`: seeds, models, data tests, unit tests) over the three
fixture days of tests/dbt_fixtures.py, then two windowed runs (WAREHOUSE_MIN_DATE/MAX_DATE) to
check the incremental contract: re-running a day changes nothing, and changing a day's raw data
replaces exactly that day. Three dbt invocations, about 30 s.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dbt_fixtures as fx  # noqa: E402

DBT = Path(sys.executable).parent / "dbt"
DAY = dt.date(2025, 5, 6)


def run_dbt(project: Path, warehouse: Path, *args: str,
            window: tuple[dt.date, dt.date] | None = None) -> None:
    env = {**os.environ, "WAREHOUSE_DIR": str(warehouse), "DBT_TARGET": "duckdb"}
    env.pop("WAREHOUSE_MIN_DATE", None)
    env.pop("WAREHOUSE_MAX_DATE", None)
    if window:
        env["WAREHOUSE_MIN_DATE"], env["WAREHOUSE_MAX_DATE"] = (d.isoformat() for d in window)
    result = subprocess.run(
        [str(DBT), *args, "--project-dir", str(project), "--profiles-dir", str(project)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every core and mart table, sorted, floats rounded (summation order may differ)."""
    tables = query(warehouse, "select table_schema || '.' || table_name from information_schema.tables "
                              "where table_schema in ('core', 'marts') and table_type = 'BASE TABLE'")
    out = {}
    for (table,) in tables:
        rows = query(warehouse, f"select * from {table}")
        out[table] = sorted(
            (tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows), key=repr
        )
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("dbt_known_answers")
    warehouse = root / "warehouse"
    fx.write_landed_raw(warehouse)
    project = fx.copy_project(root / "dbt")
    run_dbt(project, warehouse, "build")
    return project, warehouse


def test_model_share_folds_the_9_account_cell(built):
    _, warehouse = built
    rows = query(warehouse, "select model_slug, total_tokens, accounts, is_other "
                            "from marts.model_share_weekly "
                            "where week_start = date '2025-05-05' order by model_slug")
    # Llama's 9 accounts (and acct_000's unknown model) pool into `other`: 9 + 1 accounts.
    assert rows == [
        (fx.CLAUDE, 2 * 12 * 1200, 12, False),
        (fx.DEEPSEEK, 2 * 12 * 600, 12, False),
        ("other", 2 * 9 * 150 + 2 * 20, 10, True),
    ]
    shares = query(warehouse, "select week_start, sum(token_share) from marts.model_share_weekly group by 1")
    assert all(abs(total - 1) < 1e-12 for _, total in shares)


def test_cohort_retention_and_tool_calls(built):
    _, warehouse = built
    retention = query(warehouse, "select months_since, cohort_accounts, active_accounts, retention "
                                 f"from marts.cohort_retention where model_slug = '{fx.CLAUDE}' order by 1")
    assert retention == [(0, 12, 12, 1.0), (1, 12, 6, 0.5)]
    (tool,) = query(warehouse, "select tool_call_tokens, tool_call_requests, excluded_top_accounts "
                               "from marts.tool_call_share_weekly where week_start = date '2025-05-05'")
    assert tool == (2 * 1200, 2, 1)


def test_dimensions(built):
    _, warehouse = built
    mistral = query(warehouse, "select author, is_open_weights, params_b, size_class, segment, "
                               "is_study_model from core.dim_models "
                               "where model_slug = 'mistralai/mistral-small-3.2-24b-instruct'")
    assert mistral == [("mistralai", True, 24.0, "medium", "open_rest_of_world", False)]
    prices = query(warehouse, "select valid_from, valid_to, input_price_usd_per_mtok, price_source "
                              "from core.dim_model_prices where model_slug = '" + fx.CLAUDE + "' order by 1")
    assert prices == [(dt.date(1900, 1, 1), dt.date(2026, 7, 11), 3.0, "seed"),
                      (dt.date(2026, 7, 11), dt.date(9999, 12, 31), 3.0, "openrouter_catalogue")]


def test_incremental_window_replaces_exactly_one_day(built):
    project, warehouse = built
    before = snapshot(warehouse)
    window = (DAY, DAY + dt.timedelta(days=1))
    daily_facts = ["core.fct_generations", "core.fct_usage_daily", "core.fct_account_model_daily",
                   "core.fct_classified_requests", "core.fct_length_histogram_daily"]

    def other_days() -> dict[str, list[tuple]]:
        return {t: sorted(query(warehouse, f"select * from {t} where event_date <> date '{DAY}'"), key=repr)
                for t in daily_facts}

    other_days_before = other_days()

    # Re-running one day on unchanged raw data leaves every table as it was.
    run_dbt(project, warehouse, "run", window=window)
    assert snapshot(warehouse) == before

    # Change the day (Claude answers twice as long, Llama's requests vanish) and re-run it.
    fx.write_day(warehouse, DAY, claude_output_tokens=400, with_llama=False)
    run_dbt(project, warehouse, "run", window=window)
    per_day = dict(query(warehouse, "select event_date, count(*) from core.fct_generations group by 1"))
    assert per_day == {dt.date(2025, 5, 5): 34, DAY: 25, dt.date(2025, 6, 2): 19}
    assert other_days() == other_days_before
    (claude,) = query(warehouse, "select output_tokens from marts.model_share_weekly "
                                 "where week_start = date '2025-05-05' and model_slug = '" + fx.CLAUDE + "'")
    assert claude == (12 * 200 + 12 * 400,)
    (monthly,) = query(warehouse, "select sum(total_tokens) from core.fct_account_model_monthly "
                                  "where month_start = date '2025-05-01' and model_slug = '" + fx.LLAMA + "'")
    assert monthly == (9 * 150,)
