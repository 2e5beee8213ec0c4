"""CLI: python -m dagster_project.simulate --scenario PATH --out DIR [--seed N] [--scale X] [--dirty]
[--start YYYY-MM-DD] [--end YYYY-MM-DD]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from .run import simulate
from .scenario import DEFAULT_SCENARIO, ScenarioError


def _day(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {s!r}") from exc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dagster_project.simulate", description=__doc__)
    ap.add_argument(
        "--scenario", default=str(DEFAULT_SCENARIO), help="scenario YAML (default: the calibrated default)"
    )
    ap.add_argument("--out", required=True, help="landing directory to write into")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--scale", type=float, default=1.0, help="multiplies requests/day (1.0 = ~30k/day at the end)"
    )
    ap.add_argument("--dirty", action="store_true", help="plant the scenario's contract faults")
    ap.add_argument("--start", type=_day)
    ap.add_argument("--end", type=_day)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        truth = simulate(
            a.scenario, a.out, seed=a.seed, scale=a.scale, dirty=a.dirty, start=a.start, end=a.end
        )
    except (ScenarioError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    tot = truth["totals"]
    print(
        f"wrote {truth['generated_range']['days']} days, {tot['requests']:,} requests, "
        f"{tot['total_tokens']:,} tokens to {a.out} in {time.perf_counter() - t0:.1f}s (truth.json)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
