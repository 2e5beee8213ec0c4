"""The one place the Dagster definitions are assembled (workspace.yaml loads this module)."""

import dagster as dg

from dagster_project import config
from dagster_project.defs.automation import (
    daily_job,
    daily_schedule,
    landing_sensor,
    orphaned_run_sensor,
    reference_job,
)
from dagster_project.defs.dbt import dbt_assets_defs, dbt_resource
from dagster_project.defs.ingest import ingest_assets
from dagster_project.defs.publish import published_marts
from dagster_project.defs.quality import quality_checks
from dagster_project.defs.report import report_assets

config.warehouse_dir()  # resolve and export WAREHOUSE_DIR before dbt or any step reads it

defs = dg.Definitions(
    assets=[*ingest_assets, *dbt_assets_defs, published_marts, *report_assets],
    asset_checks=quality_checks,
    jobs=[reference_job, daily_job],
    schedules=[daily_schedule],
    sensors=[landing_sensor, orphaned_run_sensor],
    resources={"dbt": dbt_resource},
    # One process per run: steps share the interpreter instead of paying ~10 s of imports each,
    # and a run's steps are sequential anyway (they share one DuckDB writer). The pool still
    # serialises steps across concurrent runs.
    executor=dg.in_process_executor,
)
