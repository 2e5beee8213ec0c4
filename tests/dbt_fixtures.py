"""Tiny hand-made landed-raw data for the dbt known-answer tests.

`write_landed_raw(warehouse_dir)` writes the raw layout of docs/architecture.md (hive folders
`date=YYYY-MM-DD`, an empty quarantine file per source and day, the two public files), small
enough that every mart value can be worked out by hand:

- days 2025-05-05 and 2025-05-06 (ISO week of 2025-05-05) and 2025-06-02 (June);
- 12 accounts (acct_000…acct_011, US for 000–005, DE for 006–011) send one request a day to
  Claude Sonnet 4 (1000 in / 200 out, $0.006) and one to DeepSeek V3-0324 (500 in / 100 out,
  $0.0003); in June only acct_000…acct_005 use Claude, all 12 still use DeepSeek;
- 9 accounts (acct_100…acct_108, SG) send one request a day to Llama 3.1 8B (100 in / 50 out),
  a 9-account cell that suppression must fold into `other`; not in June;
- acct_000's Claude requests end in tool calls; one request goes to an unknown model.

`copy_project(dst)` copies dbt/ with fixture versions of the two seeds that the simulator
owns, so the known answers do not move when the real seeds change.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"

DAYS = (dt.date(2025, 5, 5), dt.date(2025, 5, 6), dt.date(2025, 6, 2))

CLAUDE = "anthropic/claude-sonnet-4"
DEEPSEEK = "deepseek/deepseek-chat-v3-0324"
LLAMA = "meta-llama/llama-3.1-8b-instruct"
UNKNOWN = "newco/mystery-1"

MODEL_ATTRIBUTES_CSV = """\
model_slug,model_name,author,is_open_weights,origin_country,params_b,reasoning_class,release_date,input_price_usd_per_mtok,output_price_usd_per_mtok,source
anthropic/claude-sonnet-4,Claude Sonnet 4,Anthropic,false,US,,hybrid,2025-05-22,3.0,15.0,fixture
deepseek/deepseek-chat-v3-0324,DeepSeek V3 0324,DeepSeek,true,CN,671,non_reasoning,2025-03-24,0.27,1.1,fixture
meta-llama/llama-3.1-8b-instruct,Llama 3.1 8B,Meta,true,US,8,non_reasoning,2024-07-23,0.02,0.05,fixture
qwen/qwen3-32b,Qwen3 32B,Qwen,true,CN,32.8,hybrid,2025-04-29,0.1,0.3,fixture
"""

CATEGORY_MAP_CSV = """\
label_path,category,subcategory
/Computers & Electronics/Programming,programming,programming_other
/Computers & Electronics/Programming/Development Tools,programming,development_tools
/Games/Roleplaying Games,roleplay,roleplaying_games
/Reference/Language Resources/Foreign Language Resources,translation,foreign_language_resources
"""

GENERATIONS_SCHEMA = pa.schema([
    ("id", pa.string()), ("created_at", pa.timestamp("us")), ("account_id", pa.string()),
    ("app_id", pa.string()), ("model", pa.string()), ("provider_name", pa.string()),
    ("is_byok", pa.bool_()), ("streamed", pa.bool_()), ("cancelled", pa.bool_()),
    ("finish_reason", pa.string()), ("native_finish_reason", pa.string()),
    ("tools_offered", pa.int32()), ("tokens_prompt", pa.int64()), ("tokens_completion", pa.int64()),
    ("native_tokens_reasoning", pa.int64()), ("native_tokens_cached", pa.int64()),
    ("total_cost", pa.float64()), ("cache_discount", pa.float64()), ("latency", pa.float64()),
    ("generation_time", pa.float64()),
])
CLASSIFICATIONS_SCHEMA = pa.schema([
    ("id", pa.string()), ("classified_at", pa.timestamp("us")), ("classifier_version", pa.string()),
    ("label_path", pa.string()), ("confidence", pa.float64()), ("language", pa.string()),
    ("language_confidence", pa.float64()),
])
ACCOUNTS_SCHEMA = pa.schema([
    ("account_id", pa.string()), ("billing_country", pa.string()), ("created_at", pa.timestamp("us")),
])
QUARANTINE_SCHEMA = pa.schema([
    ("source", pa.string()), ("partition_date", pa.date32()), ("file_name", pa.string()),
    ("row_number", pa.int64()), ("reason", pa.string()), ("record_json", pa.string()),
])

# (generation id suffix, labels) of the classified requests of every day
LABELS = (
    ("acct_000-claude", ("/Computers & Electronics/Programming",)),
    ("acct_001-claude", ("/Computers & Electronics/Programming",
                         "/Computers & Electronics/Programming/Development Tools")),
    ("acct_006-deepseek", ("/Games/Roleplaying Games",)),
    ("acct_007-deepseek", ("/Games/Roleplaying Games",
                           "/Reference/Language Resources/Foreign Language Resources")),
)


def _accounts() -> list[tuple[str, str]]:
    main = [(f"acct_{i:03d}", "US" if i < 6 else "DE") for i in range(12)]
    small = [(f"acct_{100 + i:03d}", "SG") for i in range(9)]
    return main + small


def generation_rows(day: dt.date, claude_output_tokens: int = 200, with_llama: bool = True) -> list[dict]:
    """The fixture's requests of one day (change the keyword arguments to alter a day)."""
    rows = []
    at = dt.datetime.combine(day, dt.time(12, 0))

    def add(account: str, model: str, tin: int, tout: int, cost: float, finish: str = "stop") -> None:
        short = model.split("/")[1].split("-")[0]
        rows.append({
            "id": f"gen-{day.isoformat()}-{account}-{short}", "created_at": at,
            "account_id": account, "app_id": None, "model": model, "provider_name": model.split("/")[0],
            "is_byok": False, "streamed": True, "cancelled": False, "finish_reason": finish,
            "native_finish_reason": finish, "tools_offered": None, "tokens_prompt": tin,
            "tokens_completion": tout, "native_tokens_reasoning": 0, "native_tokens_cached": 0,
            "total_cost": cost, "cache_discount": 0.0, "latency": 500.0, "generation_time": 1500.0,
        })

    june = day.month == 6
    for account, _ in _accounts():
        number = int(account[-3:])
        if number < 100:
            if not june or number < 6:
                add(account, CLAUDE, 1000, claude_output_tokens, 0.006,
                    "tool_calls" if number == 0 else "stop")
            add(account, DEEPSEEK, 500, 100, 0.0003)
        elif not june and with_llama:
            add(account, LLAMA, 100, 50, 0.00001)
    add("acct_000", UNKNOWN, 10, 10, 0.0)
    return rows


