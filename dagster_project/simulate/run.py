"""simulate(): generate a scenario's landing files day by day and write truth.json."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
import signal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import dirty as dirty_mod
from .generator import arrow_table, generate_day, write_parquet
from .plan import Plan
from .scenario import DEFAULT_SCENARIO, load_scenario
from .truth import assemble, day_aggregates

GENERATOR_VERSION = "1.0"


def _date(x) -> dt.date | None:
    if x is None or isinstance(x, dt.date):
        return x
    return dt.date.fromisoformat(str(x))


_STATE = None  # (plan, out_dir, dirty) shared with forked workers


def _rel(source: str, day: dt.date, name: str) -> str:
    return f"{source}/date={day.isoformat()}/{name}"


def _process_day(day: dt.date):
    """Generate, write and aggregate one day; depends only on (plan, day)."""
    plan, out, dirty = _STATE
    r = generate_day(plan, day)
    agg = day_aggregates(plan, r)
    files = {
        "generations": {"part-0.parquet": arrow_table("generations", r.gen)},
        "accounts": {"part-0.parquet": arrow_table("accounts", r.accounts)},
    }
    if r.classifications is not None:
        files["classifications"] = {"part-0.parquet": arrow_table("classifications", r.classifications)}
    frag = dirty_mod.new_record()
    if dirty:
        drng = np.random.default_rng(np.random.SeedSequence([plan.seed, day.toordinal(), 2]))
        files = dirty_mod.inject(plan, day, files, _rel, frag, drng)
    for source in ("generations", "classifications", "accounts"):
        named = files.get(source, {})
        folder = out / source / f"date={day.isoformat()}"
        if folder.exists():
            for stale in folder.glob("*.parquet"):
                if stale.name not in named:
                    stale.unlink()
        for name, table in named.items():
            if not isinstance(table, str):
                write_parquet(table, folder / name)
        for name, table in named.items():
            if isinstance(table, str):  # corrupt: a truncated copy of part-0
                raw = (folder / "part-0.parquet").read_bytes()
                tmp = folder / (name + ".tmp")
                tmp.write_bytes(raw[: len(raw) // 2])
                os.replace(tmp, folder / name)
    return agg, frag


def _merge(rec: dict, frag: dict) -> None:
    for k, f in frag.items():
        r = rec[k]
        r["count"] += f["count"]
        r["days"].update(f["days"])
        r["files"].extend(x for x in f["files"] if x not in r["files"])
        for extra in ("models", "total_tokens", "cost_usd"):
            if extra in f:
                r[extra] = f[extra] if extra == "models" else round(r.get(extra, 0) + f[extra], 6)


def build_plan(scenario_path=None, seed: int = 0, scale: float = 1.0) -> Plan:
    if seed < 0:
        raise ValueError("seed must be >= 0")
    if scale <= 0:
        raise ValueError("scale must be > 0")
    return Plan(load_scenario(scenario_path), int(seed), float(scale)).build()


def _default_signals() -> None:
    """Forked workers inherit the parent's signal handlers; a host that swallows SIGTERM (seen
    inside a test process that had run Dagster) would make Pool.terminate wait forever."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def simulate(
    scenario_path=None,
    out_dir="warehouse/landing",
    seed: int = 0,
    scale: float = 1.0,
    dirty: bool = False,
    start=None,
    end=None,
    plan: Plan | None = None,
    workers: int | None = None,
) -> dict:
    """Generate landing files for [start, end] (default: the scenario window); return the truth manifest."""
    plan = plan or build_plan(scenario_path, seed, scale)
    s = plan.scenario
    start = _date(start) or plan.days[0]
    end = _date(end) or plan.days[-1]
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    plan.day_index(start)
    plan.day_index(end)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]

    global _STATE
    _STATE = (plan, out, bool(dirty))
    rec = dirty_mod.new_record()
    aggs = []
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    results = None
    if n_workers > 1 and len(days) > 8:
        try:
            ctx = mp.get_context("fork")
        except ValueError:
            ctx = None
        if ctx is not None:
            with ctx.Pool(n_workers, initializer=_default_signals) as pool:
                results = list(pool.imap(_process_day, days, chunksize=4))
    if results is None:
        results = [_process_day(d) for d in days]
    _STATE = None
    for agg, frag in results:
        aggs.append(agg)
        _merge(rec, frag)
    meta = {
        "scenario": s["name"],
        "scenario_path": str(scenario_path or DEFAULT_SCENARIO.name),
        "generator_version": GENERATOR_VERSION,
        "seed": plan.seed,
        "scale": plan.scale,
        "dirty": bool(dirty),
        "window": {"start": plan.days[0].isoformat(), "end": plan.days[-1].isoformat()},
        "generated_range": {"start": start.isoformat(), "end": end.isoformat(), "days": len(days)},
        "week_start": "monday",
        "layout": "<source>/date=YYYY-MM-DD/part-0.parquet (sources: generations, classifications, accounts)",
    }
    truth = assemble(plan, days, aggs, meta)
    if dirty:
        truth["faults"] = {k: v for k, v in rec.items()}
        failing = sorted(set(rec["corrupt_file"]["days"]) | set(rec["text_column_file"]["days"]))
        truth["failing_days"] = failing
    else:
        truth["faults"] = {}
        truth["failing_days"] = []
    with open(out / "truth.json", "w") as fh:
        json.dump(truth, fh, indent=1, sort_keys=False, default=str)
        fh.write("\n")
    return truth


def read_day(out_dir, source: str, day) -> pa.Table:
    """Read one day's part-0 file (helper for tests and notebooks)."""
    return pq.read_table(Path(out_dir) / source / f"date={_date(day).isoformat()}" / "part-0.parquet")
