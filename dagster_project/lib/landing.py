"""Land one source's day: validate the files against the contract, pseudonymise, quarantine, write.

Every rule about bad input lives here, once:
- file level (the day fails with an error naming the file): corrupt or unreadable Parquet, a
  forbidden text column, a missing required column;
- row level (the row goes to quarantine with a reason, the day goes on): see ROW_RULES;
- tolerated with a warning: empty files, extra columns (kept out), missing optional columns.

Plain Python + DuckDB, no Dagster objects, so it is unit-tested directly.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from dagster_project import config
from dagster_project.lib import contract

DATA_SUFFIXES = (".parquet", ".jsonl", ".json")
# Rows judged in one DuckDB pass when landing a range of days: bounds memory at any size.
BATCH_ROWS = 2_000_000
# ... and at most this many days: a batch keeps one Parquet file open per day while it writes.
BATCH_DAYS = 200


class LandingError(ValueError):
    """A file that cannot be landed at all; the message names the file and what is wrong."""


@dataclass
class LandingResult:
    source: str
    day: dt.date
    files: list[str] = field(default_factory=list)
    rows_in: int = 0
    rows_landed: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    min_created_at: str | None = None
    max_created_at: str | None = None

    @property
    def rows_quarantined(self) -> int:
        return sum(self.quarantined.values())


def pseudonymise(account_id: str, key: bytes) -> str:
    """Keyed hash (HMAC-SHA256) of an account id: stable per key, not reversible without it."""
    return "acct_" + hmac.new(key, account_id.encode(), hashlib.sha256).hexdigest()[:16]


def day_folder(root: Path, source: str, day: dt.date) -> Path:
    return root / source / f"date={day.isoformat()}"


def country_codes(seeds_dir: Path) -> set[str]:
    with open(seeds_dir / "countries.csv", newline="") as f:
        return {row["country_code"] for row in csv.DictReader(f)}


# Row rules in priority order: the first that matches is the row's quarantine reason. Each is a
# DuckDB boolean expression over the typed columns (t_*) of one source; `{day}` is the row's
# partition (the day folder its file was delivered in).
ROW_RULES: dict[str, list[tuple[str, str]]] = {
    "generations": [
        ("timestamp_in_future", "t_created_at > {now}"),
        ("timestamp_outside_partition", "cast(t_created_at as date) <> {day}"),
        (
            "negative_tokens",
            "least(t_tokens_prompt, t_tokens_completion, coalesce(t_native_tokens_reasoning, 0),"
            " coalesce(t_native_tokens_cached, 0)) < 0",
        ),
        ("cached_exceeds_prompt", "coalesce(t_native_tokens_cached, 0) > t_tokens_prompt"),
        ("reasoning_exceeds_completion", "coalesce(t_native_tokens_reasoning, 0) > t_tokens_completion"),
        ("negative_cost", "coalesce(t_total_cost, 0) < 0 or coalesce(t_cache_discount, 0) < 0"),
        (
            "invalid_finish_reason",
            "t_finish_reason is not null and t_finish_reason not in ({finish_reasons})",
        ),
    ],
    "classifications": [
        ("category_before_2025_05_01", "{day} < {categories_start}"),
        ("confidence_below_threshold", "t_confidence < {min_confidence}"),
    ],
    "accounts": [
        ("invalid_country", "t_billing_country is null or t_billing_country not in (select code from countries)"),
    ],
}


def _sql_str(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _list_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(DATA_SUFFIXES))


def _check_columns(path: Path, columns: list[str], source: str, result: LandingResult) -> None:
    lowered = {c.lower() for c in columns}
    forbidden = sorted(lowered & set(contract.FORBIDDEN_TEXT_COLUMNS))
    if forbidden:
        # Name the column, never its content: the text must not reach any table or log.
        raise LandingError(
            f"{path}: rejected whole: column {forbidden[0]!r} may carry prompt or completion text, "
            "which this warehouse never accepts. Remove the column at the source and re-deliver the file."
        )
    missing = [c for c in contract.REQUIRED[source] if c not in columns]
    if missing:
        raise LandingError(
            f"{path}: required column {missing[0]!r} is missing (contract for {source!r} in "
            "dagster_project/lib/contract.py). Fix the export and re-deliver the file."
        )
    extra = sorted(set(columns) - set(contract.COLUMNS[source]))
    if extra:
        result.warnings.append(f"{path.name}: extra columns kept out: {', '.join(extra)}")
    optional_missing = sorted(set(contract.COLUMNS[source]) - set(columns))
    if optional_missing:
        result.warnings.append(f"{path.name}: optional columns missing, landed as null: {', '.join(optional_missing)}")


def _read_jsonl(path: Path, source: str, result: LandingResult, bad_lines: list[dict]) -> pa.Table | None:
    """Parse JSON Lines; a broken line is quarantined by number (its text is not kept)."""
    rows: list[dict] = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not an object")
            except ValueError:
                bad_lines.append({"file_name": path.name, "row_number": number})
                continue
            rows.append(record)
    keys = sorted({k for r in rows for k in r})
    if not rows:
        return None
    _check_columns(path, keys, source, result)
    wanted = [c for c in contract.COLUMNS[source] if c in keys]
    # Every value as text: types are checked and cast by the same SQL as for Parquet.
    columns = {c: pa.array([None if r.get(c) is None else str(r.get(c)) for r in rows], pa.string()) for c in wanted}
    columns["file_row_number"] = pa.array(range(len(rows)), pa.int64())
    return pa.table(columns)


def land_day(
    source: str,
    day: dt.date,
    landing_root: Path,
    raw_root: Path,
    key: bytes,
    seeds_dir: Path,
    now: dt.datetime | None = None,
) -> LandingResult:
    """Validate and land every file of `source` for `day`; replace that day's raw and quarantine files."""
    return land_days(source, [day], landing_root, raw_root, key, seeds_dir, now)[day]


