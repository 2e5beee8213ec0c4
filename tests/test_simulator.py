"""Tests of the calibrated traffic simulator (dagster_project.simulate). Fast: small scale / short ranges."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from dagster_project.lib import contract
from dagster_project.simulate import DEFAULT_SCENARIO, ScenarioError, build_plan, load_scenario, simulate
from dagster_project.simulate.generator import SCHEMAS

SCALE = 0.04


def _raw_default() -> dict:
    return yaml.safe_load(DEFAULT_SCENARIO.read_text())


def _write(tmp_path: Path, raw: dict, name="s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(raw, sort_keys=False))
    return p


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


def _glob(root: Path, source: str) -> str:
    return str(root / source / "*" / "*.parquet")


# ----------------------------------------------------------------------------- scenario validation
def test_default_scenario_loads():
    s = load_scenario()
    assert s["name"] == "default"
    assert len(s["models"]) >= 45


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda r: r.update(bogus=1), r"bogus: unknown key"),
        (
            lambda r: r["models"]["openai/gpt-4o"].update(tool_factr=1),
            r"models\.openai/gpt-4o\.tool_factr: unknown key",
        ),
        (
            lambda r: r["volume"].update(requests_per_day_at_end="lots"),
            r"volume\.requests_per_day_at_end: expected a number",
        ),
        (lambda r: r["languages"].update(en=0.5), r"languages: shares must sum to 1"),
        (
            lambda r: r["segments"]["open_china"].update({"2025-13-01": 0.1}),
            r"segments\.open_china\.2025-13-01: expected a date",
        ),
        (
            lambda r: r["models"]["openai/gpt-4o"].update(profile="nope"),
            r"models\.openai/gpt-4o\.profile: unknown category profile",
        ),
        (lambda r: r.pop("window"), r"window: missing required key"),
        (
            lambda r: r["geography"]["other_countries"]["Europe"].append(False),
            r"geography\.other_countries\.Europe\[\d+\]: expected an ISO code",
        ),
        (lambda r: r["dirty"].update(meteor_strike={"rate": 0.1}), r"dirty\.meteor_strike: unknown fault"),
        (
            lambda r: r["lengths"]["cache"].update(fraction_range={"default": [0.3, 0.9], "coding": [0.5, 1]}),
            r"lengths\.cache\.fraction_range\.coding: unknown category",
        ),
        (
            lambda r: r["models"]["openai/gpt-4o"].update(completion_multiplier="long"),
            r"models\.openai/gpt-4o\.completion_multiplier: expected a number",
        ),
    ],
)
def test_scenario_errors_name_key_and_problem(tmp_path, mutate, match):
    raw = _raw_default()
    mutate(raw)
    with pytest.raises(ScenarioError, match=match):
        load_scenario(_write(tmp_path, raw))


def test_scenario_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "missing.yaml")


# ----------------------------------------------------------------------------- shared full-year run
@pytest.fixture(scope="module")
def plan():
    return build_plan(None, seed=7, scale=SCALE)


@pytest.fixture(scope="module")
def year(tmp_path_factory, plan):
    out = tmp_path_factory.mktemp("year")
    truth = simulate(out_dir=out, plan=plan)
    return out, truth


# ----------------------------------------------------------------------------- determinism
def test_same_seed_byte_identical(tmp_path, plan):
    a, b = tmp_path / "a", tmp_path / "b"
    simulate(out_dir=a, plan=plan, start="2025-06-01", end="2025-06-03", workers=1)
    simulate(out_dir=b, seed=7, scale=SCALE, start="2025-06-01", end="2025-06-03", workers=1)
    fa, fb = _files(a), _files(b)
    assert fa and fa == fb
    assert (a / "truth.json").read_bytes() == (b / "truth.json").read_bytes()


def test_day_alone_equals_day_in_range(tmp_path, plan, year):
    alone = tmp_path / "alone"
    simulate(out_dir=alone, plan=plan, start="2025-05-17", end="2025-05-17")
    full, _ = year
    got = _files(alone)
    assert len(got) == 3
    for rel, data in got.items():
        assert (full / rel).read_bytes() == data, rel


def test_other_seed_differs(tmp_path):
    a = tmp_path / "a"
    simulate(out_dir=a, seed=8, scale=SCALE, start="2025-06-01", end="2025-06-01")
    b = tmp_path / "b"
    simulate(out_dir=b, seed=7, scale=SCALE, start="2025-06-01", end="2025-06-01")
    assert _files(a) != _files(b)


# ----------------------------------------------------------------------------- contract
def test_columns_and_types_match_contract(year):
    out, _ = year
    con = duckdb.connect()
    for source, cols in contract.COLUMNS.items():
        one = next((out / source).glob("date=2025-06-0*/part-0.parquet"))
        assert pq.read_schema(one).remove_metadata() == SCHEMAS[source]
        desc = con.execute(
            f"describe select * from read_parquet('{one}', hive_partitioning=false)"
        ).fetchall()
        assert [(r[0], r[1]) for r in desc] == list(cols.items())


def test_generation_rows_are_valid(year):
    out, truth = year
    con = duckdb.connect()
    row = con.execute(f"""
        select count(*), count(distinct id),
               count(*) filter (where tokens_prompt < 0 or tokens_completion < 0 or native_tokens_cached > tokens_prompt
                                or native_tokens_reasoning > tokens_completion or total_cost < 0),
               count(*) filter (where finish_reason not in {contract.FINISH_REASONS}),
               count(*) filter (where cast(created_at as date) <> cast(date as date)),
               count(*) filter (where tools_offered is not null and created_at < '2025-09-01'),
               count(*) filter (where tools_offered is null and created_at >= '2025-09-01'),
               count(*) filter (where total_cost = 0 and not is_byok and model not like '%:free')
        from read_parquet('{_glob(out, "generations")}', hive_partitioning=true)""").fetchone()
    assert row[0] == row[1] == truth["totals"]["requests"]
    assert row[2:] == (0, 0, 0, 0, 0, 0)
    # a model appears only after its release
    late = con.execute(f"""
        select count(*) from read_parquet('{_glob(out, "generations")}') g
        join read_csv('{Path(contract.__file__).parents[2] / "dbt/seeds/model_attributes.csv"}') m
          on split_part(g.model, ':', 1) = m.model_slug
        where cast(g.created_at as date) < m.release_date""").fetchone()[0]
    assert late == 0
    acc = con.execute(f"""select count(*) from read_parquet('{_glob(out, "accounts")}', hive_partitioning=true) a
                      group by date, account_id having count(*) > 1""").fetchall()
    assert acc == []


def test_classifications_sample(year):
    out, truth = year
    dates = sorted(p.name for p in (out / "classifications").iterdir())
    assert dates[0] == "date=2025-05-01"
    con = duckdb.connect()
    n_cls, n_gen, bad_conf, max_labels = con.execute(f"""
        with c as (select * from read_parquet('{_glob(out, "classifications")}', hive_partitioning=true)),
             per as (select id, count(*) n from c group by id)
        select (select count(distinct id) from c),
               (select count(*) from read_parquet('{_glob(out, "generations")}', hive_partitioning=true)
                 where created_at >= '2025-05-01'),
               (select count(*) from c where confidence < 0.5), (select max(n) from per)""").fetchone()
    rate = n_cls / n_gen
    sd = math.sqrt(0.0025 * 0.9975 / n_gen)
    assert abs(rate - 0.0025) < 4 * sd
    assert bad_conf == 0 and max_labels <= 3
    assert n_cls == truth["classification"]["classified_requests"]
    # every classified id is a generation of the same day
    orphans = con.execute(f"""select count(*) from read_parquet('{_glob(out, "classifications")}', hive_partitioning=true) c
        anti join read_parquet('{_glob(out, "generations")}', hive_partitioning=true) g
        on c.id = g.id and c.date = g.date""").fetchone()[0]
    assert orphans == 0


def test_extra_labels_keep_planted_subtag_shares(plan):
    # with 1/labels weights, extra labels drawn uniformly pulled ML & AI (80.4% of science) to ~71%
    import numpy as np
    import pyarrow as pa

    from dagster_project.simulate.generator import _classify

    n = 40_000
    rng = np.random.default_rng(0)
    c = plan.cats.index("science")
    sub = plan.sub_offset[c] + np.searchsorted(plan.sub_cum[c], rng.random(n), side="right")
    lat = {"sub": sub, "lang": np.zeros(n, dtype=np.int64)}
    gen = {
        "id": pa.array([f"g{i}" for i in range(n)]),
        "created_at": pa.array(np.zeros(n, dtype=np.int64), pa.timestamp("us")),
    }
    _, pairs = _classify(plan, rng, np.arange(n), lat, gen)
    req, lab = pairs[:, 0], pairs[:, 1]
    weight = 1.0 / np.bincount(req)[req]
    in_science = plan.label_cat[lab] == c
    ml = plan.labels.index("/Science/Computer Science/Machine Learning & Artificial Intelligence")
    share = weight[in_science & (lab == ml)].sum() / weight[in_science].sum()
    assert share == pytest.approx(0.804, abs=0.015)


# ----------------------------------------------------------------------------- calibration (paper §6)
def test_calibration_segments_and_authors(year):
    _, t = year
    seg = t["segments"]["mean_of_weekly_shares"]
    assert 0.10 <= seg["open_china"] <= 0.16
    assert 0.11 <= seg["open_rest_of_world"] <= 0.17
    weeks = [w for w in t["weekly"] if w["days"] == 7]
    assert weeks[0]["segment_token_shares"]["open_china"] < 0.03
    assert max(w["segment_token_shares"]["open_china"] for w in weeks) > 0.24
    assert 0.28 <= weeks[-1]["oss_token_share"] <= 0.38
    top = [a["author"] for a in t["oss_authors"][:5]]
    assert top == ["DeepSeek", "Qwen", "Meta", "Mistral AI", "OpenAI"]
    shares = {a["author"]: a["oss_token_share"] for a in t["oss_authors"]}
    assert shares["DeepSeek"] / shares["Qwen"] == pytest.approx(14.37 / 5.59, rel=0.15)
    # late 2025: no open model above ~25% of open-weight tokens
    assert all(w["top_oss_model"]["oss_token_share"] < 0.27 for w in weeks[-6:])


def test_calibration_reasoning_tools_lengths(year):
    _, t = year
    weeks = [w for w in t["weekly"] if w["days"] == 7]
    first, last = weeks[0], weeks[-1]
    jan = next(w for w in weeks if w["week_start"] == "2025-01-06")
    assert jan["reasoning_model_token_share"] < 0.08
    assert last["reasoning_model_token_share"] > 0.5
    assert first["tool_call_token_share"] < 0.08 and last["tool_call_token_share"] > 0.11
    may = [w for w in weeks if "2025-05-12" <= w["week_start"] <= "2025-05-19"]
    assert all(w["spike_account_share_of_tool_call_tokens"] > 0.5 for w in may)
    assert all(w["tool_call_token_share"] > w["tool_call_token_share_excl_spike_account"] + 0.05 for w in may)
    assert 1100 <= first["mean_input_tokens"] <= 2000 and 5000 <= last["mean_input_tokens"] <= 8000
    assert 110 <= first["mean_output_tokens"] <= 200 and 330 <= last["mean_output_tokens"] <= 500


def test_calibration_categories_language_geography(year):
    _, t = year
    weeks = [w for w in t["weekly"] if w["days"] == 7]
    early = [w["programming_token_share"] for w in weeks if "2025-01-01" <= w["week_start"] <= "2025-02-28"]
    assert max(early) < 0.2
    assert max(w["programming_token_share"] for w in weeks[-4:]) > 0.5
    cats = t["categories"]
    assert cats["by_openness"]["open"]["roleplay"] > 0.42
    lang = cats["language_token_shares"]
    assert lang["en"] == pytest.approx(0.8287, abs=0.02)
    assert lang["zh-Hans"] == pytest.approx(0.0495, abs=0.01)
    sub = cats["subcategory_token_shares"]
    assert sub["roleplay"]["Games/Roleplaying Games"] == pytest.approx(0.59, abs=0.04)
    assert sub["science"]["Machine Learning & AI"] == pytest.approx(0.804, abs=0.05)
    geo = t["geography"]["country_spend_shares"]
    assert geo["US"] == pytest.approx(0.4717, abs=0.05)
    assert geo["SG"] == pytest.approx(0.0921, abs=0.03)
    asia = [w["continent_spend_shares"]["Asia"] for w in weeks]
    assert sum(asia[:4]) / 4 < 0.2 and sum(asia[-4:]) / 4 > 0.25


def test_calibration_prices_and_north_america(year):
    _, t = year
    price = {m["model_slug"]: m["effective_price_usd_per_mtok"] for m in t["models"]}
    # paper F28 (blended, caching included): Claude ~$1.95 below its $3 input price, DeepSeek V3 0324 $0.394
    assert 1.4 <= price["anthropic/claude-sonnet-4"] <= 2.5
    assert 1.4 <= price["anthropic/claude-3.7-sonnet"] <= 2.5
    assert 0.28 <= price["deepseek/deepseek-chat-v3-0324"] <= 0.5
    assert t["price_elasticity"]["elasticity"] < 0.0
    weeks = [w for w in t["weekly"] if w["days"] == 7]
    below = [w["continent_spend_shares"]["North America"] < 0.5 for w in weeks]
    assert sum(below) > len(below) / 2


def test_cohort_retention_shapes(year):
    _, t = year
    c = t["cohort_retention"]
    sonnet = c["anthropic/claude-sonnet-4"]["2025-05"]["retention"]
    assert sonnet[5] > 0.3
    later = c["anthropic/claude-sonnet-4"]["2025-07"]["retention"]
    assert later[3] < sonnet[3]
    r1 = c["deepseek/deepseek-r1"]["2025-04"]["retention"]
    assert r1[3] > r1[2] + 0.05
    v3 = c["deepseek/deepseek-chat-v3-0324"]["2025-07"]["retention"]
    assert v3[2] > v3[1] + 0.05
    mini = c["openai/gpt-4o-mini"]
    first = min(mini)
    assert all(
        mini[first]["retention"][4] > v["retention"][4] + 0.1
        for k, v in mini.items()
        if k != first and len(v["retention"]) > 4
    )


# ----------------------------------------------------------------------------- truth agrees with raw files
def test_truth_matches_raw_files(year):
    out, t = year
    con = duckdb.connect()
    g = _glob(out, "generations")
    req, inp, outp = con.execute(
        f"select count(*), sum(tokens_prompt), sum(tokens_completion) from read_parquet('{g}')"
    ).fetchone()
    assert (req, inp, outp) == (
        t["totals"]["requests"],
        t["totals"]["input_tokens"],
        t["totals"]["output_tokens"],
    )
    wk = con.execute(f"""select date_trunc('week', created_at)::date w, sum(tokens_prompt + tokens_completion),
                        sum(tokens_prompt + tokens_completion) filter (where finish_reason = 'tool_calls')
                     from read_parquet('{g}') group by 1 order by 1""").fetchall()
    weekly = {w["week_start"]: w for w in t["weekly"]}
    for w, tot, tool in wk:
        assert weekly[w.isoformat()]["total_tokens"] == tot
        assert weekly[w.isoformat()]["tool_call_token_share"] == pytest.approx(tool / tot, abs=1e-6)
    price = dict(
        con.execute(f"""select split_part(model, ':', 1), sum(total_cost) / sum(tokens_prompt + tokens_completion) * 1e6
                             from read_parquet('{g}') where not is_byok and model not like '%:free'
                             group by 1""").fetchall()
    )
    for m in t["models"]:
        if m["effective_price_usd_per_mtok"] is not None:
            assert price[m["model_slug"]] == pytest.approx(m["effective_price_usd_per_mtok"], rel=1e-5)
    spend = dict(
        con.execute(f"""select a.billing_country, sum(g.total_cost) from read_parquet('{g}', hive_partitioning=true) g
                             join read_parquet('{_glob(out, "accounts")}', hive_partitioning=true) a
                               on g.account_id = a.account_id and g.date = a.date group by 1""").fetchall()
    )
    tot = sum(spend.values())
    for c, v in spend.items():
        assert t["geography"]["country_spend_shares"][c] == pytest.approx(v / tot, abs=1e-5)
    cls = con.execute(f"""select cast(date as varchar), count(distinct id)
                      from read_parquet('{_glob(out, "classifications")}', hive_partitioning=true) group by 1""").fetchall()
    assert dict(cls) == {k: v for k, v in t["classification"]["classified_requests_per_day"].items() if v}
    # cohort: Claude Sonnet 4, May-2025 cohort size and month-1 retention from the raw rows
    size, m1 = con.execute(f"""
        with u as (select account_id, date_trunc('month', created_at)::date m from read_parquet('{g}')
                   where split_part(model, ':', 1) = 'anthropic/claude-sonnet-4' group by 1, 2),
             f as (select account_id, min(m) c from u group by 1)
        select count(*) filter (where c = date '2025-05-01'),
               count(*) filter (where c = date '2025-05-01' and exists (
                   select 1 from u where u.account_id = f.account_id and u.m = date '2025-06-01'))
        from f""").fetchone()
    coh = t["cohort_retention"]["anthropic/claude-sonnet-4"]["2025-05"]
    assert coh["cohort_accounts"] == size
    assert coh["retention"][1] == pytest.approx(m1 / size, abs=1e-4)
    assert json.loads((out / "truth.json").read_text())["totals"] == t["totals"]


# ----------------------------------------------------------------------------- dirty mode
def test_dirty_mode_faults_recorded(tmp_path):
    raw = _raw_default()
    d = raw["dirty"]
    for k in (
        "negative_tokens",
        "cached_exceeds_prompt",
        "reasoning_exceeds_completion",
        "negative_cost",
        "timestamp_outside_day",
        "unknown_model",
        "invalid_finish_reason",
        "duplicate_rows",
    ):
        d[k] = {"rate": 0.01}
    d["duplicate_file"] = {"day_probability": 1.0, "rate": 0.05}
    d["late_rows"] = {"day_probability": 1.0, "rate": 0.02}
    d["invalid_country"] = {"rate": 0.02}
    d["category_before_start"] = {"day_probability": 1.0, "rows": 4}
    d["low_confidence_label"] = {"day_probability": 1.0, "rows": 2}
    d["corrupt_file"] = {"days": ["2025-04-30"]}
    d["text_column_file"] = {"days": ["2025-05-01"]}
    out = tmp_path / "dirty"
    t = simulate(
        _write(tmp_path, raw), out, seed=3, scale=0.1, dirty=True, start="2025-04-29", end="2025-05-02"
    )
    f = t["faults"]
    con = duckdb.connect()
    # part-0 / late-0 files (readable ones)
    gens = [
        p
        for p in (out / "generations").rglob("*.parquet")
        if p.name in ("part-0.parquet", "late-0.parquet", "part-1.parquet")
    ]
    lst = "[" + ",".join(f"'{p}'" for p in gens) + "]"

    def q(where: str) -> int:
        sql = f"select count(distinct id) from read_parquet({lst}, union_by_name=true) where {where}"
        return con.execute(sql).fetchone()[0]

    assert f["negative_tokens"]["count"] == q("tokens_prompt < 0 or tokens_completion < 0") > 0
    assert (
        f["cached_exceeds_prompt"]["count"]
        == q("native_tokens_cached > tokens_prompt and tokens_prompt >= 0")
        > 0
    )
    assert (
        f["reasoning_exceeds_completion"]["count"]
        == q("native_tokens_reasoning > tokens_completion and tokens_completion >= 0")
        > 0
    )
    assert f["negative_cost"]["count"] == q("total_cost < 0") > 0
    assert (
        f["unknown_model"]["count"]
        == q("model in ('acme/mystery-model-7b', 'openai/gpt-6-preview', 'newlab/frontier-x:free')")
        > 0
    )
    assert (
        f["invalid_finish_reason"]["count"]
        == q("finish_reason not in ('stop','length','tool_calls','content_filter','error')")
        > 0
    )
    outside = con.execute(f"""select count(distinct id) from read_parquet({lst}, hive_partitioning=true, union_by_name=true)
                          where cast(created_at as date) <> date""").fetchone()[0]
    assert f["timestamp_outside_day"]["count"] == outside > 0
    total, distinct = con.execute(
        f"select count(*), count(distinct id) from read_parquet({lst}, union_by_name=true)"
    ).fetchone()
    assert total - distinct == f["duplicate_rows"]["count"] + f["duplicate_file"]["count"]
    late = sum(pq.read_metadata(p).num_rows for p in (out / "generations").rglob("late-0.parquet"))
    assert late == f["late_rows"]["count"] > 0
    assert f["late_rows"]["expected_reason"] is None
    # the clean population (dedup, no faulty extras) equals the truth
    clean = con.execute(f"""select count(distinct id) from read_parquet({lst}, hive_partitioning=true, union_by_name=true)
        where tokens_prompt >= 0 and tokens_completion >= 0 and native_tokens_cached <= tokens_prompt
          and native_tokens_reasoning <= tokens_completion and total_cost >= 0 and cast(created_at as date) = date
          and finish_reason in ('stop','length','tool_calls','content_filter','error')
          and model not in ('acme/mystery-model-7b', 'openai/gpt-6-preview', 'newlab/frontier-x:free')""").fetchone()[
        0
    ]
    assert clean == t["totals"]["requests"]
    bad_c = con.execute(
        f"select count(*) from read_parquet('{_glob(out, 'accounts')}') where billing_country in ('UK','XX','EU','ZZ','A1')"
    ).fetchone()[0]
    assert bad_c == f["invalid_country"]["count"] > 0
    pre = con.execute(f"""select count(*) from read_parquet('{_glob(out, "classifications")}', hive_partitioning=true)
                      where date < '2025-05-01'""").fetchone()[0]
    assert pre == f["category_before_start"]["count"] > 0
    low = con.execute(
        f"select count(*) from read_parquet('{_glob(out, 'classifications')}') where confidence < 0.5"
    ).fetchone()[0]
    assert low == f["low_confidence_label"]["count"] > 0
    corrupt = out / f["corrupt_file"]["files"][0]
    with pytest.raises(Exception):  # noqa: B017 - any Arrow read error
        pq.read_table(corrupt)
    text = out / f["text_column_file"]["files"][0]
    assert "prompt" in pq.read_schema(text).names and "prompt" in contract.FORBIDDEN_TEXT_COLUMNS
    assert t["failing_days"] == ["2025-04-30", "2025-05-01"]
    for v in f.values():
        assert "expected_reason" in v
        if v["expected_reason"]:
            assert (
                v["expected_reason"]
                in (
                    "missing_required_value invalid_type timestamp_in_future timestamp_outside_partition negative_tokens "
                    "cached_exceeds_prompt reasoning_exceeds_completion negative_cost invalid_finish_reason duplicate_id "
                    "invalid_country confidence_below_threshold category_before_2025_05_01 malformed_json_line"
                ).split()
            )


def test_cli(tmp_path):
    from dagster_project.simulate.__main__ import main

    assert (
        main(
            ["--out", str(tmp_path / "o"), "--scale", "0.02", "--start", "2025-01-01", "--end", "2025-01-02"]
        )
        == 0
    )
    assert (tmp_path / "o" / "truth.json").exists()
    assert main(["--out", str(tmp_path / "o"), "--start", "2023-01-01", "--end", "2023-01-02"]) == 2
