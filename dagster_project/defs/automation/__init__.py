from dagster_project.defs.automation.automation import daily_job, daily_schedule, reference_job, landing_sensor, orphaned_run_sensor

__all__ = ["daily_job", "daily_schedule", "reference_job", "landing_sensor", "orphaned_run_sensor"]
