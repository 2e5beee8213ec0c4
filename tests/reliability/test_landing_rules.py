"""Bad input at the landing boundary: each case is a clear error or a quarantine row with a reason.

These run `land_day` directly (the function the raw assets call) on crafted files; the end-to-end
behaviour through Dagster is in test_dirty_pipeline.py, test_faults.py and test_privacy.py.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dagster_project import config
from dagster_project.lib import contract, landing

DAY = dt.date(2025, 6, 2)
KEY = b"test-key"


def _row(i: int, **overrides) -> dict:
    row = {
        "id": f"gen-{i}",
        "created_at": dt.datetime(2025, 6, 2, 10, 0) + dt.timedelta(minutes=i),
        "account_id": f"account-{i % 3}",
        "app_id": None,
        "model": "openai/gpt-4o-mini",
        "provider_name": "OpenAI",
        "is_byok": False,
        "streamed": True,
        "cancelled": False,
        "finish_reason": "stop",
        "native_finish_reason": "stop",
        "tools_offered": None,
        "tokens_prompt": 1000,
        "tokens_completion": 100,
        "native_tokens_reasoning": 0,
        "native_tokens_cached": 0,
        "total_cost": 0.001,
        "cache_discount": 0.0,
        "latency": 500.0,
        "generation_time": 400.0,
    }
    row.update(overrides)
    return row


def _write(folder, name, rows, schema=None):
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, folder / name)


def _land(wh, source="generations", day=DAY):
    return landing.land_day(source, day, wh / "landing", wh / "raw", KEY, config.SEEDS_DIR)


def _folder(wh, source="generations", day=DAY):
    return landing.day_folder(wh / "landing", source, day)


def _landed(wh, source="generations", day=DAY):
    path = landing.day_folder(wh / "raw", source, day) / "data.parquet"
    return duckdb.sql(f"select * from '{path}'").df()


def _quarantine(wh, source="generations", day=DAY):
    path = landing.day_folder(wh / "raw" / "quarantine", source, day) / "data.parquet"
    return duckdb.sql(f"select * from '{path}'").df()


def test_clean_day_lands_everything_with_hashed_accounts(warehouse_env):
    _write(_folder(warehouse_env), "part-0.parquet", [_row(i) for i in range(10)])
    result = _land(warehouse_env)
    assert (result.rows_in, result.rows_landed, result.rows_quarantined) == (10, 10, 0)
    landed = _landed(warehouse_env)
    assert list(landed.columns[: len(contract.GENERATIONS)]) == list(contract.GENERATIONS)
    assert landed["account_id"].str.startswith("acct_").all()
    assert not landed["account_id"].str.contains("account-").any()
    assert landed["account_id"].nunique() == 3


def test_duplicates_in_one_file_and_across_files_are_quarantined_once_kept_once(warehouse_env):
    rows = [_row(i) for i in range(5)]
    _write(_folder(warehouse_env), "part-0.parquet", rows + [rows[0]])
    _write(_folder(warehouse_env), "part-1.parquet", rows[1:3])
    result = _land(warehouse_env)
    assert result.rows_landed == 5
    assert result.quarantined == {"duplicate_id": 3}
    assert _landed(warehouse_env)["id"].is_unique


def test_redelivered_file_is_never_counted_twice_in_the_same_or_the_next_day(warehouse_env):
    rows = [_row(i) for i in range(4)]
    _write(_folder(warehouse_env), "part-0.parquet", rows)
    _write(_folder(warehouse_env), "part-0-redelivered.parquet", rows)
    result = _land(warehouse_env)
    assert result.rows_landed == 4 and result.quarantined == {"duplicate_id": 4}
    # The same file dropped into the next day's folder: its rows belong to another day.
    next_day = DAY + dt.timedelta(days=1)
    own_row = _row(10, created_at=dt.datetime(2025, 6, 3, 9))
    _write(_folder(warehouse_env, day=next_day), "part-0.parquet", [own_row])
    _write(_folder(warehouse_env, day=next_day), "part-0-redelivered.parquet", rows)
    result = _land(warehouse_env, day=next_day)
    assert result.rows_landed == 1 and result.quarantined == {"timestamp_outside_partition": 4}


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"tokens_prompt": -5}, "negative_tokens"),
        ({"native_tokens_cached": 2000}, "cached_exceeds_prompt"),
        ({"native_tokens_reasoning": 500}, "reasoning_exceeds_completion"),
        ({"total_cost": -0.01}, "negative_cost"),
        ({"created_at": dt.datetime(2025, 6, 1, 23, 0)}, "timestamp_outside_partition"),
        ({"finish_reason": "exploded"}, "invalid_finish_reason"),
        ({"id": None}, "missing_required_value"),
    ],
)
def test_impossible_values_are_quarantined_with_their_reason(warehouse_env, overrides, reason):
    _write(_folder(warehouse_env), "part-0.parquet", [_row(0), _row(1, **overrides)])
    result = _land(warehouse_env)
    assert result.rows_landed == 1
    assert result.quarantined == {reason: 1}
    q = _quarantine(warehouse_env)
    assert list(q["reason"]) == [reason]
    assert q["file_name"][0] == "part-0.parquet" and q["row_number"][0] == 2
    assert "account-" not in q["record_json"][0]  # the raw id never reaches quarantine either


def test_future_timestamp_is_quarantined(warehouse_env):
    future = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=2)
    day = future.date()
    folder = _folder(warehouse_env, day=day)
    _write(folder, "part-0.parquet", [_row(0, created_at=future)])
    result = landing.land_day(
        "generations", day, warehouse_env / "landing", warehouse_env / "raw", KEY, config.SEEDS_DIR
    )
    assert result.quarantined == {"timestamp_in_future": 1}


def test_changed_type_quarantines_the_rows_that_do_not_cast(warehouse_env):
    rows = [_row(0, tokens_prompt="1000"), _row(1, tokens_prompt="a lot")]
    schema = pa.Table.from_pylist([_row(0)]).schema.set(
        pa.Table.from_pylist([_row(0)]).schema.get_field_index("tokens_prompt"), pa.field("tokens_prompt", pa.string())
    )
    _write(_folder(warehouse_env), "part-0.parquet", rows, schema=schema)
    result = _land(warehouse_env)
    assert result.rows_landed == 1
    assert result.quarantined == {"invalid_type": 1}


def test_extra_column_is_kept_out_with_a_warning(warehouse_env):
    _write(_folder(warehouse_env), "part-0.parquet", [_row(0, user_agent="curl")])
    result = _land(warehouse_env)
    assert result.rows_landed == 1
    assert any("extra columns kept out: user_agent" in w for w in result.warnings)
    assert "user_agent" not in _landed(warehouse_env).columns


def test_missing_required_column_fails_the_day_naming_file_and_column(warehouse_env):
    row = _row(0)
    del row["tokens_prompt"]
    _write(_folder(warehouse_env), "export.parquet", [row])
    with pytest.raises(landing.LandingError, match=r"export\.parquet.*'tokens_prompt' is missing"):
        _land(warehouse_env)
    assert not (landing.day_folder(warehouse_env / "raw", "generations", DAY) / "data.parquet").exists()


def test_truncated_parquet_fails_the_day_naming_the_file(warehouse_env):
    folder = _folder(warehouse_env)
    _write(folder, "part-0.parquet", [_row(i) for i in range(100)])
    data = (folder / "part-0.parquet").read_bytes()
    (folder / "part-0.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(landing.LandingError, match=r"part-0\.parquet: not a readable Parquet file"):
        _land(warehouse_env)


def test_empty_file_is_a_warning_not_an_error(warehouse_env):
    folder = _folder(warehouse_env)
    _write(folder, "part-0.parquet", [_row(0)])
    (folder / "part-1.parquet").write_bytes(b"")
    result = _land(warehouse_env)
    assert result.rows_landed == 1
    assert any("part-1.parquet: empty file" in w for w in result.warnings)


def test_jsonl_broken_line_is_quarantined_by_number_and_the_rest_lands(warehouse_env):
    folder = _folder(warehouse_env)
    folder.mkdir(parents=True)
    good = [json.dumps(_row(i), default=str) for i in range(3)]
    (folder / "export.jsonl").write_text("\n".join([good[0], '{"id": "gen-9", "broken', good[1], good[2]]) + "\n")
    result = _land(warehouse_env)
    assert result.rows_landed == 3
    assert result.quarantined == {"malformed_json_line": 1}
    q = _quarantine(warehouse_env)
    assert q["row_number"].tolist() == [2] and q["record_json"].isna().all()


def test_prompt_text_column_rejects_the_file_without_echoing_the_text(warehouse_env):
    secret = "my secret prompt about the quarterly numbers"
    _write(_folder(warehouse_env), "leaky.parquet", [_row(0, prompt=secret)])
    with pytest.raises(landing.LandingError) as err:
        _land(warehouse_env)
    assert "leaky.parquet" in str(err.value) and "'prompt'" in str(err.value)
    assert secret not in str(err.value)
    assert not (warehouse_env / "raw").exists() or secret.encode() not in b"".join(
        p.read_bytes() for p in (warehouse_env / "raw").rglob("*") if p.is_file()
    )


def test_classifications_before_may_2025_and_low_confidence_are_quarantined(warehouse_env):
    early = dt.date(2025, 4, 20)
    label = {
        "id": "gen-1",
        "classified_at": dt.datetime(2025, 4, 20, 12),
        "classifier_version": "v1",
        "label_path": "/Computers & Electronics/Programming",
        "confidence": 0.9,
        "language": "en",
        "language_confidence": 0.99,
    }
    _write(_folder(warehouse_env, "classifications", early), "part-0.parquet", [label])
    result = _land(warehouse_env, "classifications", early)
    assert result.quarantined == {"category_before_2025_05_01": 1}
    _write(
        _folder(warehouse_env, "classifications"),
        "part-0.parquet",
        [label, {**label, "label_path": "/Games", "confidence": 0.3}],
    )
    result = _land(warehouse_env, "classifications")
    assert result.rows_landed == 1 and result.quarantined == {"confidence_below_threshold": 1}


def test_invalid_country_codes_are_quarantined(warehouse_env):
    rows = [
        {"account_id": "a1", "billing_country": "US", "created_at": dt.datetime(2025, 1, 1)},
        {"account_id": "a2", "billing_country": "XX", "created_at": dt.datetime(2025, 1, 1)},
        {"account_id": "a3", "billing_country": "de", "created_at": dt.datetime(2025, 1, 1)},
    ]
    _write(_folder(warehouse_env, "accounts"), "part-0.parquet", rows)
    result = _land(warehouse_env, "accounts")
    assert result.rows_landed == 2 and result.quarantined == {"invalid_country": 1}
    assert sorted(_landed(warehouse_env, "accounts")["billing_country"]) == ["DE", "US"]


def test_rerun_is_idempotent_and_replaces_the_day(warehouse_env):
    folder = _folder(warehouse_env)
    _write(folder, "part-0.parquet", [_row(i) for i in range(5)])
    _land(warehouse_env)
    first = _landed(warehouse_env)
    _land(warehouse_env)
    assert _landed(warehouse_env).equals(first)
    _write(folder, "late-0.parquet", [_row(i) for i in range(5, 8)])
    assert _land(warehouse_env).rows_landed == 8


def test_missing_key_refuses_to_start_outside_demo_mode(monkeypatch):
    monkeypatch.delenv("WAREHOUSE_DEMO")
    with pytest.raises(config.MissingAccountKey, match="WAREHOUSE_ACCOUNT_KEY is not set"):
        config.account_key()
    monkeypatch.setenv("WAREHOUSE_ACCOUNT_KEY", "s3cret")
    assert config.account_key() == b"s3cret"