def classification_rows(day: dt.date, generation_ids: set[str]) -> list[dict]:
    at = dt.datetime.combine(day, dt.time(13, 0))
    rows = []
    for suffix, labels in LABELS:
        generation_id = f"gen-{day.isoformat()}-{suffix}"
        if generation_id not in generation_ids:
            continue
        for label in labels:
            rows.append({
                "id": generation_id, "classified_at": at, "classifier_version": "fixture",
                "label_path": label, "confidence": 0.9, "language": "en", "language_confidence": 0.99,
            })
    return rows


def _write(rows: list[dict], schema: pa.Schema, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def write_day(warehouse_dir: Path, day: dt.date, claude_output_tokens: int = 200,
              with_llama: bool = True) -> None:
    """Write (or overwrite) one day of landed raw data, as the raw assets would."""
    raw = Path(warehouse_dir) / "raw"
    part = f"date={day.isoformat()}"
    generations = generation_rows(day, claude_output_tokens, with_llama)
    ids = {row["id"] for row in generations}
    _write(generations, GENERATIONS_SCHEMA, raw / "generations" / part / "data.parquet")
    _write(classification_rows(day, ids), CLASSIFICATIONS_SCHEMA,
           raw / "classifications" / part / "data.parquet")
    created = dt.datetime(2025, 1, 1)
    _write([{"account_id": a, "billing_country": c, "created_at": created} for a, c in _accounts()],
           ACCOUNTS_SCHEMA, raw / "accounts" / part / "data.parquet")
    for source in ("generations", "classifications", "accounts"):
        _write([], QUARANTINE_SCHEMA, raw / "quarantine" / source / part / "data.parquet")


def _catalogue_row(snapshot: str, model_id: str, name: str, prompt: float, completion: float,
                   hugging_face_id: str | None = None, reasoning: bool = False,
                   free: bool = False) -> dict:
    return {
        "id": model_id, "canonical_slug": model_id.split(":")[0] + "-20250101",
        "hugging_face_id": hugging_face_id, "name": name,
        "created_utc": dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC), "context_length": 131072,
        "price_prompt": prompt, "price_completion": completion, "price_input_cache_read": None,
        "supports_reasoning": reasoning, "supports_tools": True, "reasoning_mandatory": False,
        "is_free_variant": free, "snapshot_date": dt.date.fromisoformat(snapshot),
    }


