"""The analysts' copy of the marts."""

import dagster as dg

from dagster_project import config
from dagster_project.defs.dbt.assets import dbt_facts, dbt_marts
from dagster_project.lib.publish import publish_marts


@dg.asset(
    key=["published", "marts"],
    group_name="published",
    # The facts too: a blocking check on a fact (e.g. reconciliation on fct_generations) must stop
    # publication even though the marts read the aggregated facts beside it.
    deps=[*dbt_facts.keys, *dbt_marts.keys],
    kinds={"duckdb"},
    owners=["team:data-engineering"],
    pool=config.DUCKDB_POOL,
)
def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Read-only copy of schema `marts` in warehouse/marts.duckdb for analysts.

    Runs only after the marts and their blocking checks succeeded in the same run, and replaces the
    file by an atomic rename: the last good marts stay published when anything upstream fails.
    """
    target = config.marts_db()
    counts = publish_marts(config.warehouse_db(), target, note=f"run {context.run_id}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "tables": len(counts),
            "rows_by_table": dg.MetadataValue.json(counts),
            "query_with": f"duckdb -readonly {target}",
        }
    )
