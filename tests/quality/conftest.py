"""Fixtures: clean and planted-defect warehouses in temp folders, and the quality checks run through
Dagster against them (once per module; GX and Dagster start-up dominate the test time)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.defs.quality import build_quality_checks, load_suites

from .warehouse_fixtures import WINDOW_FIRST, WINDOW_LAST, make_bad, make_clean

DAILY = dg.DailyPartitionsDefinition(start_date="2024-11-03")
RANGE_TAGS = {
    "dagster/asset_partition_range_start": WINDOW_FIRST,
    "dagster/asset_partition_range_end": WINDOW_LAST,
}


def stand_in_assets() -> list[dg.AssetsDefinition]:
    """No-op assets with the real keys (and daily partitions where the real asset has them)."""
    assets = []
    for spec in load_suites():
        partitions_def = DAILY if spec.scope == "partition" else None

        @dg.asset(key=spec.asset_key, partitions_def=partitions_def, name=None)
        def _stand_in() -> None:
            return None

        assets.append(_stand_in)
    return assets


@dataclass
class CheckRun:
    result: dg.ExecuteInProcessResult
    evaluations: dict[tuple[str, str], dg.AssetCheckEvaluation]

    def rules(self, suite_name: str) -> dict[str, dict]:
        spec = next(s for s in load_suites() if s.name == suite_name)
        evaluation = self.evaluations[("/".join(spec.asset_key), spec.check_name)]
        return evaluation.metadata["rules"].value


def run_checks(warehouse_dir: Path, scope: str, **materialize_kwargs) -> CheckRun:
    checks = [c for c, s in zip(build_quality_checks(), load_suites(), strict=True) if s.scope == scope]
    assets = [a for a, s in zip(stand_in_assets(), load_suites(), strict=True) if s.scope == scope]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(warehouse_dir))
        result = dg.materialize([*assets, *checks], raise_on_error=False, **materialize_kwargs)
    evaluations = {
        (e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()
    }
    return CheckRun(result=result, evaluations=evaluations)


@pytest.fixture(scope="session")
def clean_dir(tmp_path_factory) -> Path:
    return make_clean(tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="session")
def bad_dir(tmp_path_factory) -> Path:
    return make_bad(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="session")
def clean_runs(clean_dir) -> dict[str, CheckRun]:
    return {
        "partition": run_checks(clean_dir, "partition", tags=RANGE_TAGS),
        "table": run_checks(clean_dir, "table"),
    }


@pytest.fixture(scope="session")
def bad_runs(bad_dir) -> dict[str, CheckRun]:
    return {
        "partition": run_checks(bad_dir, "partition", tags=RANGE_TAGS),
        "table": run_checks(bad_dir, "table"),
    }


def rules_of(runs: dict[str, CheckRun], suite_name: str) -> dict[str, dict]:
    spec = next(s for s in load_suites() if s.name == suite_name)
    return runs[spec.scope].rules(suite_name)


def dumps(value) -> str:
    return json.dumps(value, indent=1, default=str)


# Package scope: restored when this folder is done, so later tests see the real threshold.
@pytest.fixture(autouse=True, scope="package")
def _fixture_sized_sample_threshold():
    """The fixture warehouses have 1,000 requests a day, below the production minimum for testing
    the daily sample band (thresholds.yml: sample_share_min_requests); test the band on them."""
    from dagster_project.defs.quality import suites

    values = suites.thresholds()
    saved = values["sample_share_min_requests"]
    values["sample_share_min_requests"] = 1000
    yield
    values["sample_share_min_requests"] = saved
