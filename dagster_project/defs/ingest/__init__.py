from dagster_project.defs.ingest.assets import daily_partitions, ingest_assets

__all__ = ["ingest_assets", "daily_partitions"]
