"""When the warehouse runs: a daily schedule for yesterday, and a sensor for new or late files."""

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from dagster_project import config
from dagster_project.defs.dbt.assets import dbt_reference
from dagster_project.defs.ingest.assets import daily_partitions
from dagster_project.lib import contract
from dagster_project.lib.landing import DATA_SUFFIXES

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

# Reference data (seeds, vendored public data, the dimensions built from them) changes with the
# code, not with the days: the reference_data job builds it (make materialize, or the UI) before
# the first daily run and after a change. Everything else runs for each day.
REFERENCE = dg.AssetSelection.assets(dbt_reference) | dg.AssetSelection.assets(
    ["raw", "model_catalog"], ["raw", "rankings_daily"]
)
reference_job = dg.define_asset_job(
    "reference_data",
    selection=REFERENCE,
    description="Seeds, the vendored public data (model catalogue, rankings) and the dimensions built from them.",
)
daily_job = dg.define_asset_job(
    "daily_warehouse",
    selection=dg.AssetSelection.all().materializable() - REFERENCE,
    partitions_def=daily_partitions,
    description="Land one day (or a range in one run), rebuild facts for that window, marts, publish.",
)

# Yesterday's partition closes at midnight UTC; 01:15 leaves time for the last files to land.
daily_schedule = dg.build_schedule_from_partitioned_job(
    daily_job, hour_of_day=1, minute_of_hour=15, name="daily_warehouse_schedule"
)


def landing_fingerprints(landing_root) -> dict[str, dict[str, str]]:
    """{day: {source: hash of (file, size, mtime)}} for every landing day folder."""
    days: dict[str, dict[str, str]] = {}
    for source in contract.SOURCES:
        root = landing_root / source
        if not root.is_dir():
            continue
        for folder in sorted(root.glob("date=*")):
            files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(DATA_SUFFIXES))
            if not files:
                continue
            stamp = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
            day = folder.name.removeprefix("date=")
            days.setdefault(day, {})[source] = hashlib.sha1(stamp.encode()).hexdigest()[:16]
    return days


def landed_since_delivery(current: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The days of `current` whose raw files (one per source) are newer than every landing file."""
    landed = {}
    for day, sources in current.items():
        fresh = True
        for source in sources:
            raw = config.raw_dir() / source / f"date={day}" / "data.parquet"
            newest = max(p.stat().st_mtime_ns for p in (config.landing_dir() / source / f"date={day}").iterdir())
            fresh = fresh and raw.exists() and raw.stat().st_mtime_ns >= newest
        if fresh:
            landed[day] = sources
    return landed


def contiguous_ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


@dg.sensor(job=daily_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Requests a run for every landing day whose files are new or changed since the last tick.

    A late file re-runs its own day only; a block of new consecutive days runs as one range run.
    On its first tick the sensor takes days already landed after their last file as seen.
    """
    current = landing_fingerprints(config.landing_dir())
    # First tick (sensor just turned on, e.g. after `make demo`): days landed since their last file
    # arrived are up to date, so only newer files trigger runs, not a re-run of all history.
    seen = json.loads(context.cursor) if context.cursor else landed_since_delivery(current)
    valid = set(daily_partitions.get_partition_keys())
    changed, skipped = [], []
    for day, fingerprint in current.items():
        if seen.get(day) == fingerprint:
            continue
        (changed if day in valid else skipped).append(day)
    if skipped:
        context.log.warning(f"landing folders outside the partitions, ignored: {sorted(skipped)[:10]}")
    requests = []
    for start, end in contiguous_ranges([dt.date.fromisoformat(d) for d in changed]):
        key = "|".join(f"{d}:{json.dumps(current[d.isoformat()], sort_keys=True)}" for d in _days(start, end))
        run_key = f"{start}..{end}:{hashlib.sha1(key.encode()).hexdigest()[:12]}"
        if start == end:
            requests.append(dg.RunRequest(run_key=run_key, partition_key=start.isoformat()))
        else:
            requests.append(
                dg.RunRequest(
                    run_key=run_key, tags={RANGE_START_TAG: start.isoformat(), RANGE_END_TAG: end.isoformat()}
                )
            )
    new_cursor = {d: f for d, f in current.items() if d in valid}
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(new_cursor, sort_keys=True))


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The process that executes the run's steps, from the run's first engine event with a pid."""
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        pid = (record.dagster_event.engine_event_data.metadata or {}).get("pid")
        if pid is not None:
            return int(pid.value)
    return None


def _process_exists(pid: int) -> bool:
    """Whether the pid is a live process. A reused pid reads as alive: the run is then left alone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # Linux: a killed child its parent has not reaped yet is a zombie, i.e. dead
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


@dg.sensor(minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def orphaned_run_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    """Fails runs whose process is gone (SIGKILL, OOM, reboot, `dagster dev` stopped) and frees
    their `duckdb_writer` slots, so later runs do not wait on the pool for ever.

    The local run launcher cannot report a dead worker to Dagster's run monitoring, so such a run
    would stay STARTED. Runs execute on this machine (local launcher, in-process executor), so the
    sensor can look for the process itself.
    """
    instance = context.instance
    orphans = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
        run = record.dagster_run
        pid = _worker_pid(instance, run.run_id)
        if pid is None or _process_exists(pid):
            continue
        instance.report_run_failed(run, f"Its process (pid {pid}) is gone: marked failed by orphaned_run_sensor.")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        orphans.append(run.run_id)
    if orphans:
        context.log.warning(f"Marked {len(orphans)} orphaned run(s) failed and freed their pool slots: {orphans}")
        return dg.SkipReason(f"marked failed and freed the pool slots of {', '.join(orphans)}")
    return dg.SkipReason("no orphaned runs")