def land_days(
    source: str,
    days: list[dt.date],
    landing_root: Path,
    raw_root: Path,
    key: bytes,
    seeds_dir: Path,
    now: dt.datetime | None = None,
    batch_rows: int = BATCH_ROWS,
) -> dict[dt.date, LandingResult]:
    """Land a range of days: the same rules as one day, judged in a few DuckDB passes.

    Days are grouped into batches of about `batch_rows` rows (from the Parquet footers) and at
    most BATCH_DAYS days, so a year costs a handful of queries rather than three per day, and
    memory stays bounded at any size. Each day's raw and quarantine files are still replaced one
    by one, atomically.
    """
    if source not in contract.SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {contract.SOURCES}")
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    results = {day: LandingResult(source=source, day=day) for day in days}
    inputs = {day: _inspect_files(source, day_folder(landing_root, source, day), results[day]) for day in days}
    batch: list[dt.date] = []
    batch_size = 0
    for day in days:
        day_rows = sum(f.rows for f in inputs[day])
        if batch and (batch_size + day_rows > batch_rows or len(batch) >= BATCH_DAYS):
            _land_batch(source, {d: inputs[d] for d in batch}, results, raw_root, key, seeds_dir, now)
            batch, batch_size = [], 0
        batch.append(day)
        batch_size += day_rows
    if batch:
        _land_batch(source, {d: inputs[d] for d in batch}, results, raw_root, key, seeds_dir, now)
    return results


@dataclass
class _File:
    path: Path
    day: dt.date
    rows: int
    columns: dict[str, str]  # contract column -> DuckDB type as delivered
    layout: tuple = ()  # every delivered column and type: files with the same layout are read together
    table: pa.Table | None = None  # parsed JSON Lines (every value as text)
    bad_lines: list[dict] = field(default_factory=list)  # JSON lines that did not parse


