"""One measured step per process: `python -m benchmarks.steps <step> <json args> <result file>`.

`benchmarks.run` starts each step as its own process and reads the peak resident memory from
`os.wait4`; the step writes what only it can know (rows, inner timings, Dagster step durations) as
JSON to the result file. Environment (WAREHOUSE_DIR, DAGSTER_HOME, WAREHOUSE_DEMO) is set by the
parent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path


def simulate_step(args: dict) -> dict:
    from dagster_project.simulate import simulate

    t0 = time.perf_counter()
    truth = simulate(
        out_dir=args["out_dir"],
        start=dt.date.fromisoformat(args["start"]),
        end=dt.date.fromisoformat(args["end"]),
        scale=args["scale"],
        seed=args.get("seed", 0),
    )
    seconds = time.perf_counter() - t0
    rows = int(truth["totals"]["requests"])
    return {"rows": rows, "inner_seconds": seconds, "days": truth["generated_range"]["days"]}


def _instance():
    """The run's instance: DAGSTER_HOME (sqlite, what `make materialize` and the daemon use) or, with
    BENCH_DAGSTER_INSTANCE=ephemeral, an in-memory one (what tests/pipeline.py uses)."""
    import dagster as dg

    if os.environ.get("BENCH_DAGSTER_INSTANCE", "persistent") == "ephemeral":
        return dg.DagsterInstance.ephemeral()
    return dg.DagsterInstance.get()


def _run_summary(instance, result) -> dict:
    run_id = result.run_id
    stats = instance.get_run_step_stats(run_id)
    steps = {s.step_key: round((s.end_time or 0) - (s.start_time or 0), 3) for s in stats}
    record = instance.get_run_record_by_id(run_id)
    run_seconds = None
    if record and record.start_time and record.end_time:
        run_seconds = record.end_time - record.start_time
    return {"success": bool(result.success), "run_id": run_id, "run_seconds": run_seconds, "steps": steps}


def reference_step(args: dict) -> dict:
    import dagster as dg

    from dagster_project.definitions import defs
    from dagster_project.defs.automation.automation import REFERENCE

    with _instance() as instance:
        result = dg.materialize(
            defs.assets,
            selection=REFERENCE,
            instance=instance,
            resources=defs.resources,
            raise_on_error=False,
        )
        return _run_summary(instance, result)


def dagster_run_step(args: dict) -> dict:
    """The daily job, in process (as tests/pipeline.py drives it): one day or a single-run range."""

    from dagster_project.definitions import defs
    from dagster_project.defs.automation.automation import RANGE_END_TAG, RANGE_START_TAG

    job = defs.resolve_job_def("daily_warehouse")
    with _instance() as instance:
        if args["start"] == args["end"]:
            result = job.execute_in_process(
                instance=instance, partition_key=args["start"], raise_on_error=False
            )
        else:
            result = job.execute_in_process(
                instance=instance,
                tags={RANGE_START_TAG: args["start"], RANGE_END_TAG: args["end"]},
                raise_on_error=False,
            )
        out = _run_summary(instance, result)
        if not result.success:
            errors = [
                str(e.event_specific_data.error.message)[:500]
                for e in result.all_events
                if e.event_type_value == "STEP_FAILURE"
                and e.event_specific_data
                and e.event_specific_data.error
            ]
            out["errors"] = errors[:5]
        return out


def floor_step(args: dict) -> dict:
    """The least work any build must do: one scan of every generation column (sums, distinct ids)."""
    import duckdb

    glob = f"{args['landing']}/generations/*/*.parquet"
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{args['memory_limit']}'")
    src = f"read_parquet('{glob}', hive_partitioning = false, union_by_name = true)"
    cols = con.execute(f"describe select * from {src}").fetchall()
    exprs = ["count(*)"]
    for name, typ, *_ in cols:
        t = typ.upper()
        if t in ("VARCHAR",):
            exprs.append(f"count(distinct {name})")
        elif t == "BOOLEAN":
            exprs.append(f"sum(cast({name} as integer))")
        elif t.startswith("TIMESTAMP") or t == "DATE":
            exprs.append(f"min({name})")
            exprs.append(f"max({name})")
        else:
            exprs.append(f"sum({name})")
    sql = f"select {', '.join(exprs)} from {src}"
    t0 = time.perf_counter()
    row = con.execute(sql).fetchall()[0]
    seconds = time.perf_counter() - t0
    return {
        "rows": int(row[0]),
        "inner_seconds": seconds,
        "columns": len(cols),
        "threads": con.execute("select current_setting('threads')").fetchall()[0][0],
    }


QUERIES = {
    "open_vs_closed_last_12_weeks": "from marts.open_closed_weekly order by week_start desc, segment limit 36",  # noqa: E501
    "top_10_models_last_4_weeks": """
        select model_slug, sum(total_tokens) as tokens,
            sum(total_tokens) / sum(sum(total_tokens)) over () as share
        from marts.model_share_weekly
        where week_start >= (select max(week_start) from marts.model_share_weekly)
            - interval 21 day
        group by model_slug order by tokens desc limit 10""",
    "category_share_latest_week": """
        select category, token_share, ci_low, ci_high from marts.category_share_weekly
        where week_start = (select max(week_start) from marts.category_share_weekly)
        order by token_share desc""",
    "cohort_retention_month_3": """
        select model_slug, cohort_month, cohort_accounts, retention from marts.cohort_retention
        where months_since = 3 order by cohort_accounts desc limit 20""",
    "top_countries_by_spend": """
        select country_code, continent, spend_share, token_share from marts.geography_country
        order by spend_usd desc limit 10""",
}


def queries_step(args: dict) -> dict:
    """Latency of typical analyst queries on the published marts (read-only, as analysts open it)."""
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect(args["db"], read_only=True)
    connect_ms = (time.perf_counter() - t0) * 1000
    out = {}
    for name, sql in QUERIES.items():
        con.execute(sql).fetchall()  # warm-up (first touch of the file's blocks)
        times = []
        for _ in range(args.get("repeat", 5)):
            t = time.perf_counter()
            rows = con.execute(sql).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        out[name] = {"median_ms": statistics.median(times), "max_ms": max(times), "rows": len(rows)}
    con.close()
    return {"connect_ms": connect_ms, "queries": out}


STEPS = {
    "simulate": simulate_step,
    "reference": reference_step,
    "dagster_run": dagster_run_step,
    "floor": floor_step,
    "queries": queries_step,
}


def main() -> None:
    step, args, out_file = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    result = STEPS[step](args)
    out_file.write_text(json.dumps(result, default=str))
    ok = result.get("success", True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    os.environ.setdefault("WAREHOUSE_DEMO", "1")
    main()
