"""The dbt project as Dagster assets: three steps, each a named selection of dbt/selectors.yml.

reference (seeds and the dimensions built from them and the public data; unpartitioned, built by
the reference run) → daily facts (staging views of the landed days and the incremental facts; daily
partitions, each run passes its window) → rebuilt (accounts dimension, intermediate views, marts:
unpartitioned full rebuilds of small tables). Facts and marts are separate steps so a blocking
quality check on the facts stops the marts.
"""

import importlib.metadata
import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from packaging import version

from dagster_project import config
from dagster_project.defs.dbt.project import dbt_project
from dagster_project.defs.ingest import daily_partitions


class WarehouseTranslator(DagsterDbtTranslator):
    """Keys `<schema>/<model>`, groups by layer, so the UI reads raw → staging → core → marts."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        if dbt_resource_props["resource_type"] == "seed":
            return dg.AssetKey(["seeds", dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:analytics-engineering"]


translator = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_code_references=False))
# The dbt next to this interpreter, so it works without activating the virtualenv.
DBT_EXECUTABLE = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"


class WarehouseDbtCliResource(DbtCliResource):
    """DbtCliResource without two start-up costs this project never uses (~2.5 s a run, measured
    with py-spy; a daily run is ~30 s). Both override private methods of the pinned dagster-dbt.

    - `dbt --version` in a subprocess (~1.6 s): the executable is the dbt of this virtualenv, so
      its version is the installed dbt-core's.
    - an in-process dbt adapter (~1 s): dagster-dbt uses it only for fetch_column_metadata().
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001, ANN202 (private hook)
        return None


dbt_resource = WarehouseDbtCliResource(
    project_dir=dbt_project, profiles_dir=dbt_project.profiles_dir, dbt_executable=DBT_EXECUTABLE
)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    selector="reference",
    name="dbt_reference",
    dagster_dbt_translator=translator,
    pool=config.DUCKDB_POOL,
)
def dbt_reference(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """Seeds (model attributes, authors, countries, category map) and the model, price, country and
    date dimensions built from them and the vendored public data."""
    yield from _build(context, dbt)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    selector="daily",
    name="dbt_facts",
    dagster_dbt_translator=translator,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=config.DUCKDB_POOL,
)
def dbt_facts(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """Staging views of the landed days and the incremental daily facts for the run's partition window."""
    window = context.partition_time_window
    context.log.info(f"dbt window [{window.start.date()}, {window.end.date()})")
    yield from _build(context, dbt, window)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    selector="rebuilt",
    name="dbt_marts",
    dagster_dbt_translator=translator,
    pool=config.DUCKDB_POOL,
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """Accounts dimension, intermediate views and marts: full rebuilds over the aggregated facts
    (small tables, so cost does not grow with rows)."""
    yield from _build(context, dbt)


# dbt unit tests check the SQL's logic on fixed inputs, not the day's data: `make test` runs them
# (tests/test_dbt_known_answers.py), the daily runs do not pay for them again.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, window: dg.TimeWindow | None = None) -> Iterator:
    """`dbt build` of the step's selection; its per-run target folder is removed once it succeeded
    (a failed run keeps it: the error message points at its dbt.log).

    The window reaches the models as WAREHOUSE_MIN_DATE / MAX_DATE, read with env_var(): unlike
    --vars this keeps dbt's partial parsing valid. Unpartitioned steps clear it (whole history), so
    a step sees the same window in process as in its own worker."""
    for name, value in (("WAREHOUSE_MIN_DATE", window and window.start), ("WAREHOUSE_MAX_DATE", window and window.end)):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value.date().isoformat()  # MAX is exclusive
    invocation = dbt.cli(BUILD, context=context)
    yield from invocation.stream()
    _keep_partial_parse(invocation.target_path)
    shutil.rmtree(invocation.target_path, ignore_errors=True)


def _keep_partial_parse(target_path: Path) -> None:
    """Make this invocation's parse the one the next invocation starts from.

    dagster-dbt seeds each invocation with dbt/target/partial_parse.msgpack, but dbt discards it
    ("profile has changed") when WAREHOUSE_DIR differs from when it was written (the profile's
    path is part of its hash): every step would pay a full parse (~4 s). Replaced atomically, as
    concurrent runs may read it."""
    fresh = target_path / "partial_parse.msgpack"
    if fresh.exists():
        kept = dbt_project.project_dir / "target" / "partial_parse.msgpack"
        tmp = kept.with_name(f".partial_parse.{os.getpid()}.msgpack")
        shutil.copyfile(fresh, tmp)
        os.replace(tmp, kept)


dbt_assets_defs = [dbt_reference, dbt_facts, dbt_marts]
