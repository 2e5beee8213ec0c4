"""Benchmarks of the warehouse: `python -m benchmarks.run [--sizes 1e5,1e6,1e7] [--smoke] [--with-1e8]`.

Every measured step runs as its own process; its wall time is taken here and its peak resident
memory (largest process of the step's tree) comes from `os.wait4`. Work goes to
benchmarks/work/<size>/ (own WAREHOUSE_DIR and DAGSTER_HOME per size); results to
benchmarks/results/<UTC timestamp>.json and .md, and latest.md. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from dagster_project import config

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
PY = sys.executable
BIN = Path(PY).parent
DBT = shutil.which("dbt", path=str(BIN)) or "dbt"

YEAR = ("2024-11-03", "2025-11-30")  # the simulator's default window
SHORT = ("2025-11-01", "2025-11-30")  # 30 days of history at the same per-day density
ROWS_PER_SCALE = 7.9e6  # requests of the full year at scale 1.0 (dagster_project/simulate/README.md)
SMOKE = {
    "label": "smoke",
    "scale": 0.01,
    "long": ("2025-11-27", "2025-11-30"),
    "short": ("2025-11-29", "2025-11-30"),
}
GIB = 2**30

# The same instance settings as make dev / make demo (pool duckdb_writer limited to 1).
DAGSTER_YAML = (REPO / "dagster_project" / "instance" / "dagster.yaml").read_text()

DBT_DAILY_SELECT = ["--selector", "daily_run"]  # dbt/selectors.yml: what the daily job builds


def log(msg: str) -> None:
    print(f"[bench {dt.datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- measuring one process


def measure(name: str, cmd: list[str], env: dict, logdir: Path, result_file: Path | None = None) -> dict:
    """Run `cmd` as a child, return wall seconds, peak RSS (MiB), exit code and its JSON result."""
    logdir.mkdir(parents=True, exist_ok=True)
    if result_file is not None and result_file.exists():
        result_file.unlink()
    out = open(logdir / f"{name}.log", "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.close()
    rec = {
        "seconds": round(seconds, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "returncode": proc.returncode,
    }
    if result_file is not None and result_file.exists():
        rec["result"] = json.loads(result_file.read_text())
    if proc.returncode != 0:
        tail = (logdir / f"{name}.log").read_text(errors="replace").splitlines()[-15:]
        rec["error_tail"] = "\n".join(tail)[-2000:]
    status_txt = "ok" if proc.returncode == 0 else f"FAILED rc={proc.returncode}"
    log(f"  {name}: {seconds:.1f} s, peak {rec['peak_rss_mib']:.0f} MiB, {status_txt}")
    return rec


def step(name: str, step_name: str, args: dict, env: dict, logdir: Path) -> dict:
    rf = logdir / f"{name}.json"
    return measure(
        name, [PY, "-m", "benchmarks.steps", step_name, json.dumps(args), str(rf)], env, logdir, rf
    )


def dbt_cmd(verb: str, wh: Path, extra: list[str] | None = None) -> list[str]:
    return [
        DBT,
        verb,
        "--project-dir",
        str(REPO / "dbt"),
        "--profiles-dir",
        str(REPO / "dbt"),
        "--target-path",
        str(wh / "dbt_target"),
        "--log-path",
        str(wh / "dbt_logs"),
        *(["--exclude-resource-type", "unit_test"] if verb == "build" else []),  # as the Dagster steps
        *(extra or []),
    ]


def env_for(wh: Path, home: Path, window: tuple[str, str] | None = None) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WAREHOUSE_MIN_DATE", "WAREHOUSE_MAX_DATE", "DAGSTER_IS_DEV_CLI")
    }
    env.update(
        WAREHOUSE_DIR=str(wh),
        DAGSTER_HOME=str(home),
        WAREHOUSE_DEMO="1",
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        PATH=str(BIN) + os.pathsep + env.get("PATH", ""),
    )
    if window:  # [min, max) as the dbt models read it
        env["WAREHOUSE_MIN_DATE"] = window[0]
        env["WAREHOUSE_MAX_DATE"] = (dt.date.fromisoformat(window[1]) + dt.timedelta(days=1)).isoformat()
    return env


def fresh_warehouse(root: Path) -> tuple[Path, Path]:
    if root.exists():
        shutil.rmtree(root)
    wh, home = root / "wh", root / "dagster_home"
    wh.mkdir(parents=True)
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    return wh, home


# ---------------------------------------------------------------- one size


def run_size(
    label: str, scale: float, long: tuple[str, str], short: tuple[str, str], work: Path, opts
) -> dict:
    log(f"size {label}: scale {scale:.5g}, long history {long[0]}..{long[1]}, short {short[0]}..{short[1]}")
    root = work / label
    wh, home = fresh_warehouse(root / "long")
    logs = root / "logs"
    env = env_for(wh, home)
    m: dict = {"label": label, "scale": scale, "long_history": list(long), "short_history": list(short)}
    day = long[1]

    m["simulate"] = step(
        "simulate",
        "simulate",
        {"out_dir": str(wh / "landing"), "start": long[0], "end": long[1], "scale": scale},
        env,
        logs,
    )
    rows = m["simulate"].get("result", {}).get("rows", 0)
    m["rows"] = rows
    m["reference"] = step("reference", "reference", {}, env, logs)
    m["full_build_run"] = step("full_build_run", "dagster_run", {"start": long[0], "end": long[1]}, env, logs)
    m["floor"] = step(
        "floor", "floor", {"landing": str(wh / "landing"), "memory_limit": opts.memory_limit}, env, logs
    )
    m["queries"] = step("queries", "queries", {"db": str(wh / "marts.duckdb")}, env, logs)

    # The same dbt build alone (seeds, facts, marts, every dbt test) into a fresh database over the
    # same landed raw files. A warm partial parse first, as Dagster's dbt runs have one.
    alone = root / "dbt_only"
    if alone.exists():
        shutil.rmtree(alone)
    alone.mkdir(parents=True)
    (alone / "raw").symlink_to(wh / "raw")
    env_alone = env_for(alone, home)
    m["dbt_parse"] = measure("dbt_parse", dbt_cmd("parse", alone), env_alone, logs)
    m["dbt_startup"] = measure(
        "dbt_startup", dbt_cmd("run", alone, ["--select", "tag:no_such_bench_tag"]), env_alone, logs
    )
    m["dbt_full_alone"] = measure("dbt_full_alone", dbt_cmd("build", alone), env_alone, logs)

    # One-day incremental at full history: through Dagster, then the same dbt selection alone.
    m["daily_long_dagster"] = step("daily_long_dagster", "dagster_run", {"start": day, "end": day}, env, logs)
    measure("dbt_parse_wh", dbt_cmd("parse", wh), env_for(wh, home, (day, day)), logs)
    m["daily_long_dbt"] = measure(
        "daily_long_dbt", dbt_cmd("build", wh, DBT_DAILY_SELECT), env_for(wh, home, (day, day)), logs
    )

    # Pandas baseline on the same landing files, capped.
    m["pandas"] = measure(
        "pandas",
        [
            PY,
            "-m",
            "benchmarks.pandas_baseline",
            str(wh / "landing"),
            str(root / "pandas_out"),
            str(logs / "pandas.json"),
            "--max-gib",
            str(opts.pandas_max_gib),
        ],
        env,
        logs,
        logs / "pandas.json",
    )

    # One-day incremental at short history (30 days at the same per-day density).
    swh, shome = fresh_warehouse(root / "short")
    senv = env_for(swh, shome)
    m["short_simulate"] = step(
        "short_simulate",
        "simulate",
        {"out_dir": str(swh / "landing"), "start": short[0], "end": short[1], "scale": scale},
        senv,
        logs,
    )
    m["short_reference"] = step("short_reference", "reference", {}, senv, logs)
    m["short_build_run"] = step(
        "short_build_run", "dagster_run", {"start": short[0], "end": short[1]}, senv, logs
    )
    m["daily_short_dagster"] = step(
        "daily_short_dagster", "dagster_run", {"start": day, "end": day}, senv, logs
    )
    measure("dbt_parse_short", dbt_cmd("parse", swh), env_for(swh, shome, (day, day)), logs)
    m["daily_short_dbt"] = measure(
        "daily_short_dbt", dbt_cmd("build", swh, DBT_DAILY_SELECT), env_for(swh, shome, (day, day)), logs
    )
    m["derived"] = derive_size(m)
    return m


def _steps(rec: dict) -> dict:
    return rec.get("result", {}).get("steps", {}) or {}


def _ok(rec: dict | None) -> bool:
    return bool(rec) and rec.get("returncode") == 0


def breakdown(rec: dict) -> dict:
    """Where a Dagster run's time went: raw landing, GX checks, dbt steps, publish, and the rest."""
    steps = _steps(rec)
    groups = {
        "raw_landing": 0.0,
        "gx_checks": 0.0,
        "dbt_reference": 0.0,
        "dbt_facts": 0.0,
        "dbt_marts": 0.0,
        "publish": 0.0,
        "report": 0.0,
        "other_steps": 0.0,
    }
    for key, sec in steps.items():
        if key.startswith("raw__") and not key.endswith(("_gx_landed_schema",)) and "gx" not in key:
            groups["raw_landing"] += sec
        elif "gx" in key:
            groups["gx_checks"] += sec
        elif key in ("dbt_reference", "dbt_facts", "dbt_marts"):
            groups[key] += sec
        elif "publish" in key:
            groups["publish"] += sec
        elif key.startswith("report"):
            groups["report"] += sec
        else:
            groups["other_steps"] += sec
    groups["outside_steps"] = rec.get("seconds", 0.0) - sum(
        steps.values()
    )  # process start, imports, definitions, run bookkeeping
    return {k: round(v, 3) for k, v in groups.items()}


