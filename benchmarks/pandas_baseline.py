"""The baseline: three marts straight from the landing Parquet with pandas, as an analyst would.

    python -m benchmarks.pandas_baseline LANDING_DIR OUT_DIR RESULT_JSON [--max-gib 8]

Reads the landing files whole (`pd.read_parquet` on each source folder), then computes
1. weekly model share (tokens per model slug and Monday week / the week's tokens),
2. weekly category share with the sample weighting the marts use (day weight = requests that day /
   classified requests that day, label weight = 1 / labels of the request, × total tokens),
3. monthly cohort retention (cohort = first month an account used a model; retained at k = used it
   in cohort month + k; distinct accounts).
The process caps its own address space (RLIMIT_AS) so a size it cannot handle fails with
MemoryError instead of taking the machine down; the result file then says so.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def compute(landing: Path, out: Path) -> dict:
    import numpy as np
    import pandas as pd

    timings = {}
    t = time.perf_counter()
    gen = pd.read_parquet(landing / "generations")
    cls = pd.read_parquet(landing / "classifications") if (landing / "classifications").exists() else None
    timings["read_s"] = time.perf_counter() - t
    rows = len(gen)

    t = time.perf_counter()
    gen["total_tokens"] = gen["tokens_prompt"] + gen["tokens_completion"]
    gen["model_slug"] = gen["model"].str.split(":").str[0]
    day = gen["created_at"].dt.floor("D")
    gen["event_date"] = day
    gen["week_start"] = day - pd.to_timedelta(day.dt.dayofweek, unit="D")
    gen["month_start"] = day.dt.to_period("M").dt.to_timestamp()

    # 1. weekly model share
    share = gen.groupby(["week_start", "model_slug"], observed=True)["total_tokens"].sum().reset_index()
    share["token_share"] = share["total_tokens"] / share.groupby("week_start")["total_tokens"].transform(
        "sum"
    )
    share.to_csv(out / "model_share_weekly.csv", index=False)
    timings["model_share_s"] = time.perf_counter() - t

    # 2. weekly category share, sample-weighted
    t = time.perf_counter()
    cat_rows = 0
    if cls is not None and len(cls):
        cmap = pd.read_csv(REPO / "dbt" / "seeds" / "category_map.csv")
        labels = cls[cls["confidence"] >= 0.5].merge(
            cmap[["label_path", "category"]], on="label_path", how="left"
        )
        labels["category"] = labels["category"].fillna("unmapped")
        labels["label_weight"] = 1.0 / labels.groupby("id")["label_path"].transform("count")
        labels = labels.merge(gen[["id", "event_date", "week_start", "total_tokens"]], on="id", how="inner")
        requests_per_day = gen.groupby("event_date").size().rename("day_requests")
        classified_per_day = labels.groupby("event_date")["id"].nunique().rename("day_classified")
        labels = labels.join(requests_per_day, on="event_date").join(classified_per_day, on="event_date")
        labels["weighted_tokens"] = (
            labels["day_requests"]
            / labels["day_classified"]
            * labels["label_weight"]
            * labels["total_tokens"]
        )
        cat = labels.groupby(["week_start", "category"])["weighted_tokens"].sum().reset_index()
        cat["token_share"] = cat["weighted_tokens"] / cat.groupby("week_start")["weighted_tokens"].transform(
            "sum"
        )
        cat.to_csv(out / "category_share_weekly.csv", index=False)
        cat_rows = len(cat)
    timings["category_share_s"] = time.perf_counter() - t

    # 3. monthly cohort retention
    t = time.perf_counter()
    active = gen[["account_id", "model_slug", "month_start"]].drop_duplicates()
    active["cohort_month"] = active.groupby(["account_id", "model_slug"])["month_start"].transform("min")
    active["months_since"] = (
        (active["month_start"].dt.year - active["cohort_month"].dt.year) * 12
        + active["month_start"].dt.month
        - active["cohort_month"].dt.month
    )
    ret = (
        active.groupby(["model_slug", "cohort_month", "months_since"])["account_id"]
        .nunique()
        .rename("active_accounts")
        .reset_index()
    )
    size = (
        ret[ret["months_since"] == 0]
        .set_index(["model_slug", "cohort_month"])["active_accounts"]
        .rename("cohort_accounts")
    )
    ret = ret.join(size, on=["model_slug", "cohort_month"])
    ret["retention"] = ret["active_accounts"] / ret["cohort_accounts"]
    ret.to_csv(out / "cohort_retention.csv", index=False)
    timings["cohort_retention_s"] = time.perf_counter() - t
    return {
        "status": "ok",
        "rows": rows,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "mart_rows": {
            "model_share_weekly": len(share),
            "category_share_weekly": cat_rows,
            "cohort_retention": len(ret),
        },
        "total_tokens": int(np.int64(gen["total_tokens"].sum())),
    }


def main() -> None:
    landing, out, result_file = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    max_gib = float(sys.argv[sys.argv.index("--max-gib") + 1]) if "--max-gib" in sys.argv else 8.0
    cap = int(max_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    try:
        result = compute(landing, out)
    except MemoryError as e:
        result = {
            "status": "failed",
            "reason": f"MemoryError under a {max_gib:g} GiB address-space cap: {e}"[:300],
        }
    except Exception as e:  # pyarrow raises its own error types when an allocation fails
        result = {"status": "failed", "reason": f"{type(e).__name__}: {e}"[:300]}
    result["inner_seconds"] = time.perf_counter() - t0
    result["address_space_cap_gib"] = max_gib
    result_file.write_text(json.dumps(result))
    sys.exit(0 if result["status"] == "ok" else 1)


if __name__ == "__main__":
    main()
