"""Data-quality gates: Great Expectations suites (expectations/*.json) run inside DuckDB and exposed
as Dagster asset checks. `quality_checks` is what dagster_project/definitions.py includes."""

from .checks import build_quality_checks, partition_window
from .suites import load_suites, thresholds

quality_checks: list = build_quality_checks()

__all__ = ["build_quality_checks", "load_suites", "partition_window", "quality_checks", "thresholds"]
