"""The dbt project as Dagster assets, in three separately selected groups.

seeds (unpartitioned) → facts: staging, intermediate, core (daily partitions; each run passes its
window to the incremental models) → marts (unpartitioned full rebuilds of small aggregates).
Facts and marts are separate steps so a blocking quality check on the facts stops the marts.
"""

import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

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
dbt_resource = DbtCliResource(
    project_dir=dbt_project, profiles_dir=dbt_project.profiles_dir, dbt_executable=DBT_EXECUTABLE
)

# Tags set per folder in dbt_project.yml: staging, intermediate and core are `facts`.
FACTS = "tag:facts"
MARTS = "tag:marts"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    select="resource_type:seed",
    name="dbt_seeds",
    dagster_dbt_translator=translator,
    pool=config.DUCKDB_POOL,
)
def dbt_seeds(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """Reference seeds: model attributes, authors, countries, category map."""
    yield from _build(context, dbt)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    select=FACTS,
    exclude="resource_type:seed",
    name="dbt_facts",
    dagster_dbt_translator=translator,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=config.DUCKDB_POOL,
)
def dbt_facts(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """Staging views, dimensions and the incremental daily facts for the run's partition window."""
    window = context.partition_time_window
    # Read by the models with env_var(): unlike --vars this keeps dbt's partial parsing valid.
    os.environ["WAREHOUSE_MIN_DATE"] = window.start.date().isoformat()
    os.environ["WAREHOUSE_MAX_DATE"] = window.end.date().isoformat()  # exclusive
    context.log.info(f"dbt window [{window.start.date()}, {window.end.date()})")
    yield from _build(context, dbt)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    select=MARTS,
    name="dbt_marts",
    dagster_dbt_translator=translator,
    pool=config.DUCKDB_POOL,
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """Marts: full rebuilds over the aggregated facts (small tables, so cost does not grow with rows)."""
    yield from _build(context, dbt)


# dbt unit tests check the SQL's logic on fixed inputs, not the day's data: `make test` runs them
# (tests/test_dbt_known_answers.py), the daily runs do not pay for them again.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """`dbt build` of the step's selection; its per-run target folder is removed once it succeeded
    (a failed run keeps it: the error message points at its dbt.log)."""
    invocation = dbt.cli(BUILD, context=context)
    yield from invocation.stream()
    shutil.rmtree(invocation.target_path, ignore_errors=True)


dbt_assets_defs = [dbt_seeds, dbt_facts, dbt_marts]
