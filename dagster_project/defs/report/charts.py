"""Altair chart builders, one per figure. Each takes the query's DataFrame and returns a chart.

Presentation only: every number comes from the query result; labels and colours live here.
Charts are rendered to static SVG by vl-convert (see render.py), so no JavaScript runs in the page.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

WIDTH = 660
HEIGHT = 260

SEGMENT_LABELS = {
    "proprietary": "Proprietary",
    "open_china": "Chinese open weights",
    "open_rest_of_world": "Rest-of-world open weights",
}
# the paper's F1 palette: proprietary dark, open weights in lighter tones
SEGMENT_COLORS = ["#1f3a68", "#f28e2b", "#4fa3a5"]
SIZE_ORDER = ["small", "medium", "large"]
SIZE_COLORS = ["#59a14f", "#e15759", "#4e79a7"]
OTHER_COLOR = "#bab0ac"


def _time_x(field: str = "week_start", title: str | None = None, daily: bool = False) -> alt.X:
    # utc scale: dates are UTC days and must not shift with the renderer's time zone. Weekly series
    # span about a year: one tick a month, "Jan 2025" at each new year, else "Feb"; daily series
    # span weeks: "24 May".
    if daily:
        axis = alt.Axis(title=title, labelAngle=0, format="%d %b", labelOverlap=True)
    else:
        axis = alt.Axis(
            title=title,
            labelAngle=0,
            labelOverlap=True,
            tickCount=alt.TimeIntervalStep(interval="month", step=1),
            labelExpr="utcmonth(datum.value) == 0 ? utcFormat(datum.value, '%b %Y') : utcFormat(datum.value, '%b')",
        )
    return alt.X(f"{field}:T", scale=alt.Scale(type="utc"), axis=axis)


def _share_y(field: str, title: str, stack: bool | str | None = None) -> alt.Y:
    return alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format="%"), stack=stack)


def _ordered_with_other(values: pd.Series, other: str = "other") -> list[str]:
    """Legend order: by first appearance of size, with the catch-all bucket last."""
    seen = [v for v in dict.fromkeys(values.dropna().astype(str)) if v != other]
    return seen + ([other] if (values == other).any() else [])


def _color_with_other(
    field: str, order: list[str], other: str = "other", title: str | None = None, scheme: str = "tableau20"
) -> alt.Color:
    palette = [
        "#4e79a7",
        "#f28e2b",
        "#e15759",
        "#76b7b2",
        "#59a14f",
        "#edc948",
        "#b07aa1",
        "#ff9da7",
        "#9c755f",
        "#499894",
        "#86bcb6",
        "#d37295",
        "#fabfd2",
        "#8cd17d",
        "#b6992d",
        "#f1ce63",
        "#a0cbe8",
        "#ffbe7d",
        "#d4a6c8",
        "#79706e",
    ]
    colors = []
    i = 0
    for value in order:
        if value == other:
            colors.append(OTHER_COLOR)
        else:
            colors.append(palette[i % len(palette)])
            i += 1
    return alt.Color(
        f"{field}:N",
        title=title,
        scale=alt.Scale(domain=order, range=colors),
        legend=alt.Legend(labelLimit=260),
    )


def _segment_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    df = df.assign(segment_label=df["segment"].map(SEGMENT_LABELS).fillna(df["segment"]))
    known = [SEGMENT_LABELS[s] for s in SEGMENT_LABELS if SEGMENT_LABELS[s] in set(df["segment_label"])]
    extra = sorted(set(df["segment_label"]) - set(known))
    domain = known + extra
    colors = [SEGMENT_COLORS[list(SEGMENT_LABELS.values()).index(s)] for s in known]
    colors += ["#9c755f", "#b07aa1", "#76b7b2"][: len(extra)]
    return df, domain, colors


# --- token volume and model share -------------------------------------------------------------------


def volume_by_segment(df: pd.DataFrame) -> alt.Chart:
    df, domain, colors = _segment_frame(df)
    return (
        alt.Chart(df, title="Weekly tokens (trillions) by model segment")
        .mark_bar()
        .encode(
            x=_time_x(),
            y=alt.Y("sum(total_tokens_trillions):Q", title="tokens per week (T)"),
            color=alt.Color(
                "segment_label:N",
                title=None,
                scale=alt.Scale(domain=domain, range=colors),
                legend=alt.Legend(labelLimit=300),
            ),
            order=alt.Order("segment_label:N"),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


def model_share(df: pd.DataFrame) -> alt.Chart:
    order = _ordered_with_other(df.sort_values("total_tokens", ascending=False)["model"])
    return (
        alt.Chart(df, title="Weekly token share, 10 largest models")
        .mark_area()
        .encode(
            x=_time_x(),
            y=_share_y("token_share", "share of tokens", stack="normalize"),
            color=_color_with_other("model", order, title=None),
            order=alt.Order("sort_key:Q"),
        )
        .transform_calculate(sort_key=f"indexof({json.dumps(order)}, datum.model)")
        .properties(width=WIDTH, height=HEIGHT)
    )


# --- open vs proprietary ----------------------------------------------------------------------------


def open_closed_share(df: pd.DataFrame) -> alt.Chart:
    df, domain, colors = _segment_frame(df)
    # Chinese open weights at the bottom, as in the paper's F1
    stack_order = {label: i for i, label in enumerate(reversed(domain))}
    df = df.assign(stack_order=df["segment_label"].map(stack_order))
    area = (
        alt.Chart(df)
        .mark_area()
        .encode(
            x=_time_x(),
            y=_share_y("token_share", "share of weekly tokens", stack="normalize"),
            color=alt.Color(
                "segment_label:N",
                title=None,
                scale=alt.Scale(domain=domain, range=colors),
                legend=alt.Legend(labelLimit=300),
            ),
            order=alt.Order("stack_order:Q"),
        )
    )
    # open weights sit at the bottom of the stack, so "open weights = 1/3" is the line at y = 1/3
    third = (
        alt.Chart(pd.DataFrame({"y": [1 / 3]}))
        .mark_rule(strokeDash=[5, 4], color="#111", strokeWidth=1.5)
        .encode(y="y:Q")
    )
    return alt.layer(area, third, title="Token share by openness and origin (dashed: open weights = 1/3)").properties(
        width=WIDTH, height=HEIGHT
    )


# --- open-weight authors, models, sizes --------------------------------------------------------------


def oss_authors(df: pd.DataFrame) -> alt.Chart:
    df = df.assign(kind=df["is_other"].map({True: "suppressed (other)", False: "author"}).fillna("author"))
    return (
        alt.Chart(df, title="Open-weight tokens by author over the window (trillions)")
        .mark_bar()
        .encode(
            y=alt.Y("author:N", sort="-x", title=None),
            x=alt.X("total_tokens_trillions:Q", title="tokens (T)"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["author", "suppressed (other)"], range=["#4fa3a5", OTHER_COLOR]),
            ),
        )
        .properties(width=WIDTH - 100, height=alt.Step(18))
    )


def oss_top_models(df: pd.DataFrame) -> alt.Chart:
    order = _ordered_with_other(
        df.groupby("model")["share_of_open_tokens"].sum().sort_values(ascending=False).index.to_series(),
        other="other open",
    )
    return (
        alt.Chart(df, title="Share of open-weight tokens by model, weekly")
        .mark_area()
        .encode(
            x=_time_x(),
            y=_share_y("share_of_open_tokens", "share of open-weight tokens", stack="normalize"),
            color=_color_with_other("model", order, other="other open", title=None),
            order=alt.Order("sort_key:Q"),
        )
        .transform_calculate(sort_key=f"indexof({json.dumps(order)}, datum.model)")
        .properties(width=WIDTH, height=HEIGHT)
    )


def oss_size(df: pd.DataFrame) -> alt.Chart:
    domain = [s for s in SIZE_ORDER if s in set(df["size_class"])] + sorted(
        set(df["size_class"].dropna()) - set(SIZE_ORDER)
    )
    colors = [SIZE_COLORS[SIZE_ORDER.index(s)] if s in SIZE_ORDER else OTHER_COLOR for s in domain]
    return (
        alt.Chart(df, title="Share of open-weight tokens by size class")
        .mark_area()
        .encode(
            x=_time_x(),
            y=_share_y("oss_token_share", "share of open-weight tokens", stack="normalize"),
            color=alt.Color("size_class:N", title=None, scale=alt.Scale(domain=domain, range=colors)),
            order=alt.Order("size_order:Q"),
        )
        .transform_calculate(size_order=f"indexof({json.dumps(domain)}, datum.size_class)")
        .properties(width=WIDTH, height=HEIGHT)
    )


# --- agentic inference --------------------------------------------------------------------------------


def _measure_lines(
    df: pd.DataFrame, measures: dict[str, str], title: str, y_title: str, rule_at: float | None = None
) -> alt.Chart | alt.LayerChart:
    long = df.melt(id_vars=["week_start"], value_vars=list(measures), var_name="measure", value_name="value")
    long["measure"] = long["measure"].map(measures)
    lines = (
        alt.Chart(long)
        .mark_line(point=False, strokeWidth=2)
        .encode(
            x=_time_x(),
            y=_share_y("value", y_title),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=list(measures.values()),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
            ),
        )
    )
    layers = [lines]
    if rule_at is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"y": [rule_at]})).mark_rule(strokeDash=[4, 4], color="#333").encode(y="y:Q")
        )
    return alt.layer(*layers, title=title).properties(width=WIDTH, height=HEIGHT)


def reasoning(df: pd.DataFrame):
    return _measure_lines(
        df,
        {
            "reasoning_model_token_share": "tokens served by reasoning models (paper's metric)",
            "reasoning_tokens_share_of_output": "reasoning tokens as share of completion tokens",
        },
        "Reasoning-model share of all tokens (dashed: 50%)",
        "share",
        rule_at=0.5,
    )


def tool_calls(df: pd.DataFrame):
    return _measure_lines(
        df,
        {
            "tool_call_token_share": "tokens of requests ending in tool_calls (paper's metric)",
            "tool_call_token_share_excl_top": "same, without the largest tool-calling accounts",
            "tool_call_request_share": "requests ending in tool_calls",
        },
        "Tool-call share, weekly",
        "share",
    )


# --- request shape --------------------------------------------------------------------------------------


def _measure_facets(
    df: pd.DataFrame,
    measures: dict[str, str],
    title: str,
    x: str = "week_start",
    y_title: str | None = None,
    height: int = 110,
) -> alt.FacetChart:
    """One small line chart per measure, stacked, each with its own y scale."""
    long = df.melt(id_vars=[x], value_vars=list(measures), var_name="measure", value_name="value")
    long["measure"] = long["measure"].map(measures)
    return (
        alt.Chart(long)
        .mark_line(strokeWidth=2)
        .encode(
            x=_time_x(x, daily=x != "week_start"),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("measure:N", legend=None, sort=list(measures.values())),
        )
        .properties(width=WIDTH, height=height)
        .facet(
            row=alt.Row(
                "measure:N",
                title=None,
                sort=list(measures.values()),
                header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top", labelFontSize=12),
            ),
            title=title,
        )
        .resolve_scale(y="independent")
    )


def request_shape_all(df: pd.DataFrame) -> alt.FacetChart:
    measures = {
        "mean_input_tokens": "prompt (input)",
        "mean_output_tokens": "completion (output)",
        "mean_sequence_tokens": "sequence (prompt + completion)",
    }
    return _measure_facets(df, measures, "Mean tokens per request, every request", y_title="mean tokens per request")


def prompt_by_category(df: pd.DataFrame) -> alt.LayerChart:
    cats = df[df["category"] != "all"]
    first = cats["week_start"].min() if not cats.empty else df["week_start"].min()
    df = df[df["week_start"] >= first]
    order = list(cats.groupby("category")["mean_input_tokens"].mean().sort_values(ascending=False).index)
    lines = (
        alt.Chart(df[df["category"] != "all"])
        .mark_line(strokeWidth=1.5)
        .encode(
            x=_time_x(),
            y=alt.Y("mean_input_tokens:Q", title="mean prompt tokens"),
            color=alt.Color("category:N", sort=order, title="category", scale=alt.Scale(scheme="tableau20")),
        )
    )
    overall = (
        alt.Chart(df[df["category"] == "all"])
        .mark_line(strokeWidth=3, color="black", strokeDash=[6, 3])
        .encode(x=_time_x(), y="mean_input_tokens:Q")
    )
    return alt.layer(lines, overall, title="Mean prompt tokens by category (dashed black: every request)").properties(
        width=WIDTH, height=HEIGHT
    )


def sequence_programming_vs_all(df: pd.DataFrame) -> alt.Chart:
    sub = df[df["category"].isin(["programming", "all"])].copy()
    cats = df[df["category"] != "all"]
    if not cats.empty:
        sub = sub[sub["week_start"] >= cats["week_start"].min()]
    sub["series"] = sub["category"].map({"all": "every request", "programming": "programming"})
    return (
        alt.Chart(sub, title="Mean sequence length: programming vs every request")
        .mark_line(strokeWidth=2)
        .encode(
            x=_time_x(),
            y=alt.Y("mean_sequence_tokens:Q", title="mean tokens per request"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=["programming", "every request"], range=["#e15759", "#1f3a68"]),
            ),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


# --- categories -----------------------------------------------------------------------------------------


def _band_line(df: pd.DataFrame, y: str, lo: str, hi: str, color: str = "#4e79a7"):
    base = alt.Chart(df).encode(x=_time_x())
    band = base.mark_area(opacity=0.25, color=color).encode(
        y=alt.Y(f"{lo}:Q", axis=alt.Axis(format="%"), title="share of tokens"), y2=f"{hi}:Q"
    )
    line = base.mark_line(color=color, strokeWidth=2).encode(y=f"{y}:Q")
    return band, line


def programming_share(df: pd.DataFrame):
    prog = df[df["category"] == "programming"]
    band, line = _band_line(prog, "token_share", "ci_low", "ci_high", color="#e15759")
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4], color="#333").encode(y="y:Q")
    return alt.layer(
        band, line, half, title="Programming share of all tokens, with interval band (dashed: 50%)"
    ).properties(width=WIDTH, height=HEIGHT)


def category_small_multiples(df: pd.DataFrame):
    df = df[~df["is_other"].fillna(False).astype(bool)] if "is_other" in df else df
    order = list(df.groupby("category")["token_share"].mean().sort_values(ascending=False).index)
    base = alt.Chart().encode(
        x=alt.X("week_start:T", scale=alt.Scale(type="utc"), axis=alt.Axis(title=None, labelAngle=0, tickCount=4))
    )
    band = base.mark_area(opacity=0.25, color="#4e79a7").encode(
        y=alt.Y("ci_low:Q", axis=alt.Axis(format="%"), title=None), y2="ci_high:Q"
    )
    line = base.mark_line(color="#4e79a7").encode(y="token_share:Q")
    return (
        alt.layer(band, line, data=df)
        .properties(width=190, height=110)
        .facet(
            facet=alt.Facet("category:N", sort=order, title=None),
            columns=3,
            title="Weekly token share by category (band: interval)",
        )
        .resolve_scale(y="independent")
    )


def subcategory_share(df: pd.DataFrame):
    """One small bar chart per category, two per row (concat, not facet: each keeps its own label space)."""
    df = df.assign(
        ci_low=df["ci_low"].fillna(df["share_of_category"]),
        ci_high=df["ci_high"].fillna(df["share_of_category"]),
    )
    panels = []
    for category, grp in df.groupby("category", sort=True):
        order = list(grp.sort_values("share_of_category", ascending=False)["subcategory"])
        bars = (
            alt.Chart(grp)
            .mark_bar(color="#76b7b2")
            .encode(
                y=alt.Y("subcategory:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
                x=alt.X(
                    "share_of_category:Q",
                    title="share of the category's tokens",
                    axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1]),
                ),
            )
        )
        errs = (
            alt.Chart(grp)
            .mark_rule(color="#333")
            .encode(y=alt.Y("subcategory:N", sort=order), x="ci_low:Q", x2="ci_high:Q")
        )
        panels.append(alt.layer(bars, errs, title=str(category)).properties(width=200, height=alt.Step(16)))
    rows = [alt.hconcat(*panels[i : i + 2], spacing=30) for i in range(0, len(panels), 2)]
    return alt.vconcat(*rows, spacing=20, title="Sub-tags within each category (lines: interval)")


def programming_by_author(df: pd.DataFrame):
    order = _ordered_with_other(
        df.groupby("author")["share_of_programming"].sum().sort_values(ascending=False).index.to_series()
    )
    lines = (
        alt.Chart(df)
        .mark_line(strokeWidth=2)
        .encode(
            x=_time_x(),
            y=_share_y("share_of_programming", "share of programming tokens"),
            color=_color_with_other("author", order, title=None),
        )
    )
    rule = alt.Chart(pd.DataFrame({"y": [0.6]})).mark_rule(strokeDash=[4, 4], color="#333").encode(y="y:Q")
    return alt.layer(lines, rule, title="Share of programming tokens by author (dashed: 60%)").properties(
        width=WIDTH, height=HEIGHT
    )


def category_by_origin(df: pd.DataFrame):
    df, domain, colors = _segment_frame(df)
    stack_order = {label: i for i, label in enumerate(reversed(domain))}
    df = df.assign(stack_order=df["segment_label"].map(stack_order))
    return (
        alt.Chart(df)
        .mark_area()
        .encode(
            x=_time_x(),
            y=_share_y("share_of_category", "share of the category's tokens", stack="normalize"),
            color=alt.Color(
                "segment_label:N",
                title=None,
                scale=alt.Scale(domain=domain, range=colors),
                legend=alt.Legend(labelLimit=300),
            ),
            order=alt.Order("stack_order:Q"),
        )
        .properties(width=300, height=200)
        .facet(
            column=alt.Column("category:N", title=None),
            title="Programming and roleplay tokens by model origin",
        )
    )


def category_mix_by_segment(df: pd.DataFrame):
    df = df.copy()
    df["segment_label"] = df["segment"].map(SEGMENT_LABELS).fillna(df["segment"])
    df["row"] = df["segment_type"] + ": " + df["segment_label"].astype(str)
    rows = list(dict.fromkeys(df["row"]))
    cat_order = list(df.groupby("category")["share_of_segment"].mean().sort_values(ascending=False).index)
    return (
        alt.Chart(df, title="Category mix of each segment over the window")
        .mark_bar()
        .encode(
            y=alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X(
                "share_of_segment:Q",
                stack="normalize",
                axis=alt.Axis(format="%"),
                title="share of the segment's tokens",
            ),
            color=alt.Color("category:N", sort=cat_order, title="category", scale=alt.Scale(scheme="tableau20")),
            order=alt.Order("cat_rank:Q"),
        )
        .transform_calculate(cat_rank=f"indexof({json.dumps(cat_order)}, datum.category)")
        .properties(width=WIDTH - 140, height=alt.Step(20))
    )


# --- language and geography -----------------------------------------------------------------------------


def language_share(df: pd.DataFrame):
    order = list(df["language"])
    bars = (
        alt.Chart(df)
        .mark_bar(color="#4e79a7")
        .encode(
            y=alt.Y("language:N", sort=order, title=None),
            x=alt.X("token_share:Q", axis=alt.Axis(format="%"), title="share of tokens (classified sample)"),
        )
    )
    errs = (
        alt.Chart(df.dropna(subset=["ci_low", "ci_high"]))
        .mark_rule(color="#333")
        .encode(y=alt.Y("language:N", sort=order), x="ci_low:Q", x2="ci_high:Q")
    )
    return alt.layer(bars, errs, title="Token share by language (lines: interval)").properties(
        width=WIDTH - 100, height=alt.Step(18)
    )


CONTINENT_ORDER = ["North America", "Asia", "Europe", "South America", "Oceania", "Africa", "Antarctica"]


def continent_weekly(df: pd.DataFrame):
    domain = [c for c in CONTINENT_ORDER if c in set(df["continent"])] + sorted(
        set(df["continent"].dropna()) - set(CONTINENT_ORDER)
    )
    return (
        alt.Chart(df, title="Weekly spend share by billing continent")
        .mark_area()
        .encode(
            x=_time_x(),
            y=_share_y("spend_share", "share of spend", stack="normalize"),
            color=alt.Color("continent:N", title=None, scale=alt.Scale(domain=domain, scheme="tableau10")),
            order=alt.Order("continent_order:Q"),
        )
        .transform_calculate(continent_order=f"indexof({json.dumps(domain)}, datum.continent)")
        .properties(width=WIDTH, height=HEIGHT)
    )


def country_top(df: pd.DataFrame):
    long = df.melt(
        id_vars=["country_name"],
        value_vars=["token_share", "spend_share"],
        var_name="measure",
        value_name="share",
    )
    long["measure"] = long["measure"].map({"token_share": "tokens", "spend_share": "spend"})
    order = list(df["country_name"])
    return (
        alt.Chart(long, title="Top billing countries: share of tokens and of spend")
        .mark_bar()
        .encode(
            y=alt.Y("country_name:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N", sort=["tokens", "spend"]),
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share over the window"),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=["tokens", "spend"],
                scale=alt.Scale(range=["#4e79a7", "#f28e2b"]),
            ),
        )
        .properties(width=WIDTH - 120, height=alt.Step(9))
    )


# --- retention ------------------------------------------------------------------------------------------


def cohort_retention(df: pd.DataFrame) -> list[tuple[str, alt.Chart]]:
    """One chart per model, one line per monthly cohort."""
    charts = []
    for model, grp in df.groupby("model_slug", sort=False):
        cohorts = sorted(grp["cohort"].unique())
        charts.append(
            (
                str(model),
                alt.Chart(grp, title=f"{model}: activity retention by monthly cohort")
                .mark_line(point=alt.OverlayMarkDef(size=14))
                .encode(
                    x=alt.X("months_since:Q", title="months since cohort month", axis=alt.Axis(tickMinStep=1)),
                    y=alt.Y(
                        "retention:Q",
                        axis=alt.Axis(format="%"),
                        title="accounts active",
                        scale=alt.Scale(domain=[0, 1]),
                    ),
                    color=alt.Color(
                        "cohort:O",
                        title="cohort",
                        sort=cohorts,
                        scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(columns=2),
                    ),
                )
                .properties(width=WIDTH - 160, height=220),
            )
        )
    return charts


# --- price vs usage -------------------------------------------------------------------------------------


def price_usage_models(df: pd.DataFrame):
    median = (
        float(df["median_price_usd_per_mtok"].dropna().iloc[0])
        if df["median_price_usd_per_mtok"].notna().any()
        else float(df["effective_price_usd_per_mtok"].median())
    )
    x = alt.X(
        "effective_price_usd_per_mtok:Q",
        scale=alt.Scale(type="log"),
        title="effective price, USD per 1M tokens (log)",
    )
    y = alt.Y("total_tokens:Q", scale=alt.Scale(type="log"), title="total tokens (log)", axis=alt.Axis(format="~s"))
    points = (
        alt.Chart(df)
        .mark_circle(size=60, opacity=0.8)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "openness:N",
                title=None,
                scale=alt.Scale(
                    domain=["proprietary", "open weights", "unknown model"],
                    range=["#e15759", "#59a14f", OTHER_COLOR],
                ),
            ),
        )
    )
    trend = (
        alt.Chart(df)
        .transform_regression("effective_price_usd_per_mtok", "total_tokens", method="pow")
        .mark_line(color="#333", strokeDash=[6, 3])
        .encode(x=x, y=y)
    )
    labels = (
        alt.Chart(df.head(10))
        .mark_text(align="left", dx=6, fontSize=9, color="#444")
        .encode(x=x, y=y, text="model_slug:N")
    )
    rule = alt.Chart(pd.DataFrame({"x": [median]})).mark_rule(color="#888").encode(x="x:Q")
    return alt.layer(
        points,
        trend,
        labels,
        rule,
        title="Price vs usage per model (dashed: power-law fit; grey: median price)",
    ).properties(width=WIDTH, height=320)


QUADRANT_LABELS = {
    "premium": "premium",
    "mass_market": "mass market",
    "specialist": "specialist",
    "niche": "niche",
}


def price_usage_categories(df: pd.DataFrame):
    df = df.assign(quadrant_label=df["quadrant"].map(QUADRANT_LABELS).fillna(df["quadrant"]))
    x = alt.X(
        "effective_price_usd_per_mtok:Q",
        scale=alt.Scale(type="log"),
        title="effective price, USD per 1M tokens (log)",
    )
    y = alt.Y("total_tokens:Q", scale=alt.Scale(type="log"), title="total tokens (log)", axis=alt.Axis(format="~s"))
    points = (
        alt.Chart(df)
        .mark_circle(size=90)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "quadrant_label:N",
                title="quadrant",
                scale=alt.Scale(
                    domain=list(QUADRANT_LABELS.values()), range=["#e15759", "#4e79a7", "#b07aa1", "#bab0ac"]
                ),
            ),
        )
    )
    labels = alt.Chart(df).mark_text(align="left", dx=7, fontSize=10).encode(x=x, y=y, text="category:N")
    vrule = alt.Chart(df.head(1)).mark_rule(color="#333", strokeDash=[4, 4]).encode(x="median_price_usd_per_mtok:Q")
    hrule = alt.Chart(df.head(1)).mark_rule(color="#888", strokeDash=[2, 2]).encode(y="median_total_tokens:Q")
    return alt.layer(
        points,
        labels,
        vrule,
        hrule,
        title="Price vs usage per category (dashed: median price and median usage)",
    ).properties(width=WIDTH, height=320)


def price_elasticity(df: pd.DataFrame):
    df = df.assign(kind=df["category"].map(lambda c: "all models" if c == "all" else "category"))
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort=list(df["category"]), title=None),
            x=alt.X("elasticity:Q", title="elasticity (slope of log tokens on log price)"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["all models", "category"], range=["#1f3a68", "#76b7b2"]),
            ),
        )
    )
    # the paper: a 10% price cut goes with a 0.5-0.7% usage rise, i.e. about -0.05 to -0.07
    paper = (
        alt.Chart(pd.DataFrame({"lo": [-0.07], "hi": [-0.05]}))
        .mark_rect(opacity=0.3, color="#e15759")
        .encode(x="lo:Q", x2="hi:Q")
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#333").encode(x="x:Q")
    return alt.layer(
        bars, paper, zero, title="Price elasticity of usage (red band: the paper's -0.05 to -0.07)"
    ).properties(width=WIDTH - 120, height=alt.Step(18))


# --- concentration --------------------------------------------------------------------------------------


def concentration_hhi(df: pd.DataFrame):
    return (
        alt.Chart(df, title="Herfindahl-Hirschman index by dimension, weekly")
        .mark_line(strokeWidth=2)
        .encode(
            x=_time_x(),
            y=alt.Y("hhi:Q", title="HHI (sum of squared shares)"),
            color=alt.Color("dimension:N", title=None),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


def concentration_topk(df: pd.DataFrame):
    long = df.melt(
        id_vars=["week_start", "dimension"],
        value_vars=["top1_share", "top10_share"],
        var_name="measure",
        value_name="share",
    ).dropna(subset=["share"])
    long["measure"] = long["measure"].map({"top1_share": "top 1", "top10_share": "top 10"})
    return (
        alt.Chart(long, title="Share held by the largest 1 and 10 entities, weekly")
        .mark_line(strokeWidth=2)
        .encode(
            x=_time_x(),
            y=_share_y("share", "share of tokens"),
            color=alt.Color("dimension:N", title=None),
            strokeDash=alt.StrokeDash("measure:N", title=None, sort=["top 10", "top 1"]),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


# --- public rankings ------------------------------------------------------------------------------------


def public_rankings(df: pd.DataFrame):
    order = _ordered_with_other(
        df.groupby("model")["total_tokens"].sum().sort_values(ascending=False).index.to_series()
    )
    return (
        alt.Chart(df, title="OpenRouter public rankings: daily token share, 10 largest models")
        .mark_area()
        .encode(
            x=_time_x("ranking_date", daily=True),
            y=_share_y("token_share", "share of daily tokens", stack="normalize"),
            color=_color_with_other("model", order, title=None),
            order=alt.Order("sort_key:Q"),
        )
        .transform_calculate(sort_key=f"indexof({json.dumps(order)}, datum.model)")
        .properties(width=WIDTH, height=HEIGHT)
    )


def public_rankings_daily_total(df: pd.DataFrame):
    measures = {
        "total_tokens_trillions": "platform tokens per day (T)",
        "hhi_named_models": "HHI over the top-50 models",
        "top1_share": "share of the largest model",
    }
    return _measure_facets(
        df, measures, "OpenRouter public rankings: daily volume and concentration", x="ranking_date", height=90
    )
