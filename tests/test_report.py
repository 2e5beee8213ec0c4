"""The HTML report: rendered from a small fixture `marts.duckdb` that has the documented mart columns.

`build_fixture_marts` is also used by tests/test_report_browser.py. The fixture is synthetic and
only roughly shaped like the paper (volume growth, OSS share, programming share); the tests check
the report's structure and behaviour, not the numbers.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from dagster_project.defs.report import render
from dagster_project.defs.report.render import build_report, render_report
from dagster_project.lib.marts import PUBLIC_MARTS

# The study window in Monday weeks: 2024-11-03 (a Sunday) falls in the week of 2024-10-28.
WEEKS = [date(2024, 10, 28) + timedelta(weeks=i) for i in range(57)]
CATEGORY_START = date(2025, 4, 28)  # week of 2025-05-01
CATEGORIES = [
    "programming",
    "roleplay",
    "technology",
    "science",
    "translation",
    "health",
    "finance",
    "legal",
    "academia",
    "marketing",
    "marketing/seo",
    "trivia",
]
# slug, author, open weights, segment, size class, reasoning model, price $/Mtok, release week index
MODELS = [
    ("anthropic/claude-sonnet-4", "Anthropic", False, "proprietary", None, True, 1.94, 29),
    ("anthropic/claude-3.7-sonnet", "Anthropic", False, "proprietary", None, True, 1.96, 16),
    ("google/gemini-2.5-pro", "Google", False, "proprietary", None, True, 1.20, 21),
    ("google/gemini-2.5-flash", "Google", False, "proprietary", None, True, 0.35, 24),
    ("google/gemini-2.0-flash-001", "Google", False, "proprietary", None, False, 0.15, 6),
    ("openai/gpt-4o-mini", "OpenAI", False, "proprietary", None, False, 0.25, 0),
    ("openai/gpt-5", "OpenAI", False, "proprietary", None, True, 3.10, 40),
    ("x-ai/grok-code-fast-1", "xAI", False, "proprietary", None, True, 0.40, 43),
    ("deepseek/deepseek-chat", "DeepSeek", True, "open_china", "large", False, 0.40, 8),
    ("deepseek/deepseek-r1", "DeepSeek", True, "open_china", "large", True, 0.90, 12),
    ("deepseek/deepseek-chat-v3-0324", "DeepSeek", True, "open_china", "large", False, 0.39, 21),
    ("qwen/qwen3-coder", "Qwen", True, "open_china", "large", False, 0.50, 38),
    ("qwen/qwen-2-7b-instruct", "Qwen", True, "open_china", "small", False, 0.05, 0),
    ("minimax/minimax-m2", "MiniMax", True, "open_china", "large", True, 0.60, 52),
    ("meta-llama/llama-4-maverick", "Meta", True, "open_rest_of_world", "large", False, 0.30, 23),
    (
        "mistralai/mistral-small-24b-instruct-2501",
        "Mistral AI",
        True,
        "open_rest_of_world",
        "medium",
        False,
        0.10,
        13,
    ),
    ("openai/gpt-oss-120b", "OpenAI", True, "open_rest_of_world", "large", True, 0.20, 40),
    ("ibm/granite-4.0-micro", "IBM", True, "open_rest_of_world", "small", False, 0.04, 48),
    ("openai/gpt-4", "OpenAI", False, "proprietary", None, False, 34.0, 0),
    ("openai/gpt-5-pro", "OpenAI", False, "proprietary", None, True, 35.0, 48),
    ("z-ai/glm-4.5", "Z.AI", True, "open_china", "large", True, 0.45, 38),
    ("tngtech/deepseek-r1t2-chimera", "TNG Tech", True, "open_rest_of_world", "large", True, 0.30, 36),
    ("moonshotai/kimi-k2", "MoonshotAI", True, "open_china", "large", False, 0.55, 36),
    ("google/gemma-3-27b-it", "Google", True, "open_rest_of_world", "medium", False, 0.10, 19),
]

ALL_MARTS = PUBLIC_MARTS


def _model_weekly(rng: np.random.Generator) -> pd.DataFrame:
    """Week x model tokens: total volume 0.5T -> 7T per week, OSS share rising."""
    rows = []
    n = len(WEEKS)
    for w, week in enumerate(WEEKS):
        volume = 0.5e12 * (14 ** (w / (n - 1)))
        if w == 0:
            volume /= 7  # the first week holds one day of the window
        weights = []
        for *_, segment, _, _, _, release in MODELS:
            age = w - release
            if age < 0:
                weights.append(0.0)
                continue
            base = 3.0 if segment == "proprietary" else (1.0 + w / 30)
            weights.append(base * min(1.0, (age + 1) / 4) * rng.uniform(0.8, 1.2))
        weights = np.array(weights) / sum(weights) * 0.97  # 3% suppressed into `other`
        for (slug, author, *_), share in zip(MODELS, weights, strict=True):
            if share == 0:
                continue
            tokens = volume * share
            rows.append((week, slug, author, tokens, share, int(200 + 5000 * share), False))
        rows.append((week, "other", "other", volume * 0.03, 0.03, 7, True))
    df = pd.DataFrame(
        rows,
        columns=["week_start", "model_slug", "author", "total_tokens", "token_share", "accounts", "is_other"],
    )
    df["total_tokens"] = df["total_tokens"].round().astype("int64")
    df["input_tokens"] = (df["total_tokens"] * 0.9).round().astype("int64")
    df["output_tokens"] = df["total_tokens"] - df["input_tokens"]
    df["requests"] = (df["total_tokens"] // 5000).astype("int64")
    return df


def build_fixture_marts(
    path: Path,
    *,
    empty: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
    schema: str = "marts",
    extras: bool = False,
) -> Path:
    """Write a small marts.duckdb with every documented mart (columns as in docs/architecture.md).

    `empty` marts are created with their columns but no rows; `drop` marts are left out entirely.
    `extras` adds what the dbt project publishes beyond the documented columns (`is_other` on
    category_by_segment, subcategory_share, language_share and cohort_retention, and the publish
    step's `_published` stamp), so the report is tested against both.
    """
    rng = np.random.default_rng(7)
    attrs = pd.DataFrame(
        MODELS,
        columns=[
            "model_slug",
            "author",
            "is_open_weights",
            "segment",
            "size_class",
            "is_reasoning_model",
            "price",
            "release",
        ],
    )
    msw = _model_weekly(rng)
    mw = msw.merge(attrs, on=["model_slug", "author"], how="left")
    mw["segment"] = mw["segment"].fillna("proprietary")
    marts: dict[str, pd.DataFrame] = {}

    marts["model_share_weekly"] = msw[
        [
            "week_start",
            "model_slug",
            "author",
            "requests",
            "input_tokens",
            "output_tokens",
            "total_tokens",
            "token_share",
            "accounts",
            "is_other",
        ]
    ]
    asw = msw.groupby(["week_start", "author", "is_other"], as_index=False).agg(
        requests=("requests", "sum"),
        total_tokens=("total_tokens", "sum"),
        token_share=("token_share", "sum"),
        accounts=("accounts", "sum"),
    )
    marts["author_share_weekly"] = asw[
        ["week_start", "author", "requests", "total_tokens", "token_share", "accounts", "is_other"]
    ]
    ocw = mw.groupby(["week_start", "segment"], as_index=False)["total_tokens"].sum()
    ocw["token_share"] = ocw["total_tokens"] / ocw.groupby("week_start")["total_tokens"].transform("sum")
    marts["open_closed_weekly"] = ocw

    oss = mw[mw["is_open_weights"] == True]  # noqa: E712 (object column with NaN)
    oat = oss.groupby("author", as_index=False)["total_tokens"].sum()
    oat["total_tokens_trillions"] = oat["total_tokens"] / 1e12
    oat["oss_token_share"] = oat["total_tokens"] / oat["total_tokens"].sum()
    oat = oat.sort_values("total_tokens", ascending=False)
    oat["rank"] = range(1, len(oat) + 1)
    oat["accounts"] = 500
    oat["is_other"] = False
    marts["oss_author_totals"] = oat

    osw = oss.groupby(["week_start", "size_class"], as_index=False)["total_tokens"].sum()
    osw["oss_token_share"] = osw["total_tokens"] / osw.groupby("week_start")["total_tokens"].transform("sum")
    marts["oss_size_weekly"] = osw

    conc = []
    for week, grp in msw[~msw["is_other"]].groupby("week_start"):
        shares = np.sort(grp["token_share"].to_numpy())[::-1]
        for dim, scale in (("model", 1.0), ("author", 1.6), ("provider", 1.3)):
            conc.append(
                (
                    week,
                    dim,
                    len(shares),
                    float((shares**2).sum() * scale),
                    float(shares[0] * scale),
                    float(min(1.0, shares[:10].sum())),
                )
            )
        conc.append((week, "account", 4000, 0.004, None, 0.21))
    marts["concentration_weekly"] = pd.DataFrame(
        conc, columns=["week_start", "dimension", "entities", "hhi", "top1_share", "top10_share"]
    )

    rsw = mw.assign(rt=np.where(mw["is_reasoning_model"] == True, mw["total_tokens"], 0))  # noqa: E712
    rsw = rsw.groupby("week_start", as_index=False).agg(
        total_tokens=("total_tokens", "sum"),
        reasoning_model_tokens=("rt", "sum"),
        output_tokens=("output_tokens", "sum"),
    )
    rsw["reasoning_model_token_share"] = rsw["reasoning_model_tokens"] / rsw["total_tokens"]
    rsw["reasoning_output_tokens"] = (rsw["output_tokens"] * rsw["reasoning_model_token_share"] * 0.4).round()
    rsw["reasoning_tokens_share_of_output"] = rsw["reasoning_output_tokens"] / rsw["output_tokens"]
    marts["reasoning_share_weekly"] = rsw

    n = len(WEEKS)
    tcs = pd.DataFrame({"week_start": WEEKS})
    tcs["total_tokens"] = rsw["total_tokens"].to_numpy()
    tcs["tool_call_token_share_excl_top"] = np.linspace(0.05, 0.15, n)
    spike = np.array([0.08 if date(2025, 5, 5) <= w <= date(2025, 5, 19) else 0.0 for w in WEEKS])
    tcs["tool_call_token_share"] = tcs["tool_call_token_share_excl_top"] + spike
    tcs["tool_call_tokens"] = (tcs["total_tokens"] * tcs["tool_call_token_share"]).round()
    tcs["requests"] = (tcs["total_tokens"] // 5000).astype("int64")
    tcs["tool_call_request_share"] = np.linspace(0.02, 0.12, n)
    tcs["tool_call_requests"] = (tcs["requests"] * tcs["tool_call_request_share"]).round()
    tcs["excluded_top_accounts"] = 1
    marts["tool_call_share_weekly"] = tcs

    shape = []
    for w, week in enumerate(WEEKS):
        cats = ["all"] + (CATEGORIES if week >= CATEGORY_START else [])
        for cat in cats:
            factor = {"all": 1.0, "programming": 3.5, "roleplay": 0.8}.get(cat, 0.9)
            mean_in = (3000 + 3500 * w / (n - 1)) * factor
            mean_out = 250 + 200 * w / (n - 1)
            row = {"week_start": week, "category": cat, "requests": 10_000_000 if cat == "all" else 2500}
            for measure, mean in (("input", mean_in), ("output", mean_out), ("sequence", mean_in + mean_out)):
                row[f"mean_{measure}_tokens"] = mean
                row[f"p50_{measure}_tokens"] = mean * 0.5
                row[f"p90_{measure}_tokens"] = mean * 2.5
                row[f"p99_{measure}_tokens"] = mean * 8
            shape.append(row)
    marts["request_shape_weekly"] = pd.DataFrame(shape)

    cat_weeks = [w for w in WEEKS if w >= CATEGORY_START]
    base = np.array([0.3, 0.2, 0.12, 0.08, 0.06, 0.04, 0.04, 0.02, 0.04, 0.04, 0.01, 0.05])
    csw, cbs = [], []
    for i, week in enumerate(cat_weeks):
        share = base.copy()
        share[0] += 0.25 * i / len(cat_weeks)
        share = share / share.sum()
        for cat, s in zip(CATEGORIES, share, strict=True):
            half = 1.96 * np.sqrt(s * (1 - s) / 2500)
            csw.append((week, cat, 2500, int(2500 * s), s * 6e12, s, max(0, s - half), s + half, 120, False))
            for segment_type, segments in (
                (
                    "author",
                    ["Anthropic", "Google", "OpenAI", "DeepSeek", "Qwen", "xAI", "Meta", "Mistral AI"],
                ),
                ("openness", ["open_weights", "proprietary"]),
                ("origin", ["proprietary", "open_china", "open_rest_of_world"]),
            ):
                weights = rng.dirichlet(np.ones(len(segments)) * 3)
                for seg, wgt in zip(segments, weights, strict=True):
                    cbs.append(
                        (
                            week,
                            segment_type,
                            seg,
                            cat,
                            int(2500 * s * wgt),
                            s * 6e12 * wgt,
                            0.0,
                            float(wgt),
                            50,
                        )
                    )
    marts["category_share_weekly"] = pd.DataFrame(
        csw,
        columns=[
            "week_start",
            "category",
            "sample_requests",
            "category_requests",
            "estimated_tokens",
            "token_share",
            "ci_low",
            "ci_high",
            "accounts",
            "is_other",
        ],
    )
    def segment_columns(grain: str) -> list[str]:
        return [
            f"{grain}_start",
            "segment_type",
            "segment",
            "category",
            "sample_requests",
            "estimated_tokens",
            "share_of_segment",
            "share_of_category",
            "accounts",
        ]

    cbs = pd.DataFrame(cbs, columns=segment_columns("week"))
    cbs["share_of_segment"] = cbs["estimated_tokens"] / cbs.groupby(
        ["week_start", "segment_type", "segment"]
    )["estimated_tokens"].transform("sum")
    marts["category_by_segment"] = cbs
    # the month grain of the same cells (the fixture has no accounts to suppress, so a month is
    # the sum of its weeks here; in the warehouse it is suppressed at month grain)
    cbm = cbs.assign(month_start=[date(w.year, w.month, 1) for w in cbs["week_start"]])
    cbm = cbm.groupby(["month_start", "segment_type", "segment", "category"], as_index=False).agg(
        sample_requests=("sample_requests", "sum"),
        estimated_tokens=("estimated_tokens", "sum"),
        accounts=("accounts", "max"),
    )
    cbm["share_of_segment"] = cbm["estimated_tokens"] / cbm.groupby(
        ["month_start", "segment_type", "segment"]
    )["estimated_tokens"].transform("sum")
    cbm["share_of_category"] = cbm["estimated_tokens"] / cbm.groupby(
        ["month_start", "segment_type", "category"]
    )["estimated_tokens"].transform("sum")
    marts["category_by_segment_monthly"] = cbm[segment_columns("month")]

    subs = {
        "roleplay": [
            ("Games/Roleplaying Games", 0.59),
            ("Arts & Entertainment/Writers Resources", 0.156),
            ("Adult", 0.154),
            ("Other", 0.1),
        ],
        "programming": [
            ("Programming/Other", 0.675),
            ("Development Tools", 0.264),
            ("Java", 0.03),
            ("C++", 0.031),
        ],
        "science": [("Machine Learning & AI", 0.804), ("Mathematics", 0.196)],
        "translation": [("Foreign Language Resources", 0.511), ("Other", 0.489)],
    }
    sub_rows = []
    for cat, items in subs.items():
        for sub, s in items:
            half = 1.96 * np.sqrt(s * (1 - s) / 4000)
            sub_rows.append((cat, sub, int(4000 * s), s * 1e12, s, s - half, s + half))
    marts["subcategory_share"] = pd.DataFrame(
        sub_rows,
        columns=[
            "category",
            "subcategory",
            "sample_labels",
            "estimated_tokens",
            "share_of_category",
            "ci_low",
            "ci_high",
        ],
    )

    langs = [
        ("en", 0.8287),
        ("zh-Hans", 0.0495),
        ("ru", 0.0247),
        ("es", 0.0143),
        ("th", 0.0103),
        ("de", 0.02),
        ("fr", 0.02),
        ("ja", 0.015),
        ("ko", 0.01),
        ("pt", 0.0075),
    ]
    marts["language_share"] = pd.DataFrame(
        [(code, int(60000 * s), s * 1e13, s, max(0.0, s - 0.003), s + 0.003) for code, s in langs],
        columns=["language", "sample_requests", "estimated_tokens", "token_share", "ci_low", "ci_high"],
    )

    continents = ["North America", "Asia", "Europe", "South America", "Oceania", "Africa"]
    geo = []
    for w, week in enumerate(WEEKS):
        asia = 0.13 + 0.18 * w / (n - 1)
        shares = [0.62 - asia + 0.13, asia, 0.21, 0.012, 0.012, 0.005]
        shares = np.array(shares) / sum(shares)
        for cont, s in zip(continents, shares, strict=True):
            geo.append((week, cont, s * 1e6, s, s * 1e12, s))
    marts["geography_continent_weekly"] = pd.DataFrame(
        geo, columns=["week_start", "continent", "spend_usd", "spend_share", "total_tokens", "token_share"]
    )
    countries = [
        ("US", "United States", "North America", 0.4717),
        ("SG", "Singapore", "Asia", 0.0921),
        ("DE", "Germany", "Europe", 0.0751),
        ("CN", "China", "Asia", 0.0601),
        ("KR", "South Korea", "Asia", 0.0288),
        ("NL", "Netherlands", "Europe", 0.0265),
        ("GB", "United Kingdom", "Europe", 0.0252),
        ("CA", "Canada", "North America", 0.019),
        ("JP", "Japan", "Asia", 0.0177),
        ("IN", "India", "Asia", 0.0162),
        ("other", "Other", None, 0.1676),
    ]
    marts["geography_country"] = pd.DataFrame(
        [
            (c, nme, cont, s * 2e7, s * 1.02 if c != "other" else s, s * 1e14, s, 300, c == "other")
            for c, nme, cont, s in countries
        ],
        columns=[
            "country_code",
            "country_name",
            "continent",
            "spend_usd",
            "spend_share",
            "total_tokens",
            "token_share",
            "accounts",
            "is_other",
        ],
    )

    months = pd.date_range("2024-11-01", "2025-11-01", freq="MS").date
    ret = []
    for slug in (
        "anthropic/claude-sonnet-4",
        "google/gemini-2.5-pro",
        "openai/gpt-4o-mini",
        "deepseek/deepseek-r1",
    ):
        for c, cohort in enumerate(months):
            size = int(rng.integers(200, 2000))
            for k in range(len(months) - c):
                r = 1.0 if k == 0 else 0.15 + 0.5 * np.exp(-k / 1.5) * rng.uniform(0.7, 1.1)
                ret.append((slug, cohort, k, size, int(size * r), int(size * r) / size))
    marts["cohort_retention"] = pd.DataFrame(
        ret,
        columns=[
            "model_slug",
            "cohort_month",
            "months_since",
            "cohort_accounts",
            "active_accounts",
            "retention",
        ],
    )

    pu = []
    totals = mw.groupby("model_slug")["total_tokens"].sum()
    model_median = float(np.median(attrs["price"]))
    for slug, author, is_open, *_, price, _ in MODELS:
        tokens = float(totals.get(slug, 0))
        pu.append(
            (
                "model",
                slug,
                author,
                is_open,
                tokens,
                tokens / 1e6 * price,
                price,
                np.log10(max(tokens, 1)),
                model_median,
                None,
                400,
            )
        )
    cat_prices = [1.0, 0.5, 3.0, 0.9, 0.3, 1.5, 2.0, 0.4, 1.2, 1.4, 0.8, 0.2]
    cat_tokens = [3e13, 2.5e13, 1e13, 8e12, 3e12, 1e12, 1.2e12, 5e11, 9e11, 8e11, 2e11, 6e11]
    for cat, price, tokens in zip(CATEGORIES, cat_prices, cat_tokens, strict=True):
        pu.append(
            (
                "category",
                cat,
                None,
                None,
                tokens,
                tokens / 1e6 * price,
                price,
                np.log10(tokens),
                0.73,
                None,
                1000,
            )
        )
    pu = pd.DataFrame(
        pu,
        columns=[
            "level",
            "entity",
            "author",
            "is_open_weights",
            "total_tokens",
            "cost_usd",
            "effective_price_usd_per_mtok",
            "log10_total_tokens",
            "median_price_usd_per_mtok",
            "quadrant",
            "accounts",
        ],
    )
    for _, grp in pu.groupby("level"):
        hi_price = grp["effective_price_usd_per_mtok"] > grp["median_price_usd_per_mtok"]
        hi_use = grp["total_tokens"] > grp["total_tokens"].median()
        quadrant = np.select(
            [hi_price & hi_use, ~hi_price & hi_use, hi_price & ~hi_use],
            ["premium", "mass_market", "specialist"],
            "niche",
        )
        pu.loc[grp.index, "quadrant"] = quadrant
    marts["price_usage"] = pu
    marts["price_elasticity"] = pd.DataFrame(
        [("all", 18, -0.06, 11.2, 0.01)]
        + [(c, 9, float(rng.uniform(-0.3, 0.2)), 10.0, 0.05) for c in CATEGORIES[:6]],
        columns=["category", "models", "elasticity", "intercept", "r_squared"],
    )

    pub = []
    for d in range(30):
        day = date(2026, 5, 24) + timedelta(days=d)
        weights = rng.dirichlet(np.ones(20) * 2) * 0.93
        for r, wgt in enumerate(sorted(weights, reverse=True), start=1):
            pub.append(
                (
                    day,
                    f"vendor{r % 7}/model-{r}-2026",
                    f"vendor{r % 7}/model-{r}",
                    f"vendor{r % 7}",
                    int(wgt * 7.5e12),
                    float(wgt),
                    r,
                    False,
                )
            )
        pub.append((day, "other", "other", None, int(0.07 * 7.5e12), 0.07, None, True))
    marts["public_model_share_daily"] = pd.DataFrame(
        pub,
        columns=[
            "ranking_date",
            "model_permaslug",
            "model_slug",
            "author",
            "total_tokens",
            "token_share",
            "rank_in_day",
            "is_other",
        ],
    )

    if extras:
        for name in (
            "category_by_segment",
            "category_by_segment_monthly",
            "subcategory_share",
            "language_share",
            "cohort_retention",
        ):
            marts[name] = marts[name].assign(is_other=False)
        marts["language_share"].loc[len(marts["language_share"])] = [
            "other",
            40,
            1e10,
            0.001,
            None,
            None,
            True,
        ]
        marts["cohort_retention"].loc[len(marts["cohort_retention"])] = [
            "other",
            date(2025, 1, 1),
            0,
            12,
            12,
            1.0,
            True,
        ]
        marts["_published"] = pd.DataFrame(
            {"published_at": [pd.Timestamp("2025-12-01 02:00")], "note": ["fixture run"]}
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        catalog = con.execute("select current_database()").fetchall()[0][0]
        if schema != "main":
            con.execute(f'create schema "{catalog}"."{schema}"')
        # the file is named marts.duckdb, so `marts` is both the catalog and the schema: qualify fully
        con.execute(f'use "{catalog}"."{schema}"')
        for name, df in marts.items():
            if name in drop:
                continue
            con.register("frame", df)
            if name in empty:
                con.execute(f"create table {name} as select * from frame limit 0")
            else:
                con.execute(f"create table {name} as select * from frame")
            con.unregister("frame")
        # the published file keeps dates as DATE columns
        for name in ALL_MARTS:
            if name in drop:
                continue
            cols = con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                [schema, name],
            ).fetchall()
            for (col,) in cols:
                if col in ("week_start", "month_start", "cohort_month", "ranking_date"):
                    con.execute(f"alter table {name} alter {col} type date")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def fixture_marts(tmp_path_factory) -> Path:
    return build_fixture_marts(tmp_path_factory.mktemp("marts") / "marts.duckdb")


@pytest.fixture(scope="module")
def rendered(fixture_marts, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("report")
    result = build_report(fixture_marts, out_dir)
    return result, result.path.read_text(encoding="utf-8")


def test_every_section_renders_its_charts(rendered):
    result, html = rendered
    assert not result.errored_sections, result.errored_sections
    assert not result.empty_sections
    section_ids = re.findall(r'<section class="report-section" id="([a-z_]+)"', html)
    assert section_ids == [s.key for s in result.sections]
    for required in (
        "volume",
        "open_closed",
        "oss",
        "agentic",
        "request_shape",
        "categories",
        "category_segments",
        "language",
        "geography",
        "retention",
        "price",
        "concentration",
        "public_rankings",
    ):
        assert required in section_ids
    # one inline SVG per chart slot, none failed
    assert html.count('<figure class="chart" data-status="ok"') == html.count("<svg") == result.chart_count
    assert 'data-status="error"' not in html
    assert result.chart_count >= 25


def test_works_offline(rendered):
    _, html = rendered
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), (
        "page must not load remote resources"
    )
    assert "<script" not in html


def test_page_shows_exactly_the_sql_that_ran(rendered):
    _, html = rendered
    import html as html_lib

    for name, sql in render.load_queries().items():
        if name.startswith("_"):
            continue
        assert html_lib.escape(sql.strip()) in html, name
    headlines = yaml.safe_load(render.HEADLINES_PATH.read_text())["headlines"]
    for h in headlines:
        assert html_lib.escape(h["sql"].strip()) in html, h["id"]


def test_summary_table_compares_every_headline(rendered):
    result, html = rendered
    headlines = yaml.safe_load(render.HEADLINES_PATH.read_text())["headlines"]
    assert len(result.headlines) == len(headlines)
    summary = html.split('id="summary"', 1)[1].split("</table>", 1)[0]
    assert summary.count("<tr") == len(headlines) + 1  # header row
    statuses = {h.status for h in result.headlines}
    assert statuses <= {"within", "outside", "no data"}
    # the fixture carries every mart, so nearly every headline gets a value
    no_data = [h.id for h in result.headlines if h.status == "no data"]
    assert len(no_data) <= 3, no_data


def test_generation_note_names_file_and_window(rendered, fixture_marts):
    _, html = rendered
    assert str(fixture_marts) in html
    assert "2024-10-28" in html and "2025-11-24" in html


def test_data_notes_show_sample_and_suppression(rendered):
    _, html = rendered
    categories = html.split('id="categories"', 1)[1].split("</section>", 1)[0]
    assert "classified sample" in categories
    assert "interval" in categories
    volume = html.split('id="volume"', 1)[1].split("</section>", 1)[0]
    assert "suppressed" in volume


def test_headline_yaml_is_well_formed():
    doc = yaml.safe_load(render.HEADLINES_PATH.read_text())
    ids = [h["id"] for h in doc["headlines"]]
    assert len(ids) == len(set(ids))
    section_keys = {s.key for s in render.SECTIONS}
    for h in doc["headlines"]:
        assert h["section"] in section_keys, h["id"]
        assert h["compare"] in {"approx", "at_least", "at_most", "range"}, h["id"]
        assert h["mart"] in ALL_MARTS, h["id"]
        assert re.search(rf"\b{h['mart']}\b", h["sql"]), h["id"]
        paper = h["paper"]
        assert {"text", "unit", "source", "confidence"} <= paper.keys(), h["id"]
        if h["compare"] == "range":
            assert paper["low"] <= paper["high"], h["id"]
        else:
            assert isinstance(paper["value"], int | float), h["id"]
        assert h["tolerance"] >= 0, h["id"]


def test_empty_and_missing_marts_say_so(tmp_path):
    # also: marts flattened into schema `main` (not `marts`) are found
    db = build_fixture_marts(
        tmp_path / "marts.duckdb",
        empty=("cohort_retention", "language_share", "price_usage"),
        drop=("public_model_share_daily",),
        schema="main",
    )
    result = build_report(db, tmp_path / "out")
    html = result.path.read_text(encoding="utf-8")
    assert not result.errored_sections
    assert set(result.empty_sections) == {"retention", "language", "public_rankings"}
    retention = html.split('id="retention"', 1)[1].split("</section>", 1)[0]
    assert "cohort_retention" in retention and "is empty" in retention
    public = html.split('id="public_rankings"', 1)[1].split("</section>", 1)[0]
    assert "not in" in public  # mart absent from the file
    # headlines that read those marts are reported as "no data", not as failures
    by_id = {h.id: h for h in result.headlines}
    assert by_id["retention_claude_sonnet_4_may25_m5"].status == "no data"
    # a query joining a second, empty mart is "no data" too, not a failure
    assert by_id["oss_deepseek_v3_r1_share_early2025"].status == "no data"
    assert "price_usage is empty" in by_id["oss_deepseek_v3_r1_share_early2025"].reason
    assert not result.headline_errors
    # a section keeps its other charts when one of its marts is empty
    oss = html.split('id="oss"', 1)[1].split("</section>", 1)[0]
    assert oss.count('<figure class="chart" data-status="ok"') == 2
    assert "No data: mart price_usage is empty." in oss


def test_published_marts_with_extra_columns(tmp_path):
    """What lib/publish.py writes: schema marts, a `_published` stamp, `is_other` on more marts."""
    db = build_fixture_marts(tmp_path / "marts.duckdb", extras=True)
    result = build_report(db, tmp_path / "out")
    html = result.path.read_text(encoding="utf-8")
    assert not result.errored_sections and not result.empty_sections and not result.headline_errors
    assert "published 2025-12-01 02:00 UTC, fixture run" in html
    retention = html.split('id="retention"', 1)[1].split("</section>", 1)[0]
    assert "other: activity retention" not in retention  # pooled small cohorts are not a model
    assert "cohort_retention (months_since = 0): 1 of" in retention


def test_render_report_reads_only_and_writes_index_html(fixture_marts, tmp_path):
    # an analyst's open read-only session must not block the report, and the report must not write the marts
    holder = duckdb.connect(str(fixture_marts), read_only=True)
    try:
        before = fixture_marts.stat().st_mtime_ns
        path = render_report(fixture_marts, tmp_path / "report")
        assert fixture_marts.stat().st_mtime_ns == before
    finally:
        holder.close()
    assert path == tmp_path / "report" / "index.html"
    assert path.stat().st_size > 50_000
    # atomic write: no temporary file left behind
    assert [p.name for p in path.parent.iterdir()] == ["index.html"]


def test_missing_marts_file_fails_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="marts.duckdb"):
        render_report(tmp_path / "nope" / "marts.duckdb", tmp_path / "out")


def test_report_asset_materializes(fixture_marts, tmp_path, monkeypatch):
    import dagster as dg

    from dagster_project.defs.report import report_assets, report_html

    assert report_assets == [report_html]
    assert report_html.key == dg.AssetKey(["report", "html"])
    assert dg.AssetKey(["published", "marts"]) in report_html.dependency_keys
    assert report_html.group_names_by_key[report_html.key] == "published"
    assert "html" in report_html.specs_by_key[report_html.key].kinds
    assert report_html.op.description

    warehouse = tmp_path / "warehouse"  # tests/conftest.py may already point WAREHOUSE_DIR here
    warehouse.mkdir(exist_ok=True)
    (warehouse / "marts.duckdb").write_bytes(fixture_marts.read_bytes())
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    result = dg.materialize([report_html])
    assert result.success
    mats = result.asset_materializations_for_node(report_html.op.name)
    meta = mats[0].metadata
    assert meta["path"].value == str(warehouse / "report" / "index.html")
    assert (warehouse / "report" / "index.html").exists()
    assert meta["sections"].value >= 13
    assert meta["empty_sections"].value == []