def _inspect_files(source: str, folder: Path, result: LandingResult) -> list[_File]:
    """File-level rules: read every footer (or JSON file) of one day and check its columns."""
    files: list[_File] = []
    day = result.day
    for path in _list_files(folder):
        result.files.append(path.name)
        if path.stat().st_size == 0:
            result.warnings.append(f"{path.name}: empty file, nothing to land")
            continue
        if path.suffix == ".parquet":
            try:
                meta = pq.ParquetFile(path).metadata  # reads the footer: catches truncation
                file_schema = meta.schema.to_arrow_schema()
            except Exception as exc:  # pyarrow raises several types for broken files
                raise LandingError(
                    f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc}). "
                    "Re-deliver the file; the other days are not affected."
                ) from None
            _check_columns(path, file_schema.names, source, result)
            types = {f.name: _duckdb_type(f.type) for f in file_schema if f.name in contract.COLUMNS[source]}
            layout = tuple((f.name, str(f.type)) for f in file_schema)
            files.append(_File(path, day, meta.num_rows, types, layout=layout))
        else:
            bad_lines: list[dict] = []
            table = _read_jsonl(path, source, result, bad_lines)
            if table is None:
                result.warnings.append(f"{path.name}: no rows")
                table = pa.table({"file_row_number": pa.array([], pa.int64())})
            columns = {c: "VARCHAR" for c in table.column_names if c != "file_row_number"}
            files.append(_File(path, day, table.num_rows, columns, table=table, bad_lines=bad_lines))
    return files


def _duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB type a delivered column reads as, where it can be used without a text round-trip."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "VARCHAR"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_int64(arrow_type):
        return "BIGINT"
    if pa.types.is_int32(arrow_type):
        return "INTEGER"
    if pa.types.is_float64(arrow_type):
        return "DOUBLE"
    if pa.types.is_timestamp(arrow_type) and arrow_type.tz is None and arrow_type.unit == "us":
        return "TIMESTAMP"
    return str(arrow_type)  # anything else goes through text and try_cast


def _column_sql(source: str, column: str, delivered: str | None) -> tuple[str, str | None]:
    """(typed expression, raw-text expression or None) for one contract column of one file group.

    A column delivered in its contract type is used as is; any other type is read as text and
    try_cast, and the text is kept (raw_*) so a value that does not cast is quarantined with it.
    """
    typ = contract.COLUMNS[source][column]
    if delivered is None:
        return f"cast(null as {typ})", None
    if column == "account_id":  # any id casts to text; it is hashed right after, never kept raw
        return f'cast("{column}" as varchar)', None
    if column == "billing_country":
        return f'upper(trim(cast("{column}" as varchar)))', f'cast("{column}" as varchar)'
    if delivered == typ:
        return f'"{column}"', None
    raw = f'cast("{column}" as varchar)'
    if typ == "BOOLEAN":
        return f"try_cast(lower({raw}) as BOOLEAN)", raw
    return f"try_cast({raw} as {typ})", raw


