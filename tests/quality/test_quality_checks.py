"""The Dagster wiring of the quality checks: severity, blocking, metadata, partition scoping,
released DuckDB lock, and direct invocation."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.quality import build_quality_checks, load_suites, quality_checks

from .conftest import DAILY, run_checks, stand_in_assets


def _evaluation(run, asset_key: str, check_name: str) -> dg.AssetCheckEvaluation:
    return run.evaluations[(asset_key, check_name)]


def test_definitions_shape():
    specs = {s.name: s for s in load_suites()}
    assert len(quality_checks) == len(specs)
    for check, spec in zip(quality_checks, load_suites(), strict=True):
        (check_spec,) = check.check_specs
        assert check_spec.asset_key == dg.AssetKey(spec.asset_key)
        assert check_spec.blocking == spec.blocking
        expected_pool = "duckdb_writer" if spec.source == "warehouse" else None
        assert check.node_def.pool == expected_pool
    assert not specs["core.fct_account_model_daily"].blocking  # concentration only warns
    defs = dg.Definitions(assets=stand_in_assets(), asset_checks=quality_checks)
    dg.Definitions.validate_loadable(defs)
    assert len(defs.resolve_asset_graph().asset_check_keys) == len(specs)


def test_clean_checks_all_pass(clean_runs):
    for run in clean_runs.values():
        assert run.result.success
        scope = "partition" if run is clean_runs["partition"] else "table"
        assert len(run.evaluations) == len([s for s in load_suites() if s.scope == scope])
        for key, evaluation in run.evaluations.items():
            assert evaluation.passed, (key, evaluation.description)


def test_failed_blocking_check_is_error_with_actionable_metadata(bad_runs):
    evaluation = _evaluation(bad_runs["partition"], "core/fct_generations", "gx_reconciliation")
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.blocking
    metadata = evaluation.metadata
    assert metadata["suite"].value == "core.fct_generations"
    assert metadata["window"].value == "2025-04-29 <= date < 2025-05-03"
    assert metadata["unexpected_count"].value == 25
    assert 0 < metadata["unexpected_share"].value < 1
    assert "what to do" in metadata["failures"].value
    assert metadata["examples"].value["cached_le_input"][0]["generation_id"].startswith("gen_20250501_3")
    assert metadata["examples"].value["zero_cost_only_free_or_byok"][0]["generation_id"] in {
        "gen_20250501_61",
        "gen_20250501_62",
    }
    for key in ("data_docs", "data_docs_index", "validation_result"):
        assert Path(metadata[key].value).exists(), key


def test_concentration_spike_is_a_warning_not_an_error(bad_runs):
    evaluation = _evaluation(
        bad_runs["partition"], "core/fct_account_model_daily", "gx_tool_call_concentration"
    )
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    assert not evaluation.blocking
    (example,) = evaluation.metadata["examples"].value["single_account_tool_call_share"]
    assert example["account_key"] == "acct_whale"
    assert example["account_share"] > 0.5


def test_unknown_models_are_listed(bad_runs):
    evaluation = _evaluation(bad_runs["partition"], "core/fct_usage_daily", "gx_dimension_coverage")
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR  # coverage of 2025-05-01 is below 0.995
    examples = evaluation.metadata["examples"].value
    members = {(e["dimension"], e["member"]) for e in examples["unknown_dimension_members"]}
    assert members == {("model", "mystery/model-x"), ("billing_country", "XX")}
    (day,) = examples["token_coverage_per_day"]
    assert day["unknown_models"] == "mystery/model-x"


def test_single_partition_sees_only_its_day(bad_dir):
    run = run_checks(bad_dir, "partition", partition_key="2025-05-02")
    rules = run.rules("core.fct_generations")
    failed = {name for name, r in rules.items() if not r["passed"]}
    assert failed == {"created_at_not_in_future", "created_at_inside_window"}  # the 2099 row only
    assert rules["created_at_inside_window"]["unexpected_count"] == 1
    assert run.evaluations[("core/fct_generations", "gx_reconciliation")].metadata["window"].value == (
        "2025-05-02 <= date < 2025-05-03"
    )


def test_blocking_failure_stops_downstream(bad_dir):
    @dg.asset(key=["core", "fct_generations"], partitions_def=DAILY)
    def fct_generations() -> None:
        return None

    @dg.asset(key=["marts", "downstream_of_generations"], deps=[fct_generations], partitions_def=DAILY)
    def downstream() -> None:
        return None

    checks = [
        c
        for c in build_quality_checks()
        if dg.AssetKey(["core", "fct_generations"]) in {k.asset_key for k in c.check_keys}
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(bad_dir))
        result = dg.materialize(
            [fct_generations, downstream, *checks], partition_key="2025-05-01", raise_on_error=False
        )
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey(["core", "fct_generations"]) in materialized
    assert dg.AssetKey(["marts", "downstream_of_generations"]) not in materialized


def test_duckdb_lock_is_released(clean_runs, clean_dir):
    # After the checks ran, a writer can open the file (DuckDB forbids it while a reader holds it).
    con = duckdb.connect(str(clean_dir / "warehouse.duckdb"))
    con.execute("select 1").fetchall()
    con.close()


def test_direct_invocation_without_partition_checks_whole_table(clean_dir, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(clean_dir))
    check = next(
        c
        for c in quality_checks
        if dg.AssetKey(["core", "fct_generations"]) in {k.asset_key for k in c.check_keys}
    )
    context = dg.build_asset_check_context()
    result = check(context)
    # the whole table includes the broken day 2025-04-20 that partition scoping hides
    assert not result.passed
    assert result.metadata["window"].value == "whole table"
    rules = result.metadata["rules"].value
    assert rules["non_negative_input_tokens"]["unexpected_count"] == 1
    assert rules["non_negative_cost_usd"]["unexpected_count"] == 1


def test_missing_table_fails_with_a_clear_error(tmp_path, monkeypatch):
    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    check = next(
        c
        for c in quality_checks
        if dg.AssetKey(["marts", "model_share_weekly"]) in {k.asset_key for k in c.check_keys}
    )
    result = check(dg.build_asset_check_context())
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    rules = result.metadata["rules"].value
    assert all("model_share_weekly" in (r["error"] or "") for r in rules.values()), rules
    assert "model_share_weekly" in result.metadata["failures"].value
