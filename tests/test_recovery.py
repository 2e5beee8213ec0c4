"""The marts recover what the simulator planted, figure by figure (truth.json beside the landing data).

One simulated default year at small scale runs through the real Definitions as a single range run.
Population quantities (volumes, shares, retention) must match exactly (truth rounds to 6 digits);
sample-based quantities (categories, languages) must match the sample estimate exactly and contain
the population value in their confidence interval most of the time.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from tests.pipeline import query, run_days, run_reference, simulate_days

pytestmark = pytest.mark.slow

START, END = "2024-11-03", "2025-11-30"
SCALE = 0.03
ABS = 2e-6  # truth.json rounds shares to 6 decimals


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    wh = tmp_path_factory.mktemp("recovery") / "warehouse"
    wh.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DIR", str(wh))
        mp.setenv("WAREHOUSE_DEMO", "1")
        truth = simulate_days(wh, START, END, scale=SCALE)
        instance = dg.DagsterInstance.ephemeral()
        run_reference(instance)
        result = run_days(instance, START, END, raise_on_error=False)
        failed = [e.message for e in result.all_events if e.is_step_failure]
        assert result.success, failed
        yield wh / "marts.duckdb", truth


def _weekly(db, sql):
    return {(r[0].isoformat(),) + tuple(r[1:-1]): r[-1] for r in query(db, sql)}


def _truth_weeks(truth):
    return {w["week_start"]: w for w in truth["weekly"]}


def test_token_volume_and_requests_are_exact(year):
    db, truth = year
    tokens, requests = query(db, "select sum(total_tokens), sum(requests) from marts.model_share_weekly")[0]
    assert tokens == truth["totals"]["total_tokens"]
    assert requests == truth["totals"]["requests"]


def test_open_vs_proprietary_and_china_weekly_shares(year):
    db, truth = year
    got = _weekly(db, "select week_start, segment, token_share from marts.open_closed_weekly")
    for week, w in _truth_weeks(truth).items():
        for segment, share in w["segment_token_shares"].items():
            assert got.get((week, segment), 0.0) == pytest.approx(share, abs=ABS), (week, segment)


def test_oss_author_totals(year):
    db, truth = year
    got = {
        r[0]: r[1:]
        for r in query(
            db, "select author, total_tokens, oss_token_share from marts.oss_author_totals where not is_other"
        )
    }
    planted = {a["author"]: a for a in truth["oss_authors"]}
    assert got, "no open-weight author survived suppression"
    for author, (tokens, share) in got.items():
        assert tokens == planted[author]["total_tokens"]
        assert share == pytest.approx(planted[author]["oss_token_share"], abs=ABS)
    top = sorted(got, key=lambda a: -got[a][0])[:3]
    assert top[0] == "DeepSeek" and "Qwen" in top


def test_oss_size_mix_weekly(year):
    db, truth = year
    got = _weekly(db, "select week_start, size_class, oss_token_share from marts.oss_size_weekly")
    for week, w in _truth_weeks(truth).items():
        for size, share in w["oss_size_shares"].items():
            assert got.get((week, size), 0.0) == pytest.approx(share, abs=ABS), (week, size)


def test_reasoning_share_weekly(year):
    db, truth = year
    rows = query(
        db,
        "select week_start, reasoning_model_token_share, reasoning_tokens_share_of_output from marts.reasoning_share_weekly",
    )
    weeks = _truth_weeks(truth)
    for week_start, model_share, output_share in rows:
        w = weeks[week_start.isoformat()]
        assert model_share == pytest.approx(w["reasoning_model_token_share"], abs=ABS)
        assert output_share == pytest.approx(w["reasoning_tokens_share_of_output"], abs=ABS)
    assert rows[-1][1] > 0.5  # the paper: reasoning models serve most tokens by late 2025


def test_tool_call_share_weekly_with_and_without_the_spike_account(year):
    db, truth = year
    weeks = _truth_weeks(truth)
    rows = query(
        db,
        "select week_start, tool_call_token_share, tool_call_request_share, tool_call_token_share_excl_top from marts.tool_call_share_weekly",
    )
    for week_start, token_share, request_share, excl_top in rows:
        w = weeks[week_start.isoformat()]
        assert token_share == pytest.approx(w["tool_call_token_share"], abs=ABS)
        assert request_share == pytest.approx(w["tool_call_request_share"], abs=ABS)
        if w["spike_account_share_of_tool_call_tokens"] > 0.5:  # the spike account is the week's top
            assert excl_top == pytest.approx(w["tool_call_token_share_excl_spike_account"], abs=ABS)


def test_request_shape_means_weekly(year):
    db, truth = year
    weeks = _truth_weeks(truth)
    rows = query(
        db,
        "select week_start, mean_input_tokens, mean_output_tokens, mean_sequence_tokens from marts.request_shape_weekly where category = 'all'",
    )
    assert rows
    for week_start, mean_in, mean_out, mean_seq in rows:
        w = weeks[week_start.isoformat()]
        assert mean_in == pytest.approx(w["mean_input_tokens"], abs=0.01)
        assert mean_out == pytest.approx(w["mean_output_tokens"], abs=0.01)
        assert mean_seq == pytest.approx(w["mean_sequence_tokens"], abs=0.01)


def test_continent_spend_shares_weekly(year):
    db, truth = year
    got = _weekly(db, "select week_start, continent, spend_share from marts.geography_continent_weekly")
    for week, w in _truth_weeks(truth).items():
        for continent, share in w["continent_spend_shares"].items():
            assert got.get((week, continent), 0.0) == pytest.approx(share, abs=ABS), (week, continent)


def test_country_spend_shares_for_published_countries(year):
    db, truth = year
    planted = truth["geography"]["country_spend_shares"]
    rows = query(db, "select country_code, spend_share from marts.geography_country where not is_other")
    assert {"US", "SG", "DE"} <= {r[0] for r in rows}
    for country, share in rows:
        assert share == pytest.approx(planted[country], abs=ABS), country


def test_category_shares_equal_the_sample_estimate_and_cover_the_population(year):
    db, truth = year
    rows = query(db, "select category, sum(estimated_tokens) from marts.category_share_weekly group by 1")
    total = sum(t for _, t in rows)
    estimate = truth["classification"]["sample_estimates"]["category_token_shares"]
    for category, tokens in rows:
        if category in estimate:
            assert tokens / total == pytest.approx(estimate[category], abs=1e-5), category
    # Weekly intervals contain the planted population share most of the time (95% nominal; the
    # small test sample makes the normal approximation rough, so ask for 80%).
    weeks = _truth_weeks(truth)
    cells = query(
        db,
        "select week_start, category, ci_low, ci_high from marts.category_share_weekly where not is_other and sample_requests >= 30",
    )
    inside = [
        lo - 1e-9 <= weeks[w.isoformat()]["category_token_shares"].get(c, 0.0) <= hi + 1e-9
        for w, c, lo, hi in cells
        if weeks.get(w.isoformat(), {}).get("category_token_shares")
    ]
    if inside:
        assert sum(inside) / len(inside) >= 0.8


def test_no_category_before_may_2025(year):
    db, _ = year
    first = query(db, "select min(week_start) from marts.category_share_weekly")[0][0]
    assert first >= dt.date(2025, 4, 28)


def test_cohort_retention_of_the_named_cohorts(year):
    db, truth = year
    rows = query(
        db,
        "select model_slug, cohort_month, months_since, cohort_accounts, retention from marts.cohort_retention where not is_other",
    )
    got = {(m, c.strftime("%Y-%m"), k): (n, r) for m, c, k, n, r in rows}
    checked = 0
    for model, cohorts in truth["cohort_retention"].items():
        for month, cohort in cohorts.items():
            if cohort["cohort_accounts"] < 10:
                continue
            for k, share in enumerate(cohort["retention"]):
                if share == 0:
                    continue  # the mart only has rows where an account was active
                n, r = got[(model, month, k)]
                assert n == cohort["cohort_accounts"]
                assert r == pytest.approx(share, abs=1e-4)
                checked += 1
    assert checked > 20


def test_effective_price_per_model(year):
    db, truth = year
    planted = {m["model_slug"]: m["effective_price_usd_per_mtok"] for m in truth["models"]}
    rows = query(db, "select entity, effective_price_usd_per_mtok from marts.price_usage where level = 'model'")
    assert len(rows) >= 10
    for model, price in rows:
        assert price == pytest.approx(planted[model], rel=1e-6), model
