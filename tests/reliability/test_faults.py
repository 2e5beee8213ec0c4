"""Faults through the real stack: a killed run, reruns, two runs at once, an analyst reading meanwhile.

One warehouse W and one DAGSTER_HOME H (with the project's dagster.yaml: pool duckdb_writer limited
to 1) are shared by the tests of this module, in order:

1. days D1..D2 land as one range run; the range is rerun while an analyst process holds
   marts.duckdb open read-only (idempotence, atomic publish);
2. a run of the new day D3 is SIGKILLed (its whole process group: Dagster and dbt) after dbt has
   committed D3 into core.fct_generations; a copy of W taken before it runs D3 uninterrupted, for comparison;
3. two `dagster job execute` processes start at once on W and H.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.config import DUCKDB_POOL
from dagster_project.definitions import defs
from dagster_project.defs.automation.automation import RANGE_END_TAG, RANGE_START_TAG, orphaned_run_sensor
from tests.pipeline import run_days, same_tables, simulate_days, table_checksums
from tests.reliability.conftest import DAGSTER_BIN, REPO, copy_warehouse, dagster_home, new_warehouse

D1, D2, D3 = "2025-06-03", "2025-06-04", "2025-06-05"
ALL_SCHEMAS = ("staging", "intermediate", "core", "marts")
RUN_TIMEOUT = 600
# Float sums are compared to 1e-6 relative (exact columns stay exact): sample-based marts take a
# sqrt of p(1 - p), which turns float-reassociation noise at p = 1 (1e-16) into ~1e-8 on
# ci_low / ci_high of tiny samples (seen on language_share and category_share_weekly).
REL = 1e-6


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(wh: Path) -> dict:
    return {
        "marts_sha": _sha(wh / "marts.duckdb"),
        "checksums": table_checksums(wh / "warehouse.duckdb", ALL_SCHEMAS),
    }


def _published_note(marts_db: Path) -> str:
    from tests.pipeline import query

    return query(marts_db, "select note from _published")[0][0]


def _start_cli_run(wh: Path, home: Path, start: str, end: str, log: Path) -> subprocess.Popen:
    """`dagster job execute` of the daily job in its own process group (so a kill takes dbt too)."""
    cmd = [
        DAGSTER_BIN, "job", "execute", "-m", "dagster_project.definitions", "-j", "daily_warehouse",
        "--tags", json.dumps({RANGE_START_TAG: start, RANGE_END_TAG: end}),
    ]
    env = {**os.environ, "WAREHOUSE_DIR": str(wh), "DAGSTER_HOME": str(home), "WAREHOUSE_DEMO": "1"}
    env.pop("WAREHOUSE_MIN_DATE", None)
    env.pop("WAREHOUSE_MAX_DATE", None)
    with open(log, "w") as out:
        return subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _instance(home: Path) -> dg.DagsterInstance:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(home))
        return dg.DagsterInstance.get()


def _new_run_id(instance: dg.DagsterInstance, known: set[str], deadline: float) -> str:
    while time.time() < deadline:
        new = [r.run_id for r in instance.get_runs() if r.run_id not in known]
        if new:
            return new[0]
        time.sleep(0.2)
    raise TimeoutError("the run never appeared in the instance")


def _wait_for_group(pgid: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise TimeoutError(f"process group {pgid} still alive")


@pytest.fixture(scope="module")
def shared(tmp_path_factory, reference_template):
    root = tmp_path_factory.mktemp("faults")
    wh = new_warehouse(reference_template, root / "w")
    home = dagster_home(root / "home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(wh))
        mp.setenv("WAREHOUSE_DEMO", "1")
        simulate_days(wh, D1, D3, scale=0.1)
        assert run_days(dg.DagsterInstance.ephemeral(), D1, D2).success
        after_range = table_checksums(wh / "warehouse.duckdb", ALL_SCHEMAS)
        yield {"root": root, "wh": wh, "home": home, "after_range": after_range}


@pytest.fixture(scope="module")
def range_rerun(shared):
    """Rerun D1..D2 as one run while an analyst process holds marts.duckdb open read-only."""
    wh, work = shared["wh"], shared["root"] / "analyst"
    work.mkdir()
    old_note = _published_note(wh / "marts.duckdb")
    analyst = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability._analyst", str(wh / "marts.duckdb"), str(work)], cwd=REPO
    )
    try:
        deadline = time.time() + 60
        while not (work / "ready").exists():
            assert analyst.poll() is None and time.time() < deadline, "analyst did not start"
            time.sleep(0.1)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("WAREHOUSE_DIR", str(wh))
            mp.setenv("WAREHOUSE_DEMO", "1")
            result = run_days(dg.DagsterInstance.ephemeral(), D1, D2, raise_on_error=False)
        (work / "stop").write_text("")
        assert analyst.wait(timeout=60) == 0
    finally:
        if analyst.poll() is None:
            analyst.kill()
    return {
        "result": result, "old_note": old_note, "report": json.loads((work / "report.json").read_text()),
        "checksums": table_checksums(wh / "warehouse.duckdb", ALL_SCHEMAS),
    }


def test_rerunning_a_range_gives_identical_tables(shared, range_rerun):
    assert range_rerun["result"].success
    assert same_tables(range_rerun["checksums"], shared["after_range"], rel=REL) == []


def test_analyst_holding_marts_open_does_not_block_publish_and_never_sees_a_half_published_state(
    shared, range_rerun
):
    wh, report, run = shared["wh"], range_rerun["report"], range_rerun["result"]
    assert run.is_node_success("published__marts")
    # The held connection kept one consistent version, the old one, from start to end.
    assert report["errors"] == [] and report["held_changed"] == []
    assert report["first"]["note"] == report["last_held"]["note"] == range_rerun["old_note"]
    # Fresh connections saw complete versions only: the old one, then (once swapped) the new one.
    assert report["fresh_incomplete"] == []
    new_note = _published_note(wh / "marts.duckdb")
    assert new_note == f"run {run.run_id}" != range_rerun["old_note"]
    assert set(report["fresh_notes"]) <= {range_rerun["old_note"], new_note}


@pytest.fixture(scope="module")
def killed(shared, range_rerun):
    """SIGKILL a run of the new day D3 once dbt has committed D3 into core.fct_generations."""
    wh, home, root = shared["wh"], shared["home"], shared["root"]
    twin = copy_warehouse(wh, root / "w_uninterrupted")  # the same state, for the uninterrupted run
    before = _state(wh)

    instance = _instance(home)
    known = {r.run_id for r in instance.get_runs()}
    proc = _start_cli_run(wh, home, D3, D3, root / "killed.log")
    deadline = time.time() + RUN_TIMEOUT
    run_id, killed_after = _new_run_id(instance, known, deadline), None
    try:
        while killed_after is None:
            assert proc.poll() is None, (root / "killed.log").read_text()[-2000:]  # ended before the kill
            assert time.time() < deadline, "no dbt facts model was committed in time"
            for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
                key = record.dagster_event.asset_key
                if key.path == ["core", "fct_generations"]:
                    os.killpg(proc.pid, signal.SIGKILL)
                    killed_after = key.to_user_string()
                    break
            time.sleep(0.1)
    finally:
        if proc.poll() is None and killed_after is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        _wait_for_group(proc.pid)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(twin))
        mp.setenv("WAREHOUSE_DEMO", "1")
        assert run_days(dg.DagsterInstance.ephemeral(), D3).success
    uninterrupted = {
        "checksums": table_checksums(twin / "warehouse.duckdb", ALL_SCHEMAS),
        "marts": table_checksums(twin / "marts.duckdb", ("main",)),
    }
    return {
        "run_id": run_id, "killed_after": killed_after, "before": before, "uninterrupted": uninterrupted,
        "after_kill": _state(wh),
    }


def test_killed_run_leaves_the_published_marts_as_they_were(killed):
    assert killed["killed_after"]  # the kill came while dbt was writing the facts
    assert killed["after_kill"]["marts_sha"] == killed["before"]["marts_sha"]


def test_killed_run_leaves_every_table_either_as_before_or_complete(killed):
    before, after = killed["before"]["checksums"], killed["uninterrupted"]["checksums"]
    state = killed["after_kill"]["checksums"]
    assert set(state) == set(before) == set(after)
    def same(a, b, table):
        return same_tables({table: a[table]}, {table: b[table]}, rel=REL) == []

    half_written = [t for t in state if not same(state, before, t) and not same(state, after, t)]
    assert half_written == []
    changed = [t for t in state if not same(before, after, t)]
    done = [t for t in changed if same(state, after, t)]
    not_yet = [t for t in changed if same(state, before, t)]
    # Killed in the middle: some tables already hold D3, the marts (built later) do not.
    assert "core.fct_generations" in done and any(t.startswith("marts.") for t in not_yet)


def test_rerun_after_a_kill_completes_with_the_result_of_an_uninterrupted_run(shared, killed):
    wh, home = shared["wh"], shared["home"]
    instance = _instance(home)
    run = instance.get_run_by_id(killed["run_id"])
    assert run.status == dg.DagsterRunStatus.STARTED  # orphaned: nobody marked it
    assert killed["run_id"] in instance.event_log_storage.get_concurrency_run_ids()  # still holds its slot
    # The sensor (on by default under the daemon, `make dev`) finds the run's process gone.
    result = orphaned_run_sensor(dg.build_sensor_context(instance=instance))
    assert killed["run_id"] in result.skip_message
    assert instance.get_run_by_id(killed["run_id"]).status == dg.DagsterRunStatus.FAILURE
    assert killed["run_id"] not in instance.event_log_storage.get_concurrency_run_ids()
    assert "no orphaned runs" in orphaned_run_sensor(dg.build_sensor_context(instance=instance)).skip_message

    proc = _start_cli_run(wh, home, D3, D3, shared["root"] / "rerun.log")
    assert proc.wait(timeout=RUN_TIMEOUT) == 0, (shared["root"] / "rerun.log").read_text()[-3000:]
    uninterrupted = killed["uninterrupted"]
    rerun = table_checksums(wh / "warehouse.duckdb", ALL_SCHEMAS)
    assert same_tables(rerun, uninterrupted["checksums"], rel=REL) == []
    assert same_tables(table_checksums(wh / "marts.duckdb", ("main",)), uninterrupted["marts"], rel=REL) == []


def _pool_steps() -> set[str]:
    job = defs.resolve_job_def("daily_warehouse")
    return {n.name for n in job.graph.nodes if getattr(n.definition, "pool", None) == DUCKDB_POOL}


def test_two_runs_started_at_once_queue_on_the_writer_pool_and_both_succeed(shared, killed):
    wh, home, root = shared["wh"], shared["home"], shared["root"]
    instance = _instance(home)
    known = {r.run_id for r in instance.get_runs()}
    before = table_checksums(wh / "warehouse.duckdb", ALL_SCHEMAS)
    # The Definitions' default executor (in-process since aedd342; pools are claimed the same way
    # by the multiprocess executor), exactly as `make materialize` runs the job.
    procs = [
        _start_cli_run(wh, home, day, day, root / f"concurrent-{day}.log")
        for day in (D1, D3)
    ]
    codes = [p.wait(timeout=2 * RUN_TIMEOUT) for p in procs]
    logs = [(root / f"concurrent-{day}.log").read_text() for day in (D1, D3)]
    assert codes == [0, 0], "\n".join(log[-3000:] for log in logs)
    assert "Could not set lock" not in "".join(logs)

    runs = [r for r in instance.get_runs() if r.run_id not in known]
    assert len(runs) == 2 and all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
    pool_steps, spans, blocked = _pool_steps(), [], 0
    for run in runs:
        starts = {}
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event is None or record.step_key not in pool_steps:
                continue
            if event.event_type == dg.DagsterEventType.STEP_START:
                starts[record.step_key] = record.timestamp
            elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                spans.append((starts[record.step_key], record.timestamp, run.run_id, record.step_key))
            elif f"blocked by limit for pool {DUCKDB_POOL}" in (record.message or ""):
                blocked += 1
    spans.sort()
    overlaps = [(a, b) for a, b in zip(spans, spans[1:], strict=False) if b[0] < a[1]]
    assert len({s[2] for s in spans}) == 2 and len(spans) >= 2 * 5
    assert overlaps == []  # one warehouse writer at a time, across both runs
    assert blocked > 0  # and it was the pool that made the other wait
    # Both were reruns of landed days: the warehouse is as before.
    assert same_tables(table_checksums(wh / "warehouse.duckdb", ALL_SCHEMAS), before, rel=REL) == []
