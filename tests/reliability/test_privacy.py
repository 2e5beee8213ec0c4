"""Privacy through the real Definitions: keyed hashes from landing on, k-suppression, only marts published.

Two simulated days plus one crafted "whale": a single very large account that is the only user of a
model and of a billing country, and so its own cohort. Nothing in the published marts may let an
analyst read it out.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from dagster_project import config
from tests.pipeline import run_days, simulate_days
from tests.reliability.conftest import new_warehouse

DAYS = ("2025-06-09", "2025-06-10")
WHALE_DAY = DAYS[1]
WHALE = "user_whale_only_account"
WHALE_REQUESTS = 200
K = yaml.safe_load((config.DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["suppression_k"]
# Real public rankings, not account data: they may name any model.
PUBLIC_DATA_MARTS = {"public_model_share_daily"}


def _seed(name: str) -> list[dict]:
    with open(config.SEEDS_DIR / f"{name}.csv", newline="") as f:
        return list(csv.DictReader(f))


def _plant_whale(wh: Path) -> dict:
    """A model and a country nobody else uses that day, both carried by one huge account."""
    landing = wh / "landing"
    gens = pq.read_table(landing / "generations")  # all days
    used_models = {m.split(":")[0] for m in gens["model"].to_pylist()}
    used_countries = set(pq.read_table(landing / "accounts")["billing_country"].to_pylist())
    used_authors = {r["author"] for r in _seed("model_attributes") if r["model_slug"] in used_models}
    model = next(
        r for r in _seed("model_attributes")
        if r["model_slug"] not in used_models and r["author"] in used_authors
        and r["is_open_weights"] == "false"
    )
    country = next(r for r in _seed("countries") if r["country_code"] not in used_countries)

    day_dir = lambda source: landing / source / f"date={WHALE_DAY}"  # noqa: E731
    schema = pq.read_schema(day_dir("generations") / "part-0.parquet")
    start = dt.datetime.fromisoformat(WHALE_DAY)
    rows = [
        {
            "id": f"gen-whale-{i}", "created_at": start + dt.timedelta(seconds=400 * i), "account_id": WHALE,
            "app_id": None, "model": model["model_slug"], "provider_name": model["author"], "is_byok": False,
            "streamed": True, "cancelled": False, "finish_reason": "stop", "native_finish_reason": "stop",
            "tools_offered": None, "tokens_prompt": 60_000, "tokens_completion": 4_000,
            "native_tokens_reasoning": 0, "native_tokens_cached": 0, "total_cost": 0.5, "cache_discount": 0.0,
            "latency": 900.0, "generation_time": 800.0,
        }
        for i in range(WHALE_REQUESTS)
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), day_dir("generations") / "whale-0.parquet")
    acc_schema = pq.read_schema(day_dir("accounts") / "part-0.parquet")
    account = [{"account_id": WHALE, "billing_country": country["country_code"], "created_at": start}]
    pq.write_table(pa.Table.from_pylist(account, schema=acc_schema), day_dir("accounts") / "whale-0.parquet")
    return {
        "model": model["model_slug"],
        "country": country["country_code"],
        "country_name": country["country_name"],
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory, reference_template):
    wh = new_warehouse(reference_template, tmp_path_factory.mktemp("privacy") / "warehouse")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(wh))
        mp.setenv("WAREHOUSE_DEMO", "1")
        simulate_days(wh, *DAYS, scale=0.1)
        whale = _plant_whale(wh)
        assert run_days(dg.DagsterInstance.ephemeral(), *DAYS).success
        yield {"wh": wh, "whale": whale}


def _raw_account_ids(wh: Path) -> list[str]:
    ids = set()
    for source in ("generations", "accounts"):
        ids |= set(pq.read_table(wh / "landing" / source, columns=["account_id"])["account_id"].to_pylist())
    return sorted(ids)


def _relations(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? order by 1, 2",
        [catalog],
    ).fetchall()


def _columns_holding_raw_ids(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """Columns of `relation` where a raw id appears as a whole value or inside text (e.g. JSON)."""
    hits = []
    for column, *_ in con.execute(f"describe select * from {relation}").fetchall():
        value = f'cast("{column}" as varchar)'
        found = con.execute(
            f"""
            select count(*) from (
                select {value} as v from {relation}
            ) t
            where v in (select id from raw_ids)
               or exists (
                    select 1 from (select unnest(regexp_extract_all(v, 'user_[A-Za-z0-9_]+')) as token) tokens
                    where token in (select id from raw_ids)
               )
            """
        ).fetchall()[0][0]
        if found:
            hits.append(f"{relation}.{column}")
    return hits


def test_no_raw_account_id_in_any_table_column_or_landed_file(built):
    wh = built["wh"]
    ids = _raw_account_ids(wh)
    assert WHALE in ids and len(ids) > 50
    with duckdb.connect() as con:
        con.execute("create table raw_ids as select unnest(?) as id", [ids])
        con.execute(f"attach '{wh / 'warehouse.duckdb'}' as wh (read_only)")
        con.execute(f"attach '{wh / 'marts.duckdb'}' as pub (read_only)")
        relations = [f'{c}."{s}"."{t}"' for c in ("wh", "pub") for s, t in _relations(con, c)]
        assert len(relations) > 40
        # The scanner itself must find an id where one is (or a clean result would prove nothing).
        con.execute("create table canary as select '{\"account_id\": \"' || ? || '\"}' as j", [ids[0]])
        assert _columns_holding_raw_ids(con, "canary") == ["canary.j"]
        hits = [h for r in relations for h in _columns_holding_raw_ids(con, r)]
        files = sorted((wh / "raw").rglob("*.parquet"))
        assert any("quarantine" in str(p) for p in files)
        hits += [h for p in files for h in _columns_holding_raw_ids(con, f"read_parquet('{p}')")]
    assert hits == []


def test_account_ids_are_keyed_hashes_with_the_key_from_the_environment(built):
    wh = built["wh"]
    landed = pq.read_table(wh / "raw" / "generations", columns=["account_id"])["account_id"].to_pylist()
    assert all(re.fullmatch(r"acct_[0-9a-f]{16}", a) for a in landed)
    from dagster_project.lib.landing import pseudonymise

    assert pseudonymise(WHALE, config.DEMO_ACCOUNT_KEY.encode()) in landed
    assert pseudonymise(WHALE, b"another key") not in landed


def test_non_demo_run_without_a_key_refuses_to_start_and_writes_nothing(tmp_path, monkeypatch, warehouse_env):
    monkeypatch.delenv("WAREHOUSE_DEMO")
    simulate_days(warehouse_env, "2025-06-09", "2025-06-09", scale=0.02)
    result = run_days(dg.DagsterInstance.ephemeral(), "2025-06-09", raise_on_error=False)
    assert not result.success
    failed = {
        e.step_key: e.event_specific_data.error.to_string()
        for e in result.all_events if e.event_type_value == "STEP_FAILURE"
    }
    for source in ("generations", "classifications", "accounts"):
        assert "WAREHOUSE_ACCOUNT_KEY is not set" in failed[f"raw__{source}"]
        assert "export WAREHOUSE_ACCOUNT_KEY" in failed[f"raw__{source}"]
    assert not (warehouse_env / "raw").exists()
    assert not (warehouse_env / "marts.duckdb").exists()


def test_only_marts_are_published_to_analysts(built):
    wh = built["wh"]
    with duckdb.connect(str(wh / "warehouse.duckdb"), read_only=True) as con:
        marts = {t for s, t in _relations(con, "warehouse") if s == "marts"}
        inner = {s for s, _ in _relations(con, "warehouse")}
    assert {"staging", "core", "marts"} <= inner
    with duckdb.connect(str(wh / "marts.duckdb"), read_only=True) as con:
        published = _relations(con, "marts")
    assert {s for s, _ in published} == {"main"}
    assert {t for _, t in published} == marts | {"_published"}


def _published(wh: Path) -> dict[str, list[dict]]:
    with duckdb.connect(str(wh / "marts.duckdb"), read_only=True) as con:
        names = [t for _, t in _relations(con, "marts") if t != "_published"]
        out = {}
        for name in names:
            cursor = con.execute(f"select * from {name}")
            columns = [d[0] for d in cursor.description]
            out[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return out


def test_every_published_cell_has_at_least_k_accounts(built):
    marts = _published(built["wh"])
    checked = []
    for name, rows in marts.items():
        if not rows:
            continue
        columns = set(rows[0])
        count = next((c for c in ("accounts", "cohort_accounts") if c in columns), None)
        if count is None:
            continue
        published = [r for r in rows if not r.get("is_other", False)]
        small = [r for r in published if r[count] < K]
        assert small == [], f"{name}: cells below k={K}: {small[:3]}"
        checked.append(name)
    must = {"geography_country", "cohort_retention", "model_share_weekly", "author_share_weekly"}
    assert must <= set(checked)
    # The rule bites on this data: small cells exist and were folded into `other`.
    assert any(r["is_other"] for r in marts["geography_country"])
    assert any(r["is_other"] for r in marts["cohort_retention"])
    assert any(not r["is_other"] for r in marts["geography_country"])


def test_a_single_large_account_cannot_be_read_out_of_any_published_mart(built):
    wh, whale = built["wh"], built["whale"]
    # The whale is really in the warehouse, and large: the marts are built over its rows.
    with duckdb.connect(str(wh / "warehouse.duckdb"), read_only=True) as con:
        share = con.execute(
            "select sum(total_tokens) filter (where model_slug = ?) / sum(total_tokens) "
            "from core.fct_generations where event_date = ?",
            [whale["model"], WHALE_DAY],
        ).fetchall()[0][0]
    assert share > 0.2
    revealing = {whale["model"], whale["country"], whale["country_name"]}
    marts = _published(wh)
    leaks = [
        (name, row) for name, rows in marts.items() if name not in PUBLIC_DATA_MARTS
        for row in rows if revealing & {v for v in row.values() if isinstance(v, str)}
    ]
    assert leaks == []
    account = [r for r in marts["concentration_weekly"] if r["dimension"] == "account"]
    assert account and all(r["top1_share"] is None for r in account)
    # Its cohort (its first month on its model) is pooled into `other`, never its own row.
    assert not [r for r in marts["cohort_retention"] if r["model_slug"] == whale["model"]]
