from dagster_project.defs.publish.assets import published_marts

__all__ = ["published_marts"]