def write_public(warehouse_dir: Path) -> None:
    """The two public files, with every column of the vendored CSVs (unused ones left null)."""
    public = Path(warehouse_dir) / "raw" / "public"
    public.mkdir(parents=True, exist_ok=True)
    header = (REPO / "data/public/openrouter_models_catalog/openrouter_models_2026-07-11.csv")
    columns = header.read_text().splitlines()[0].split(",")
    mistral = "mistralai/mistral-small-3.2-24b-instruct"
    rows = []
    for snapshot, mistral_prompt in (("2026-07-11", 1e-7), ("2026-08-21", 5e-8)):
        rows += [
            _catalogue_row(snapshot, CLAUDE, "Anthropic: Claude Sonnet 4", 3e-6, 1.5e-5, reasoning=True),
            _catalogue_row(snapshot, mistral, "Mistral: Mistral Small 3.2 24B", mistral_prompt, 3e-7,
                           hugging_face_id="mistralai/Mistral-Small-3.2-24B-Instruct-2506"),
            _catalogue_row(snapshot, mistral + ":free", "Mistral: Mistral Small 3.2 24B (free)", 0.0, 0.0,
                           hugging_face_id="mistralai/Mistral-Small-3.2-24B-Instruct-2506", free=True),
            _catalogue_row(snapshot, "~anthropic/claude-sonnet-latest", "Anthropic: Claude Sonnet Latest",
                           3e-6, 1.5e-5),
        ]
    full = [{column: row.get(column) for column in columns} | {"snapshot_date": row["snapshot_date"]}
            for row in rows]
    types = {"created_utc": pa.timestamp("us", tz="UTC"), "context_length": pa.int64(),
             "snapshot_date": pa.date32()}
    for column in columns:
        if column.startswith("price_"):
            types[column] = pa.float64()
        elif column.startswith(("supports_", "reasoning_", "is_", "has_")):
            types[column] = pa.bool_()
    schema = pa.schema([(c, types.get(c, pa.string())) for c in [*columns, "snapshot_date"]])
    pq.write_table(pa.Table.from_pylist(full, schema=schema), public / "model_catalog.parquet")

    rankings = [
        {"date": dt.date(2026, 5, 24), "model_permaslug": CLAUDE + "-20250101", "total_tokens": 600,
         "is_other": False, "rank_in_day": 1},
        {"date": dt.date(2026, 5, 24), "model_permaslug": mistral + "-20250101:free", "total_tokens": 300,
         "is_other": False, "rank_in_day": 2},
        {"date": dt.date(2026, 5, 24), "model_permaslug": "other", "total_tokens": 100,
         "is_other": True, "rank_in_day": None},
    ]
    schema = pa.schema([("date", pa.date32()), ("model_permaslug", pa.string()),
                        ("total_tokens", pa.int64()), ("is_other", pa.bool_()), ("rank_in_day", pa.int64())])
    pq.write_table(pa.Table.from_pylist(rankings, schema=schema), public / "rankings_daily.parquet")


def write_landed_raw(warehouse_dir: Path) -> None:
    for day in DAYS:
        write_day(warehouse_dir, day)
    write_public(warehouse_dir)


def copy_project(dst: Path) -> Path:
    """Copy dbt/ to `dst` with the fixture seeds; returns the copied project dir."""
    ignore = shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml")
    shutil.copytree(DBT_DIR, dst, ignore=ignore)
    (dst / "seeds" / "model_attributes.csv").write_text(MODEL_ATTRIBUTES_CSV)
    (dst / "seeds" / "category_map.csv").write_text(CATEGORY_MAP_CSV)
    return dst
