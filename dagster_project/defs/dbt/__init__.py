from dagster_project.defs.dbt.assets import dbt_assets_defs, dbt_resource

__all__ = ["dbt_assets_defs", "dbt_resource"]
