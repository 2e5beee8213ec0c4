from dagster_project.defs.automation.automation import daily_job, daily_schedule, landing_sensor, orphaned_run_sensor

__all__ = ["daily_job", "daily_schedule", "landing_sensor", "orphaned_run_sensor"]