def _land_batch(
    source: str,
    inputs: dict[dt.date, list[_File]],
    results: dict[dt.date, LandingResult],
    raw_root: Path,
    key: bytes,
    seeds_dir: Path,
    now: dt.datetime,
) -> None:
    schema = contract.COLUMNS[source]
    files = [f for day_files in inputs.values() for f in day_files]
    con = duckdb.connect(config={"memory_limit": config.duckdb_memory_limit(), "preserve_insertion_order": True})
    try:
        # One select per group of files delivered with the same columns and types.
        groups: dict[tuple, list[_File]] = {}
        for f in files:
            if f.table is not None:
                groups[("json", str(f.path))] = [f]
            else:
                groups.setdefault(f.layout, []).append(f)
        con.execute("create temp table file_days (path varchar, file_name varchar, partition_date date)")
        con.executemany("insert into file_days values (?, ?, ?)", [(str(f.path), f.path.name, f.day) for f in files])
        raw_columns = sorted(
            {c for f in files for c in schema if _column_sql(source, c, f.columns.get(c))[1] is not None}
        )
        selects = []
        for i, group in enumerate(groups.values()):
            cols = []
            for c in schema:
                typed, raw = _column_sql(source, c, group[0].columns.get(c))
                cols.append(f"{typed} as t_{c}")
                if c in raw_columns:
                    cols.append(f"{raw or 'cast(null as varchar)'} as raw_{c}")
            if group[0].table is not None:
                con.register(f"json_{i}", group[0].table)
                src = f"(select *, {_sql_str(group[0].path)} as filename from json_{i})"
            else:
                paths = "[" + ", ".join(_sql_str(f.path) for f in group) + "]"
                src = f"read_parquet({paths}, filename = true, file_row_number = true)"
            selects.append(
                f"select {', '.join(cols)}, d.file_name, d.partition_date, s.file_row_number "
                f"from {src} s join file_days d on s.filename = d.path"
            )
        if not selects:
            empty = [f"cast(null as {t}) as t_{c}" for c, t in schema.items()]
            selects.append(
                f"select {', '.join(empty)}, cast(null as varchar) as file_name, "
                "cast(null as date) as partition_date, cast(null as bigint) as file_row_number where false"
            )
        typed = " union all by name ".join(selects)
        type_errors = [f"case when raw_{c} is not null and t_{c} is null then '{c}' end" for c in raw_columns]
        missing = " or ".join(f"t_{c} is null" for c in contract.REQUIRED[source])
        type_error = f"coalesce({', '.join(type_errors)})" if type_errors else "cast(null as varchar)"
        con.execute(
            f"""create temp view typed as select *, {type_error} as type_error_column,
                ({missing}) as has_missing_required
            from ({typed})"""
        )

        # Pseudonymise: hash the distinct ids in Python (HMAC), join back in DuckDB.
        if "account_id" in schema:
            distinct = "select distinct t_account_id from typed where t_account_id is not null"
            ids = [r[0] for r in con.sql(distinct).fetchall()]
            mapping = pa.table(
                {
                    "raw_id": pa.array(ids, pa.string()),
                    "key": pa.array([pseudonymise(x, key) for x in ids], pa.string()),
                }
            )
            con.register("account_keys", mapping)
            # The raw id is dropped here: nothing after this line can write it anywhere.
            keyed = (
                "select typed.* exclude (t_account_id), account_keys.key as t_account_id from typed "
                "left join account_keys on typed.t_account_id = account_keys.raw_id"
            )
        else:
            keyed = "select * from typed"
        con.execute("create temp table countries as select unnest(?) as code", [sorted(country_codes(seeds_dir))])

        unique = ", ".join(f"t_{c}" for c in contract.UNIQUE_KEY[source])
        con.execute(
            f"""
            create temp table judged as
            with first_reason as (select *, {_reason_sql(source, now)} as reason from ({keyed})),
            ranked as (
                select *, row_number() over (
                    partition by partition_date, reason is null, {unique} order by file_name, file_row_number
                ) as copy_number
                from first_reason
            )
            select * exclude (reason, copy_number),
                case when reason is null and copy_number > 1 then 'duplicate_id' else reason end as reason
            from ranked
            order by partition_date, file_name, file_row_number
            """
        )

        out_cols = ", ".join(f't_{c} as "{c}"' for c in schema)
        # The quarantined record as delivered: the text where a column needed a cast, else the value.
        as_text = {
            c: f"coalesce(raw_{c}, cast(t_{c} as varchar))" if c in raw_columns else f"cast(t_{c} as varchar)"
            for c in schema
        }
        record = "to_json(struct_pack(" + ", ".join(f'"{c}" := {e}' for c, e in as_text.items()) + "))"
        bad_lines = " ".join(
            f"union all select date {_sql_str(f.day)}, {_sql_str(f.path.name)}, {line['row_number']}, "
            "'malformed_json_line', null"
            for day_files in inputs.values()
            for f in day_files
            for line in f.bad_lines
        )
        days = list(inputs)
        _write_days(
            con,
            f"select {out_cols}, partition_date from judged where reason is null",
            {day: day_folder(raw_root, source, day) / "data.parquet" for day in days},
            raw_root,
        )
        _write_days(
            con,
            f"""
            select {_sql_str(source)} as source, partition_date, file_name,
                cast(row_number as bigint) as row_number, reason, record_json
            from (
                select partition_date, file_name, file_row_number + 1 as row_number, reason,
                    {record} as record_json
                from judged where reason is not null
                {bad_lines}
            )
            order by partition_date, file_name, row_number
            """,
            {day: day_folder(raw_root / "quarantine", source, day) / "data.parquet" for day in days},
            raw_root,
            keep_partition_column=True,
        )
        for day_files in inputs.values():
            for f in day_files:
                if f.bad_lines:
                    result = results[f.day]
                    result.rows_in += len(f.bad_lines)
                    result.quarantined["malformed_json_line"] = (
                        result.quarantined.get("malformed_json_line", 0) + len(f.bad_lines)
                    )

        created = "t_created_at" if "created_at" in schema else "cast(null as timestamp)"
        for day, reason, n, lo, hi in con.sql(
            f"select partition_date, reason, count(*), min({created}), max({created}) from judged group by all"
        ).fetchall():
            result = results[day]
            result.rows_in += n
            if reason is None:
                result.rows_landed = n
                result.min_created_at = lo.isoformat() if lo else None
                result.max_created_at = hi.isoformat() if hi else None
            else:
                result.quarantined[reason] = result.quarantined.get(reason, 0) + n
        for day in inputs:
            results[day].quarantined = dict(sorted(results[day].quarantined.items()))
    finally:
        con.close()


