"""The simulator's dirty mode through the real Definitions: every planted fault ends where it should.

Four days: two good ones carrying every row-level fault (landed as one range run), and the two
failing days of the dirty mode (a truncated Parquet file, a file with a prompt-text column), each run
on its own as the schedule would. Expectations come from truth.json `faults`, never from the code
under test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
import yaml

from dagster_project.simulate.scenario import DEFAULT_SCENARIO
from tests.pipeline import query, run_days, same_tables, simulate_days, table_checksums
from tests.reliability.conftest import new_warehouse

GOOD_DAYS = ("2025-04-30", "2025-05-01")  # one day before the classification start, one after
CORRUPT_DAY, TEXT_DAY = "2025-04-29", "2025-05-02"
SOURCES = ("generations", "classifications", "accounts")
PLACEHOLDER_TEXT = "synthetic placeholder text"  # what the simulator writes into the prompt column

# Every fault on every day, at a fixed number of rows, so a few days exercise the whole matrix.
DIRTY = {
    "duplicate_rows": {"rows": 3},
    "duplicate_file": {"rows": 4},
    "late_rows": {"rows": 5},
    "negative_tokens": {"rows": 2},
    "cached_exceeds_prompt": {"rows": 2},
    "reasoning_exceeds_completion": {"rows": 2},
    "negative_cost": {"rows": 2},
    "timestamp_outside_day": {"rows": 2},
    "unknown_model": {"rows": 2},
    "invalid_finish_reason": {"rows": 2},
    "invalid_country": {"rate": 0.05},
    "low_confidence_label": {"rows": 2},
    "category_before_start": {"rows": 5},
    "corrupt_file": {"days": [dt.date.fromisoformat(CORRUPT_DAY)]},
    "text_column_file": {"days": [dt.date.fromisoformat(TEXT_DAY)]},
}


def _fault_source(fault: dict) -> str:
    return fault["files"][0].split("/")[0]


@pytest.fixture(scope="module")
def dirty(tmp_path_factory, reference_template):
    root = tmp_path_factory.mktemp("dirty")
    wh = new_warehouse(reference_template, root / "warehouse")
    scenario = yaml.safe_load(Path(DEFAULT_SCENARIO).read_text())
    scenario["dirty"] = DIRTY
    (root / "dirty.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(wh))
        mp.setenv("WAREHOUSE_DEMO", "1")
        truth = simulate_days(
            wh, CORRUPT_DAY, TEXT_DAY, scale=0.1, dirty=True, scenario_path=str(root / "dirty.yaml")
        )
        instance = dg.DagsterInstance.ephemeral()
        good = run_days(instance, *GOOD_DAYS, raise_on_error=False)
        published = (wh / "marts.duckdb").read_bytes() if (wh / "marts.duckdb").exists() else None
        before = table_checksums(wh / "warehouse.duckdb", schemas=("core", "marts"))
        failing = {day: run_days(instance, day, raise_on_error=False) for day in (CORRUPT_DAY, TEXT_DAY)}
        yield {
            "wh": wh, "truth": truth, "instance": instance, "good": good, "failing": failing,
            "published_before": published, "checksums_before": before,
        }


def _failed_blocking_checks(result) -> list[tuple[str, str]]:
    return sorted(
        (e.asset_key.to_user_string(), e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    )


def test_good_days_pass_every_blocking_check(dirty):
    assert _failed_blocking_checks(dirty["good"]) == []
    for step in ("raw__generations", "raw__classifications", "raw__accounts", "dbt_facts", "dbt_marts"):
        assert dirty["good"].is_node_success(step), step


def test_good_days_with_unknown_models_are_published(dirty):
    assert dirty["good"].success
    assert (dirty["wh"] / "marts.duckdb").exists()


def _raw_metadata(result: dg.ExecuteInProcessResult, source: str) -> dict:
    """The raw asset's metadata for the run: a range run records one event per day, same totals."""
    metas = [
        {k: v.value for k, v in m.materialization.metadata.items()}
        for m in result.get_asset_materialization_events()
        if m.asset_key == dg.AssetKey(["raw", source])
    ]
    assert metas and all(m == metas[0] for m in metas)
    return metas[0]


def _expected_quarantine(truth: dict, days) -> dict[str, Counter]:
    """{source: Counter(reason: rows)} planted on `days`, from truth.json alone."""
    expected = {s: Counter() for s in SOURCES}
    for fault in truth["faults"].values():
        if not fault["expected_reason"] or not fault["count"]:
            continue
        for day in days:
            if fault["days"].get(day):
                expected[_fault_source(fault)][fault["expected_reason"]] += fault["days"][day]
    return expected


def _landing_rows(wh: Path, source: str, days) -> int:
    return sum(
        pq.ParquetFile(p).metadata.num_rows
        for day in days
        for p in (wh / "landing" / source / f"date={day}").glob("*.parquet")
    )


def test_the_scenario_plants_every_fault_on_the_good_days(dirty):
    faults = dirty["truth"]["faults"]
    assert set(faults) == set(DIRTY)
    for name, fault in faults.items():
        if name in ("corrupt_file", "text_column_file"):
            continue
        assert sum(fault["days"].get(d, 0) for d in GOOD_DAYS) > 0, f"{name} not planted on {GOOD_DAYS}"
    assert sorted(dirty["truth"]["failing_days"]) == [CORRUPT_DAY, TEXT_DAY]


