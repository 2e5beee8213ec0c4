"""End to end through the real Definitions: landing files → raw → dbt → checks → published marts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dagster_project.definitions import defs
from dagster_project.lib.marts import PUBLIC_MARTS
from tests.pipeline import query, run_days, run_reference, same_tables, simulate_days, table_checksums

REPO = Path(__file__).resolve().parent.parent
DAYS = ("2025-05-10", "2025-05-12")
MARTS = set(PUBLIC_MARTS)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Three simulated days materialized as one range run; shared by the tests of this module."""
    wh = tmp_path_factory.mktemp("pipeline") / "warehouse"
    wh.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(wh))
        mp.setenv("WAREHOUSE_DEMO", "1")
        truth = simulate_days(wh, *DAYS, scale=0.1)
        instance = dg.DagsterInstance.ephemeral()
        run_reference(instance)
        result = run_days(instance, *DAYS)
        assert result.success
        yield {"wh": wh, "instance": instance, "truth": truth, "result": result}


@pytest.fixture
def wh(built, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(built["wh"]))
    return built["wh"]


def test_definitions_validate():
    out = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_range_run_lands_every_day_and_publishes_every_mart(built, wh):
    for source in ("generations", "classifications", "accounts"):
        for day in ("2025-05-10", "2025-05-11", "2025-05-12"):
            assert (wh / "raw" / source / f"date={day}" / "data.parquet").exists()
    published = {
        r[0]
        for r in query(
            wh / "marts.duckdb", "select table_name from information_schema.tables where table_schema = 'main'"
        )
    }
    assert MARTS <= published
    # The marts carry every planted request: token volume is exact, not estimated.
    landed = query(
        wh / "warehouse.duckdb", "select count(*), sum(input_tokens + output_tokens) from core.fct_generations"
    )[0]
    raw = pq.read_table(wh / "landing" / "generations", columns=["tokens_prompt", "tokens_completion"])
    assert landed == (raw.num_rows, pc.sum(raw["tokens_prompt"]).as_py() + pc.sum(raw["tokens_completion"]).as_py())
    weekly = query(wh / "marts.duckdb", "select sum(total_tokens) from marts.open_closed_weekly")[0][0]
    assert weekly == landed[1]


def test_materialization_metadata_tells_what_landed(built):
    mats = [
        e.event_specific_data.materialization
        for e in built["result"].all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
        and e.event_specific_data.materialization.asset_key == dg.AssetKey(["raw", "generations"])
    ]
    meta = mats[0].metadata
    assert meta["rows_in"].value == meta["rows_landed"].value + meta["rows_quarantined"].value
    assert meta["file_count"].value == 3


def test_rerunning_a_day_gives_identical_tables(built, wh):
    before = table_checksums(wh / "warehouse.duckdb")
    assert run_days(built["instance"], "2025-05-11").success
    assert same_tables(table_checksums(wh / "warehouse.duckdb"), before) == []


def test_late_file_is_picked_up_by_the_sensor_and_reruns_only_its_day(built, wh):
    from dagster_project.defs.automation import landing_sensor

    instance = built["instance"]
    # Turned on after the days were landed: nothing to re-run.
    first = landing_sensor(dg.build_sensor_context(instance=instance))
    assert first.run_requests == []
    cursor = first.cursor
    assert len(json.loads(cursor)) == 3
    again = landing_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))
    assert again.run_requests == []

    day = wh / "landing" / "generations" / "date=2025-05-10"
    late = pq.read_table(day / "part-0.parquet").slice(0, 25)
    late = late.set_column(0, "id", pc.binary_join_element_wise(late["id"], "-late", ""))
    pq.write_table(late, day / "late-0.parquet")
    tick = landing_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))
    assert [r.partition_key for r in tick.run_requests] == ["2025-05-10"]
    # A sensor turned on only now sees the same: the late file is newer than the landed day.
    fresh = landing_sensor(dg.build_sensor_context(instance=instance))
    assert [r.partition_key for r in fresh.run_requests] == ["2025-05-10"]

    def counts():
        return dict(query(wh / "warehouse.duckdb", "select event_date, count(*) from core.fct_generations group by 1"))
    before = counts()
    assert run_days(instance, "2025-05-10").success
    after = counts()
    assert after[dt.date(2025, 5, 10)] == before[dt.date(2025, 5, 10)] + 25
    assert {d: n for d, n in after.items() if d != dt.date(2025, 5, 10)} == {
        d: n for d, n in before.items() if d != dt.date(2025, 5, 10)
    }
    (day / "late-0.parquet").unlink()
    assert run_days(instance, "2025-05-10").success


def test_schedule_requests_yesterday_after_one_am_utc():
    from dagster_project.defs.automation import daily_schedule

    context = dg.build_schedule_context(scheduled_execution_time=dt.datetime(2025, 5, 13, 1, 15, tzinfo=dt.UTC))
    requests = list(daily_schedule.evaluate_tick(context).run_requests)
    assert [r.partition_key for r in requests] == ["2025-05-12"]
    assert daily_schedule.cron_schedule == "15 1 * * *"


def test_every_step_that_opens_the_warehouse_is_in_the_writer_pool():
    # Raw assets and their landing checks read and write Parquet only; the report reads marts.duckdb.
    no_warehouse = {"raw", "report"}
    steps = [a for a in defs.assets if getattr(a, "is_executable", False)] + list(defs.asset_checks)
    for step in steps:
        keys = list(step.keys) if hasattr(step, "keys") and step.keys else [c.asset_key for c in step.check_keys]
        if keys[0].path[0] in no_warehouse:
            continue
        assert step.node_def.pool == "duckdb_writer", f"{step.node_def.name} opens the warehouse outside the pool"


def test_failing_blocking_check_keeps_the_last_good_marts_published(built, wh):
    # A billed `:free` request passes the landing contract but breaks the reconciliation suite.
    day = wh / "landing" / "generations" / "date=2025-05-12"
    bad = pq.read_table(day / "part-0.parquet").slice(0, 1)
    bad = bad.set_column(0, "id", pa.array(["gen-billed-free"]))
    bad = bad.set_column(bad.schema.get_field_index("model"), "model", pa.array(["openai/gpt-oss-20b:free"]))
    bad = bad.set_column(bad.schema.get_field_index("is_byok"), "is_byok", pa.array([False]))
    bad = bad.set_column(bad.schema.get_field_index("total_cost"), "total_cost", pa.array([0.5]))
    pq.write_table(bad, day / "billed-free.parquet")
    published = (wh / "marts.duckdb").read_bytes()
    try:
        result = run_days(built["instance"], "2025-05-12", raise_on_error=False)
        assert not result.success
        failed = {
            (e.asset_key.to_user_string(), e.check_name)
            for e in result.get_asset_check_evaluations()
            if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
        }
        assert ("core/fct_generations", "gx_reconciliation") in failed
        assert not result.is_node_success("published__marts")
        assert (wh / "marts.duckdb").read_bytes() == published
    finally:
        (day / "billed-free.parquet").unlink()
        assert run_days(built["instance"], "2025-05-12").success
