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
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from dagster_project.lib import contract

DATA_SUFFIXES = (".parquet", ".jsonl", ".json")


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
# DuckDB boolean expression over the typed columns (t_*) of one source; `{day}` is the partition.
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
    if source not in contract.SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {contract.SOURCES}")
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    result = LandingResult(source=source, day=day)
    schema = contract.COLUMNS[source]
    files = _list_files(day_folder(landing_root, source, day))
    result.files = [f.name for f in files]

    con = duckdb.connect()
    try:
        parts: list[str] = []
        bad_lines: list[dict] = []
        for i, path in enumerate(files):
            if path.stat().st_size == 0:
                result.warnings.append(f"{path.name}: empty file, nothing to land")
                continue
            if path.suffix == ".parquet":
                try:
                    file_schema = pq.read_schema(path)
                    pq.ParquetFile(path).metadata  # noqa: B018 - reads the footer: catches truncation
                except Exception as exc:  # pyarrow raises several types for broken files
                    raise LandingError(
                        f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc}). "
                        "Re-deliver the file; the other days are not affected."
                    ) from None
                _check_columns(path, file_schema.names, source, result)
                present = [c for c in schema if c in file_schema.names]
                select = ", ".join(f'cast("{c}" as varchar) as "{c}"' for c in present)
                con.execute(
                    f"create temp view part_{i} as select {select}, file_row_number, "
                    f"{_sql_str(path.name)} as file_name from read_parquet({_sql_str(path)}, file_row_number = true)"
                )
            else:
                table = _read_jsonl(path, source, result, bad_lines)
                if table is None:
                    result.warnings.append(f"{path.name}: no rows")
                    continue
                table = table.append_column("file_name", pa.array([path.name] * table.num_rows, pa.string()))
                con.register(f"json_{i}", table)
                con.execute(f"create temp view part_{i} as select * from json_{i}")
            parts.append(f"part_{i}")

        typed = _typed_rows_sql(con, source, parts)
        con.execute(f"create temp table typed as {typed}")
        result.rows_in = con.sql("select count(*) from typed").fetchall()[0][0] + len(bad_lines)

        # Pseudonymise: hash the distinct ids in Python (HMAC), join back in DuckDB.
        if "account_id" in schema:
            ids = [
                r[0]
                for r in con.sql(
                    "select distinct raw_account_id from typed where raw_account_id is not null"
                ).fetchall()
            ]
            mapping = pa.table(
                {
                    "raw_id": pa.array(ids, pa.string()),
                    "key": pa.array([pseudonymise(x, key) for x in ids], pa.string()),
                }
            )
            con.register("account_keys", mapping)
            con.execute(
                # The raw id is dropped here: nothing after this line can write it anywhere.
                "create temp table keyed as select typed.* exclude (raw_account_id, t_account_id), "
                "account_keys.key as raw_account_id, account_keys.key as t_account_id from typed "
                "left join account_keys on typed.raw_account_id = account_keys.raw_id"
            )
        else:
            con.execute("create temp table keyed as select * from typed")
        con.execute("create temp table countries as select unnest(?) as code", [sorted(country_codes(seeds_dir))])

        reason_sql = _reason_sql(source, day, now)
        unique = ", ".join(f"t_{c}" for c in contract.UNIQUE_KEY[source])
        con.execute(
            f"""
            create temp table judged as
            with first_reason as (select *, {reason_sql} as reason from keyed),
            ranked as (
                select *, row_number() over (
                    partition by reason is null, {unique} order by file_name, file_row_number
                ) as copy_number
                from first_reason
            )
            select * exclude (reason, copy_number),
                case when reason is null and copy_number > 1 then 'duplicate_id' else reason end as reason
            from ranked
            """
        )

        out_cols = ", ".join(f't_{c} as "{c}"' for c in schema)
        clean = day_folder(raw_root, source, day) / "data.parquet"
        quarantine = day_folder(raw_root / "quarantine", source, day) / "data.parquet"
        record = "to_json(struct_pack(" + ", ".join(f'"{c}" := raw_{c}' for c in schema) + "))"
        bad_line_rows = " union all ".join(
            f"select {_sql_str(b['file_name'])}, {b['row_number']}, 'malformed_json_line', null" for b in bad_lines
        )
        quarantine_sql = f"""
            select {_sql_str(source)} as source, cast({_sql_str(day)} as date) as partition_date,
                file_name, cast(row_number as bigint) as row_number, reason, record_json
            from (
                select file_name, file_row_number + 1 as row_number, reason, {record} as record_json
                from judged where reason is not null
                {"union all " + bad_line_rows if bad_lines else ""}
            )
            order by file_name, row_number
        """
        _write_atomic(
            con, f"select {out_cols} from judged where reason is null order by file_name, file_row_number", clean
        )
        _write_atomic(con, quarantine_sql, quarantine)

        result.rows_landed = con.sql("select count(*) from judged where reason is null").fetchall()[0][0]
        counts = Counter(
            dict(con.sql("select reason, count(*) from judged where reason is not null group by 1").fetchall())
        )
        if bad_lines:
            counts["malformed_json_line"] += len(bad_lines)
        result.quarantined = dict(sorted(counts.items()))
        if "created_at" in schema:
            lo, hi = con.sql("select min(t_created_at), max(t_created_at) from judged where reason is null").fetchall()[
                0
            ]
            result.min_created_at = lo.isoformat() if lo else None
            result.max_created_at = hi.isoformat() if hi else None
        return result
    finally:
        con.close()


def _typed_rows_sql(con: duckdb.DuckDBPyConnection, source: str, parts: list[str]) -> str:
    """Every contract column as raw text (raw_*) and cast to its type (t_*), plus a type-error flag."""
    schema = contract.COLUMNS[source]
    if not parts:
        empty = ", ".join(f'cast(null as varchar) as "{c}"' for c in schema)
        union = (
            f"select {empty}, cast(null as varchar) as file_name, cast(null as bigint) as file_row_number where false"
        )
    else:
        union = " union all by name ".join(f"select * from {p}" for p in parts)
    present = set()
    for p in parts:
        present |= {c for c in con.sql(f"select * from {p} limit 0").columns}
    cols = []
    type_errors = []
    for c, typ in schema.items():
        raw = f'cast("{c}" as varchar)' if (c in present or not parts) else "cast(null as varchar)"
        cast = f"try_cast({raw} as {typ})"
        if typ == "BOOLEAN":
            cast = f"try_cast(lower({raw}) as BOOLEAN)"
        if c == "billing_country":
            cast = f"upper(trim({raw}))"
        cols.append(f"{raw} as raw_{c}, {cast} as t_{c}")
        type_errors.append(f"case when raw_{c} is not null and t_{c} is null then '{c}' end")
    missing = " or ".join(f"t_{c} is null" for c in contract.REQUIRED[source])
    return f"""
        select *,
            coalesce({", ".join(type_errors)}) as type_error_column,
            ({missing}) as has_missing_required
        from (select {", ".join(cols)}, file_name, file_row_number from ({union}))
    """


def _reason_sql(source: str, day: dt.date, now: dt.datetime) -> str:
    values = {
        "day": f"date {_sql_str(day)}",
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


def _write_atomic(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    """Write to a temporary file beside the target, then rename: readers see the old or the new file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        con.execute(f"copy ({query}) to {_sql_str(tmp)} (format parquet, compression zstd)")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