def test_every_planted_fault_is_quarantined_with_its_reason_and_count(dirty):
    wh = dirty["wh"]
    expected = _expected_quarantine(dirty["truth"], GOOD_DAYS)
    for source in SOURCES:
        files = [wh / "raw" / "quarantine" / source / f"date={d}" / "data.parquet" for d in GOOD_DAYS]
        reasons = Counter(
            r for f in files for r in pq.read_table(f, columns=["reason"])["reason"].to_pylist()
        )
        assert reasons == expected[source], source
        # The same rows through the warehouse's quarantine view, where analysts of data quality look.
        in_view = dict(query(
            wh / "warehouse.duckdb",
            "select reason, count(*) from staging.stg_raw__quarantine "
            "where source = ? and partition_date between ? and ? group by 1",
            [source, *GOOD_DAYS],
        ))
        assert Counter(in_view) == expected[source], source


def test_materialization_metadata_counts_every_row_nothing_silently_dropped(dirty):
    wh, expected = dirty["wh"], _expected_quarantine(dirty["truth"], GOOD_DAYS)
    for source in SOURCES:
        meta = _raw_metadata(dirty["good"], source)
        assert meta["rows_in"] == _landing_rows(wh, source, GOOD_DAYS), source
        assert meta["rows_in"] == meta["rows_landed"] + meta["rows_quarantined"], source
        assert meta["quarantined_by_reason"] == dict(expected[source]), source
        landed = sum(
            pq.ParquetFile(wh / "raw" / source / f"date={d}" / "data.parquet").metadata.num_rows
            for d in GOOD_DAYS
        )
        assert landed == meta["rows_landed"], source
    (n,) = query(wh / "warehouse.duckdb", "select count(*) from core.fct_generations")[0]
    assert n == _raw_metadata(dirty["good"], "generations")["rows_landed"]


def test_late_rows_are_landed_not_quarantined(dirty):
    wh = dirty["wh"]
    late_ids = [
        i for d in GOOD_DAYS
        for i in pq.read_table(wh / "landing" / "generations" / f"date={d}" / "late-0.parquet")["id"]
        .to_pylist()
    ]
    assert len(late_ids) == sum(dirty["truth"]["faults"]["late_rows"]["days"][d] for d in GOOD_DAYS)
    (n,) = query(
        wh / "warehouse.duckdb",
        "select count(*) from core.fct_generations "
        f"where generation_id in ({', '.join('?' * len(late_ids))})",
        late_ids,
    )[0]
    assert n == len(late_ids)


def test_unknown_models_land_and_the_coverage_check_reports_them(dirty):
    fault = dirty["truth"]["faults"]["unknown_model"]
    planted = sum(fault["days"][d] for d in GOOD_DAYS)
    slugs = sorted({m.split(":")[0] for m in fault["models"]})
    landed = dict(query(
        dirty["wh"] / "warehouse.duckdb",
        "select model_slug, count(*) from core.fct_generations "
        f"where model_slug in ({', '.join('?' * len(slugs))}) group by 1",
        slugs,
    ))
    assert sum(landed.values()) == planted
    (evaluation,) = [
        e for e in dirty["good"].get_asset_check_evaluations() if e.check_name == "gx_dimension_coverage"
    ]
    rules = evaluation.metadata["rules"].value
    assert rules["token_coverage_per_day"]["passed"]  # a few rows: below the blocking threshold
    assert not rules["unknown_dimension_members"]["passed"]
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    assert rules["unknown_dimension_members"]["unexpected_count"] >= len(landed)
    reported = json.dumps(evaluation.metadata["examples"].value)
    assert [s for s in landed if s not in reported] == []


def _step_failure(result: dg.ExecuteInProcessResult, step: str) -> str:
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE" and e.step_key == step]
    assert failures, f"{step} did not fail"
    return failures[0].event_specific_data.error.to_string()


def test_corrupt_parquet_day_fails_with_an_error_naming_the_file(dirty):
    result = dirty["failing"][CORRUPT_DAY]
    assert not result.success
    error = _step_failure(result, "raw__generations")
    (path,) = dirty["truth"]["faults"]["corrupt_file"]["files"]
    assert path.split("/")[-1] in error and "not a readable Parquet file" in error
    assert not (dirty["wh"] / "raw" / "generations" / f"date={CORRUPT_DAY}" / "data.parquet").exists()


def test_prompt_text_file_fails_the_day_naming_file_and_column_never_the_text(dirty):
    wh, result = dirty["wh"], dirty["failing"][TEXT_DAY]
    assert not result.success
    error = _step_failure(result, "raw__generations")
    (path,) = dirty["truth"]["faults"]["text_column_file"]["files"]
    assert path.split("/")[-1] in error and "'prompt'" in error
    assert not (wh / "raw" / "generations" / f"date={TEXT_DAY}" / "data.parquet").exists()
    # The text reaches no log line and no file the pipeline wrote (raw, quarantine, databases, GX).
    logs = "\n".join(str(e.message) for e in dirty["instance"].all_logs(result.run_id))
    assert PLACEHOLDER_TEXT not in logs
    written = [p for p in wh.rglob("*") if p.is_file() and "landing" not in p.relative_to(wh).parts]
    assert written and not [p for p in written if PLACEHOLDER_TEXT.encode() in p.read_bytes()]


def test_failing_days_leave_the_other_days_and_the_published_marts_untouched(dirty):
    wh = dirty["wh"]
    marts = wh / "marts.duckdb"
    assert (marts.read_bytes() if marts.exists() else None) == dirty["published_before"]
    after = table_checksums(wh / "warehouse.duckdb", schemas=("core", "marts"))
    assert same_tables(after, dirty["checksums_before"]) == []
    for day in GOOD_DAYS:
        assert (wh / "raw" / "generations" / f"date={day}" / "data.parquet").exists()