def derive_size(m: dict) -> dict:
    rows = m.get("rows") or 0
    d: dict = {}
    sim = m["simulate"]
    d["simulate_rows_per_s"] = rows / sim["result"]["inner_seconds"] if _ok(sim) else None
    run = m["full_build_run"]
    b = breakdown(run) if _ok(run) else {}
    d["full_build_breakdown"] = b
    d["landing_rows_per_s"] = rows / b["raw_landing"] if b.get("raw_landing") else None
    d["full_build_s"] = (
        m["reference"]["seconds"] + run["seconds"] if _ok(run) and _ok(m["reference"]) else None
    )
    d["dbt_full_alone_s"] = m["dbt_full_alone"]["seconds"] if _ok(m["dbt_full_alone"]) else None
    d["floor_s"] = m["floor"]["result"]["inner_seconds"] if _ok(m["floor"]) else None
    d["pandas_s"] = m["pandas"]["seconds"] if _ok(m["pandas"]) else None
    d["pandas_status"] = (
        m["pandas"].get("result", {}).get("status", "failed" if not _ok(m["pandas"]) else "ok")
    )
    if not _ok(m["pandas"]):
        d["pandas_reason"] = (
            m["pandas"].get("result", {}).get("reason") or m["pandas"].get("error_tail", "")[-300:]
        )
    for k in ("daily_long_dagster", "daily_long_dbt", "daily_short_dagster", "daily_short_dbt"):
        d[k + "_s"] = m[k]["seconds"] if _ok(m[k]) else None
    d["daily_long_breakdown"] = breakdown(m["daily_long_dagster"]) if _ok(m["daily_long_dagster"]) else {}
    d["daily_short_breakdown"] = breakdown(m["daily_short_dagster"]) if _ok(m["daily_short_dagster"]) else {}
    d["orchestration_ratio_long"] = _ratio(d["daily_long_dagster_s"], d["daily_long_dbt_s"])
    d["orchestration_ratio_short"] = _ratio(d["daily_short_dagster_s"], d["daily_short_dbt_s"])
    # The same dbt selection inside the Dagster run: its two dbt steps (set-up, dbt, event handling).
    lb = d["daily_long_breakdown"]
    d["daily_long_dbt_steps_s"] = round(lb["dbt_facts"] + lb["dbt_marts"], 3) if lb else None
    d["orchestration_ratio_dbt_steps"] = _ratio(d["daily_long_dbt_steps_s"], d["daily_long_dbt_s"])
    d["incremental_history_ratio_dagster"] = _ratio(d["daily_long_dagster_s"], d["daily_short_dagster_s"])
    d["incremental_history_ratio_dbt"] = _ratio(d["daily_long_dbt_s"], d["daily_short_dbt_s"])
    d["full_build_vs_dbt_alone"] = _ratio(d["full_build_s"], d["dbt_full_alone_s"])
    d["dbt_startup_s"] = m["dbt_startup"]["seconds"] if _ok(m["dbt_startup"]) else None
    q = m["queries"].get("result", {}).get("queries", {})
    d["query_median_ms"] = {k: round(v["median_ms"], 2) for k, v in q.items()}
    d["query_max_median_ms"] = max(d["query_median_ms"].values()) if q else None
    d["peak_rss_mib"] = {
        k: v["peak_rss_mib"] for k, v in m.items() if isinstance(v, dict) and "peak_rss_mib" in v
    }
    return d


