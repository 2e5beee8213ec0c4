"""Raw assets: each UTC day's landing files, validated, pseudonymised and landed as Parquet.

The asset keys equal the dbt sources they feed (`raw/<source>`), so the UI shows one unbroken
lineage from landing files to published marts. Public reference data (OpenRouter catalogue and
rankings, vendored in data/public) lands unpartitioned beside them.
"""

import datetime as dt
import os

import dagster as dg
import duckdb

from dagster_project import config
from dagster_project.lib import contract, landing

daily_partitions = dg.DailyPartitionsDefinition(start_date=contract.PARTITIONS_START.isoformat(), timezone="UTC")

_DESCRIPTIONS = {
    "generations": "One row per LLM API request (no prompt or completion text), one folder per UTC day.",
    "classifications": "Content-classification labels of about 0.25% of requests, from 2025-05-01.",
    "accounts": "Daily snapshot of the accounts active that day, with billing country.",
}


def _partition_days(context: dg.AssetExecutionContext) -> list[dt.date]:
    window = context.partition_time_window
    days, day = [], window.start.date()
    while day < window.end.date():
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def _raw_asset(source: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", source],
        group_name="raw",
        partitions_def=daily_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        kinds={"parquet", "duckdb"},
        owners=["team:data-engineering"],
        description=(
            f"{_DESCRIPTIONS[source]} Reads landing/{source}/date=D/, enforces the contract "
            "(dagster_project/lib/contract.py), replaces account ids with a keyed hash, quarantines "
            f"bad rows with a reason and writes raw/{source}/date=D/data.parquet atomically."
        ),
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        key = config.account_key()  # refuses to start without a key outside demo mode
        if config.is_demo() and not os.environ.get("WAREHOUSE_ACCOUNT_KEY"):
            context.log.warning("Demo mode: account ids are hashed with the public demo key.")
        totals: dict[str, int] = {}
        rows_in = rows_landed = 0
        files, warnings, days_without_files = [], [], []
        lo = hi = None
        days = _partition_days(context)
        results = landing.land_days(source, days, config.landing_dir(), config.raw_dir(), key, config.SEEDS_DIR)
        for day, result in results.items():
            rows_in += result.rows_in
            rows_landed += result.rows_landed
            for reason, n in result.quarantined.items():
                totals[reason] = totals.get(reason, 0) + n
            files += [f"date={day}/{f}" for f in result.files]
            warnings += [f"{day}: {w}" for w in result.warnings]
            if not result.files:
                days_without_files.append(day.isoformat())
            if result.min_created_at:
                lo = min(lo or result.min_created_at, result.min_created_at)
                hi = max(hi or result.max_created_at, result.max_created_at)
        for w in warnings:
            context.log.warning(w)
        return dg.MaterializeResult(
            metadata={
                "rows_in": rows_in,
                "rows_landed": rows_landed,
                "rows_quarantined": sum(totals.values()),
                "quarantined_by_reason": dg.MetadataValue.json(totals),
                "created_at_range": f"{lo} .. {hi}" if lo else "no rows",
                "files": dg.MetadataValue.json(files[:200]),
                "file_count": len(files),
                "days_without_files": dg.MetadataValue.json(days_without_files[:50]),
                "warnings": dg.MetadataValue.json(warnings[:50]),
            }
        )

    return _asset


raw_assets = [_raw_asset(source) for source in contract.SOURCES]


@dg.asset(
    key=["raw", "model_catalog"],
    group_name="raw",
    kinds={"parquet", "duckdb"},
    owners=["team:data-engineering"],
    description=(
        "OpenRouter model catalogue snapshots (real public data, MIT, vendored in "
        "data/public/openrouter_models_catalog) with their snapshot date: prices and attributes "
        "for dim_models and the point-in-time price dimension."
    ),
)
def model_catalog() -> dg.MaterializeResult:
    src = config.PUBLIC_DATA_DIR / "openrouter_models_catalog" / "openrouter_models_*.csv"
    return _land_public(
        f"""
        select * exclude (filename),
            cast(regexp_extract(filename, '(\\d{{4}}-\\d{{2}}-\\d{{2}})', 1) as date) as snapshot_date
        from read_csv('{src}', filename = true, union_by_name = true, all_varchar = true)
        """,
        "model_catalog",
    )


@dg.asset(
    key=["raw", "rankings_daily"],
    group_name="raw",
    kinds={"parquet", "duckdb"},
    owners=["team:data-engineering"],
    description=(
        "OpenRouter's official daily rankings (top 50 models per UTC day plus `other`, CC BY 4.0, "
        "vendored in data/public/openrouter_rankings_daily), for public_model_share_daily."
    ),
)
def rankings_daily() -> dg.MaterializeResult:
    src = config.PUBLIC_DATA_DIR / "openrouter_rankings_daily" / "rankings_daily_*.csv"
    return _land_public(f"select * from read_csv('{src}')", "rankings_daily")


def _land_public(query: str, name: str) -> dg.MaterializeResult:
    target = config.raw_dir() / "public" / f"{name}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp.parquet")
    with duckdb.connect() as con:
        con.execute(f"copy ({query}) to '{tmp}' (format parquet)")
        rows = con.sql(f"select count(*) from '{tmp}'").fetchall()[0][0]
    tmp.replace(target)
    return dg.MaterializeResult(metadata={"rows": rows, "path": dg.MetadataValue.path(str(target))})


# Written by the three raw assets above (one file per source and day); declared so the dbt source
# that reads it sits in the lineage graph right below them.
quarantine = dg.AssetSpec(
    key=["raw", "quarantine"],
    group_name="raw",
    deps=[a.key for a in raw_assets],
    kinds={"parquet"},
    description=(
        "Rows the raw assets refused, with `reason`, file and row number: "
        "raw/quarantine/<source>/date=D/data.parquet. Queried as staging.stg_raw__quarantine."
    ),
)

ingest_assets = [*raw_assets, quarantine, model_catalog, rankings_daily]