def _reason_sql(source: str, now: dt.datetime) -> str:
    values = {
        "day": "partition_date",
        "now": f"timestamp {_sql_str(now.isoformat(sep=' '))}",
        "finish_reasons": ", ".join(_sql_str(r) for r in contract.FINISH_REASONS),
        "categories_start": f"date {_sql_str(contract.CATEGORIES_START)}",
        "min_confidence": str(contract.MIN_LABEL_CONFIDENCE),
    }
    whens = [
        "when type_error_column is not null then 'invalid_type'",
        "when has_missing_required then 'missing_required_value'",
    ]
    whens += [f"when {rule.format(**values)} then '{reason}'" for reason, rule in ROW_RULES[source]]
    return "case " + " ".join(whens) + " end"


def _write_days(
    con: duckdb.DuckDBPyConnection,
    query: str,
    targets: dict[dt.date, Path],
    raw_root: Path,
    keep_partition_column: bool = False,
) -> None:
    """Write the rows of `query` (which has a `partition_date` column) to one file per day.

    One partitioned COPY for the whole batch instead of one per day (each COPY has a fixed cost of
    ~5-20 ms: a year of classifications, 22k rows, took 4.9 s as 786 COPYs and 0.5 s as two), into
    a staging folder beside the targets; then each day's file is moved into place with a rename,
    so readers see the old or the new file. A day without rows gets an empty file with the same
    columns: a rerun that now finds nothing still replaces the day.
    """
    staging = raw_root / ".staging" / uuid.uuid4().hex  # outside the globs dbt reads
    staging.mkdir(parents=True)
    try:
        # One open file per day, so each day is exactly one file (DuckDB's default is 100).
        con.execute(f"set partitioned_write_max_open_files = {len(targets) + 1}")
        con.execute(
            f"copy ({query}) to {_sql_str(staging / 'days')} (format parquet, compression zstd, "
            f"partition_by (partition_date), write_partition_columns {str(keep_partition_column).lower()}, "
            "filename_pattern 'data_{i}')"
        )
        columns = "*" if keep_partition_column else "* exclude (partition_date)"
        empty = staging / "empty.parquet"
        for day, target in targets.items():
            written = sorted((staging / "days" / f"partition_date={day.isoformat()}").glob("*.parquet"))
            if len(written) > 1:
                raise RuntimeError(f"{target}: DuckDB wrote {len(written)} files for one day; expected one")
            target.parent.mkdir(parents=True, exist_ok=True)
            if written:
                os.replace(written[0], target)
            else:
                if not empty.exists():  # written once per batch, only when a day has no rows
                    con.execute(f"copy (select {columns} from ({query}) limit 0) to {_sql_str(empty)} (format parquet)")
                tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
                shutil.copyfile(empty, tmp)
                os.replace(tmp, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