def _ratio(a, b):
    return round(a / b, 3) if a is not None and b not in (None, 0) else None


# ---------------------------------------------------------------- across sizes


def slope(sizes: list[dict], key: str) -> tuple[float | None, str | None]:
    """Extra seconds per extra million rows between the two largest sizes where both have a value."""
    pts = [
        (s["rows"], s["derived"].get(key)) for s in sizes if s["derived"].get(key) is not None and s["rows"]
    ]
    if len(pts) < 2:
        return None, None
    (r1, t1), (r2, t2) = sorted(pts)[-2:]
    if r2 == r1:
        return None, None
    return (t2 - t1) / (r2 - r1) * 1e6, f"{r1}->{r2}"


def summarize(sizes: list[dict], opts) -> dict:
    s: dict = {}
    for key in ("full_build_s", "dbt_full_alone_s", "floor_s", "pandas_s"):
        val, between = slope(sizes, key)
        s[f"slope_{key.removesuffix('_s')}_s_per_mrow"] = None if val is None else round(val, 4)
        s[f"slope_{key.removesuffix('_s')}_between"] = between
    fb, fl, pd_ = (
        s["slope_full_build_s_per_mrow"],
        s["slope_floor_s_per_mrow"],
        s["slope_pandas_s_per_mrow"],
    )
    s["marginal_vs_floor"] = round(fb / fl, 2) if fb is not None and fl and fl > 0 else None
    # Against pandas, both slopes over the same pair of sizes (pandas may fail at the largest).
    fb_same = slope([x for x in sizes if x["derived"].get("pandas_s") is not None], "full_build_s")[0]
    s["slope_full_build_at_pandas_sizes_s_per_mrow"] = None if fb_same is None else round(fb_same, 4)
    s["pandas_marginal_vs_build"] = (
        round(pd_ / fb_same, 2) if pd_ is not None and fb_same and fb_same > 0 else None
    )
    smallest = min(sizes, key=lambda x: x["rows"] or 0)
    d = smallest["derived"]
    b = d.get("full_build_breakdown", {})
    ref_steps = breakdown(smallest["reference"]) if _ok(smallest["reference"]) else {}
    s["fixed_cost"] = {
        "size": smallest["label"],
        "rows": smallest["rows"],
        "full_build_s": d.get("full_build_s"),
        "reference_s": smallest["reference"]["seconds"],
        "range_run_s": smallest["full_build_run"]["seconds"],
        "dbt_invocations": 3,
        "dbt_startup_each_s": d.get("dbt_startup_s"),
        "dbt_startup_total_s": round(3 * d["dbt_startup_s"], 2) if d.get("dbt_startup_s") else None,
        "dbt_steps_s": round(
            sum(b.get(k, 0) for k in ("dbt_facts", "dbt_marts")) + ref_steps.get("dbt_reference", 0), 2
        ),
        "gx_check_steps_s": b.get("gx_checks"),
        "raw_landing_steps_s": b.get("raw_landing"),
        "publish_s": b.get("publish"),
        "dagster_outside_steps_s": round(b.get("outside_steps", 0) + ref_steps.get("outside_steps", 0), 2),
    }
    largest = max(sizes, key=lambda x: x["rows"] or 0)
    s["largest"] = largest["label"]
    s["targets"] = targets(sizes, s, opts)
    return s


