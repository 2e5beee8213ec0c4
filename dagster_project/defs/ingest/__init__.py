from dagster_project.defs.ingest.assets import ingest_assets, daily_partitions

__all__ = ["ingest_assets", "daily_partitions"]
