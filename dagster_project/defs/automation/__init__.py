from dagster_project.defs.automation.automation import (
    daily_job,
    daily_schedule,
    landing_sensor,
    orphaned_run_sensor,
    reference_job,
)

__all__ = ["daily_job", "daily_schedule", "reference_job", "landing_sensor", "orphaned_run_sensor"]