def targets(sizes, s, opts) -> list[dict]:
    by = {x["label"]: x for x in sizes}
    largest = max(sizes, key=lambda x: x["rows"] or 0)["derived"]
    out = []

    def add(name, goal, value, met, note=""):
        out.append({"target": name, "goal": goal, "measured": value, "met": met, "note": note})

    r = s["marginal_vs_floor"]
    add(
        "marginal cost",
        "full-build slope <= 10x raw-scan floor slope",
        r,
        None if r is None else r <= 10,
        f"between {s['slope_full_build_between']} rows" if r is not None else "needs two sizes",
    )
    fc = s["fixed_cost"]
    add(
        "fixed cost",
        f"full build at the smallest size ({fc['size']}), split",
        fc["full_build_s"],
        None,
        f"dbt start-up {fc['dbt_startup_total_s']} s of {fc['dbt_invocations']} invocations; "
        f"Dagster outside steps {fc['dagster_outside_steps_s']} s; GX steps {fc['gx_check_steps_s']} s",
    )
    r = largest["orchestration_ratio_long"]
    add(
        "orchestration overhead",
        "daily run via Dagster <= 1.5x same dbt selection alone",
        r,
        None if r is None else r <= 1.5,
        f"at {s['largest']}, full-year history; the whole daily job (landing, GX, dbt, publish, "
        f"report) against dbt alone. Its two dbt steps alone: {largest['orchestration_ratio_dbt_steps']}x",
    )
    r = largest["incremental_history_ratio_dagster"]
    add(
        "incremental vs history",
        "one-day run at full year <= 1.5x at 30 days (Dagster)",
        r,
        None if r is None else r <= 1.5,
        f"at {s['largest']}; dbt alone: {largest['incremental_history_ratio_dbt']}",
    )
    r = s["pandas_marginal_vs_build"]
    add(
        "vs pandas: marginal cost",
        "pandas slope >= 10x full-build slope",
        r,
        None if r is None else r >= 10,
        f"between {s['slope_pandas_between']} rows" if r is not None else "needs two sizes with pandas ok",
    )
    x = by.get("1e7")
    if x and x["derived"]["full_build_s"] is not None:
        pd_s = x["derived"]["pandas_s"]
        met = True if pd_s is None else x["derived"]["full_build_s"] < pd_s
        add(
            "vs pandas: end to end at 1e7",
            "full build faster than pandas at 1e7 rows",
            {"full_build_s": x["derived"]["full_build_s"], "pandas_s": pd_s},
            met,
            "pandas " + x["derived"]["pandas_status"],
        )
    else:
        add(
            "vs pandas: end to end at 1e7",
            "full build faster than pandas at 1e7 rows",
            None,
            None,
            "1e7 not run",
        )
    x = by.get("1e8")
    if x:
        peak = (
            max(v for k, v in x["derived"]["peak_rss_mib"].items() if k in ("full_build_run", "reference"))
            / 1024
        )
        add(
            "1e8 within 4 GiB",
            "full build finishes at 1e8 within 4 GiB peak, pandas cannot",
            {"build_peak_gib": round(peak, 2), "pandas": x["derived"]["pandas_status"]},
            x["derived"]["full_build_s"] is not None and peak <= 4 and x["derived"]["pandas_status"] != "ok",
        )
    else:
        add(
            "1e8 within 4 GiB",
            "full build finishes at 1e8 within 4 GiB peak, pandas cannot",
            None,
            None,
            "opt-in (--with-1e8), not run",
        )
    q = largest["query_max_median_ms"]
    add(
        "analyst queries",
        "each of 5 queries on marts.duckdb < 100 ms (median)",
        q,
        None if q is None else q < 100,
        f"slowest median at {s['largest']}",
    )
    return out


# ---------------------------------------------------------------- machine and output


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        mem = round(int(Path("/proc/meminfo").read_text().split()[1]) / 2**20, 1)
    except (OSError, ValueError):
        pass
    versions = {}
    for pkg in (
        "dagster",
        "dagster-dbt",
        "dbt-core",
        "dbt-duckdb",
        "duckdb",
        "pandas",
        "pyarrow",
        "great_expectations",
    ):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    versions["python"] = platform.python_version()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    )
    return {
        "host_platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "mem_gib": mem,
        "load_avg_start": list(os.getloadavg()),
        "versions": versions,
        "git_commit": commit,
        "git_dirty": dirty,
    }


def fmt(v, unit="", nd=2):
    if v is None:
        return "—"
    if isinstance(v, float):
        if abs(v) >= 1000:
            return f"{v:,.0f}{unit}"
        return f"{v:.{nd}f}{unit}"
    if isinstance(v, int):
        return f"{v:,}{unit}"
    return f"{v}{unit}"


def markdown(res: dict) -> str:
    sizes = res["sizes"]
    mc = res["machine"]
    lines = [
        f"# Benchmark {res['run_id']}",
        "",
        f"Machine: {mc['cpu']}, {mc['cores']} cores, {mc['mem_gib']} GiB RAM, {mc['host_platform']}; "
        f"load average {mc['load_avg_start'][0]:.1f} at start, {mc.get('load_avg_end', [0])[0]:.1f} at end"
        + (
            " (machine shared with other work: absolute times are noisy, "
            "ratios within the run are what counts)"
            if res.get("shared_machine")
            else ""
        ),
        "Versions: "
        + ", ".join(f"{k} {v}" for k, v in mc["versions"].items())
        + f"; commit {mc['git_commit']}{' (dirty)' if mc['git_dirty'] else ''}",
        f"DuckDB memory_limit: {res['duckdb_memory_limit']} (dbt profile); "
        f"Dagster executor: {res['executor']}, "
        f"instance: {res.get('dagster_instance')}; "
        f"pandas address-space cap: {res['pandas_max_gib']} GiB",
        "",
        "| measure | " + " | ".join(s["label"] for s in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]

    def row(name, fn):
        lines.append(f"| {name} | " + " | ".join(fn(s) for s in sizes) + " |")

    D = lambda s: s["derived"]  # noqa: E731
    P = lambda s, k: fmt(D(s)["peak_rss_mib"].get(k), " MiB", 0)  # noqa: E731
    row("requests (rows)", lambda s: fmt(s["rows"]))
    row("simulator throughput", lambda s: fmt(D(s)["simulate_rows_per_s"], " rows/s", 0))
    row("landing throughput (raw assets)", lambda s: fmt(D(s)["landing_rows_per_s"], " rows/s", 0))
    row("full build via Dagster (reference + range run)", lambda s: fmt(D(s)["full_build_s"], " s", 1))
    row(
        "  of which raw landing / GX checks / dbt facts / dbt marts / report / outside steps (s)",
        lambda s: " / ".join(
            fmt(D(s)["full_build_breakdown"].get(k), "", 1)
            for k in ("raw_landing", "gx_checks", "dbt_facts", "dbt_marts", "report", "outside_steps")
        ),
    )
    row("full build peak RSS", lambda s: P(s, "full_build_run"))
    row("dbt build alone (all models + tests)", lambda s: fmt(D(s)["dbt_full_alone_s"], " s", 1))
    row("dbt build alone peak RSS", lambda s: P(s, "dbt_full_alone"))
    row("dbt start-up (no-op invocation)", lambda s: fmt(D(s)["dbt_startup_s"], " s", 1))
    row("floor: one DuckDB scan of all columns", lambda s: fmt(D(s)["floor_s"], " s", 3))
    row("floor peak RSS", lambda s: P(s, "floor"))
    row(
        "pandas baseline (3 marts)",
        lambda s: fmt(D(s)["pandas_s"], " s", 1) if D(s)["pandas_status"] == "ok" else D(s)["pandas_status"],
    )
    row("pandas peak RSS", lambda s: P(s, "pandas"))
    row(
        "one day, full-year history: Dagster / dbt alone",
        lambda s: f"{fmt(D(s)['daily_long_dagster_s'], ' s', 1)} / {fmt(D(s)['daily_long_dbt_s'], ' s', 1)}",
    )
    row(
        "one day, 30-day history: Dagster / dbt alone",
        lambda s: (
            f"{fmt(D(s)['daily_short_dagster_s'], ' s', 1)} / {fmt(D(s)['daily_short_dbt_s'], ' s', 1)}"
        ),
    )
    row("ratio Dagster / dbt alone (daily, full year)", lambda s: fmt(D(s)["orchestration_ratio_long"]))
    row(
        "ratio Dagster's dbt steps / dbt alone (daily, full year)",
        lambda s: fmt(D(s).get("orchestration_ratio_dbt_steps")),
    )
    row(
        "ratio full year / 30 days (daily, Dagster)", lambda s: fmt(D(s)["incremental_history_ratio_dagster"])
    )
    row("ratio full year / 30 days (daily, dbt alone)", lambda s: fmt(D(s)["incremental_history_ratio_dbt"]))
    row("daily run peak RSS (Dagster)", lambda s: P(s, "daily_long_dagster"))
    row("slowest analyst query (median)", lambda s: fmt(D(s)["query_max_median_ms"], " ms", 1))
    sm = res["summary"]
    lines += [
        "",
        "| slope (extra s per extra 1M rows, two largest sizes) | value |",
        "|---|---|",
        f"| full build | {fmt(sm['slope_full_build_s_per_mrow'], ' s', 3)} |",
        f"| dbt build alone | {fmt(sm['slope_dbt_full_alone_s_per_mrow'], ' s', 3)} |",
        f"| floor scan | {fmt(sm['slope_floor_s_per_mrow'], ' s', 4)} |",
        f"| pandas ({sm['slope_pandas_between'] or '—'} rows) | {fmt(sm['slope_pandas_s_per_mrow'], ' s', 3)} |",
        "| full build over the same sizes as pandas | "
        f"{fmt(sm.get('slope_full_build_at_pandas_sizes_s_per_mrow'), ' s', 3)} |",
        "",
        "| target | goal | measured | met | note |",
        "|---|---|---|---|---|",
    ]
    for t in sm["targets"]:
        met = "—" if t["met"] is None else ("yes" if t["met"] else "**no**")
        meas = json.dumps(t["measured"]) if isinstance(t["measured"], dict) else fmt(t["measured"])
        lines.append(f"| {t['target']} | {t['goal']} | {meas} | {met} | {t['note']} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1e5,1e6,1e7", help="target request counts, comma-separated")
    ap.add_argument("--smoke", action="store_true", help="one tiny size (a few days) to check the harness")
    ap.add_argument(
        "--with-1e8", action="store_true", help="also run 1e8 requests (~50 min more on 2 cores, ~35 GB of disk)"
    )
    ap.add_argument("--work-dir", type=Path, default=BENCH / "work")
    ap.add_argument("--results-dir", type=Path, default=BENCH / "results")
    ap.add_argument("--pandas-max-gib", type=float, default=8.0)
    ap.add_argument(
        "--shared-machine", action="store_true", help="say in the output that the machine was shared"
    )
    ap.add_argument(
        "--instance",
        choices=("persistent", "ephemeral"),
        default="persistent",
        help="Dagster instance of the measured runs: DAGSTER_HOME sqlite (as make materialize) or in-memory",
    )
    ap.add_argument(
        "--rederive",
        type=Path,
        metavar="RESULT_JSON",
        help="recompute ratios, targets and the table of an earlier result file (no measuring)",
    )
    opts = ap.parse_args(argv)
    if opts.rederive:
        res = json.loads(opts.rederive.read_text())
        opts.memory_limit = res["duckdb_memory_limit"]
        for size in res["sizes"]:
            size["derived"] = derive_size(size)
        res["summary"] = summarize(res["sizes"], opts)
        opts.rederive.write_text(json.dumps(res, indent=2, default=str))
        table = markdown(res)
        opts.rederive.with_suffix(".md").write_text(table)
        if not res.get("smoke"):
            (opts.rederive.parent / "latest.md").write_text(table)
        print(table)
        return 0
    os.environ["BENCH_DAGSTER_INSTANCE"] = opts.instance
    opts.memory_limit = config.duckdb_memory_limit()  # what dbt/profiles.yml and every step use

    if not (REPO / "dbt" / "target" / "manifest.json").exists():
        log("dbt manifest missing: building it (dagster-dbt project prepare-and-package)")
        subprocess.run(
            [
                str(BIN / "dagster-dbt"),
                "project",
                "prepare-and-package",
                "--file",
                "dagster_project/defs/dbt/project.py",
            ],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
            # dbt parse renders the profile (WAREHOUSE_DIR) and dagster-dbt looks dbt up on PATH.
            env=env_for(REPO / "warehouse", REPO / "warehouse" / "dagster_home"),
        )

    run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + ("-smoke" if opts.smoke else "")
    res = {
        "run_id": run_id,
        "smoke": opts.smoke,
        "machine": machine(),
        "executor": "in_process (execute_in_process, as tests/pipeline.py)",
        "dagster_instance": opts.instance,
        "duckdb_memory_limit": opts.memory_limit,
        "pandas_max_gib": opts.pandas_max_gib,
        "shared_machine": opts.shared_machine or os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1),
        "sizes": [],
    }
    opts.work_dir.mkdir(parents=True, exist_ok=True)
    plans = []
    if opts.smoke:
        plans.append((SMOKE["label"], SMOKE["scale"], SMOKE["long"], SMOKE["short"]))
    else:
        targets_ = [float(x) for x in opts.sizes.split(",") if x.strip()]
        if opts.with_1e8 and 1e8 not in targets_:
            targets_.append(1e8)
        for n in sorted(targets_):
            plans.append((f"{n:.0e}".replace("e+0", "e").replace("e+", "e"), n / ROWS_PER_SCALE, YEAR, SHORT))
    t0 = time.perf_counter()
    for label, scale, long, short in plans:
        res["sizes"].append(run_size(label, scale, long, short, opts.work_dir, opts))
        # kept per size, so a crash later in the run loses no measurement
        (opts.work_dir / label / "measures.json").write_text(
            json.dumps(res["sizes"][-1], indent=2, default=str)
        )
    res["machine"]["load_avg_end"] = list(os.getloadavg())
    res["total_seconds"] = round(time.perf_counter() - t0, 1)
    res["summary"] = summarize(res["sizes"], opts)

    opts.results_dir.mkdir(parents=True, exist_ok=True)
    (opts.results_dir / f"{run_id}.json").write_text(json.dumps(res, indent=2, default=str))
    table = markdown(res)
    (opts.results_dir / f"{run_id}.md").write_text(table)
    if not opts.smoke:
        (opts.results_dir / "latest.md").write_text(table)
    print(table)
    log(f"results: {opts.results_dir / run_id}.json and .md ({res['total_seconds']} s)")
    failed = [
        f"{s['label']}/{k}"
        for s in res["sizes"]
        for k, v in s.items()
        if isinstance(v, dict) and "returncode" in v and v["returncode"] != 0 and k != "pandas"
    ]
    if failed:
        log(f"failed steps: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
