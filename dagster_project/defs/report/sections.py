"""The report's sections: which query feeds which chart, in page order.

Each chart names its query (a file in `sql/`, shown verbatim on the page) and the marts it reads
(used to say "empty" or "absent" instead of failing). Paper headline figures are attached to
sections by `section:` in paper_headlines.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import charts


@dataclass(frozen=True)
class ChartSpec:
    query: str  # file name in sql/ without .sql
    marts: tuple[str, ...]  # marts the query reads; the first one is the main one
    build: Callable  # DataFrame -> alt chart, or list of (label, chart) for one chart per entity
    caption: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: str  # the paper's figures this section rebuilds (numbering of paper.md)
    intro: str
    charts: tuple[ChartSpec, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        key="volume",
        title="Token volume and model share",
        figures="F2, §1.1",
        intro="Weekly tokens (prompt + completion) and the share held by the largest models. The paper "
        "reports about 0.5T tokens a week in late 2024 rising to about 7T a week by November 2025, "
        "and more than 100T over the window.",
        charts=(
            ChartSpec(
                "volume_by_segment",
                ("open_closed_weekly",),
                charts.volume_by_segment,
                "Stacked weekly volume by segment (F2).",
            ),
            ChartSpec(
                "model_share_top",
                ("model_share_weekly",),
                charts.model_share,
                "Weekly token share of the ten largest models over the window; everything else is 'other'.",
            ),
        ),
    ),
    Section(
        key="open_closed",
        title="Open vs proprietary, China vs rest of world",
        figures="F1",
        intro="Share of weekly tokens served by proprietary models and by open-weight models from China "
        "(CN, TW, HK authors) and from the rest of the world. The paper's averages are means of "
        "weekly shares: Chinese OSS 13.0%, RoW OSS 13.7%, RoW proprietary about 70%.",
        charts=(
            ChartSpec(
                "open_closed_share",
                ("open_closed_weekly",),
                charts.open_closed_share,
                "Weekly token share by segment (F1).",
            ),
        ),
    ),
    Section(
        key="oss",
        title="Top open-weight authors, models and size classes",
        figures="Table F2b, F3, F4",
        intro="Open-weight tokens by author over the window, the weekly mix of open models, and the split "
        "by size class (total parameters: small < 15B ≤ medium < 70B ≤ large).",
        charts=(
            ChartSpec(
                "oss_authors",
                ("oss_author_totals",),
                charts.oss_authors,
                "Open-weight tokens by author, trillions (the paper's author table).",
            ),
            ChartSpec(
                "oss_top_models",
                ("model_share_weekly", "price_usage"),
                charts.oss_top_models,
                "Weekly share of open-weight tokens by model (F3). Openness comes from price_usage.",
            ),
            ChartSpec(
                "oss_size",
                ("oss_size_weekly",),
                charts.oss_size,
                "Weekly share of open-weight tokens by size class (F4).",
            ),
        ),
    ),
    Section(
        key="agentic",
        title="Reasoning and tool-call share",
        figures="F10, F12",
        intro="The paper's reasoning share counts every token (prompt and completion) served by a "
        "reasoning-class model; hybrid models count as reasoning here. The tool-call share is the "
        "share of tokens from requests whose finish_reason is tool_calls; the paper attributes a May "
        "2025 spike to one large account, so the series without the top accounts is shown too.",
        charts=(
            ChartSpec(
                "reasoning",
                ("reasoning_share_weekly",),
                charts.reasoning,
                "Reasoning-model token share and reasoning tokens' share of completions (F10).",
            ),
            ChartSpec(
                "tool_calls",
                ("tool_call_share_weekly",),
                charts.tool_calls,
                "Tool-call token and request share (F12).",
            ),
        ),
    ),
    Section(
        key="request_shape",
        title="Prompt, completion and sequence length",
        figures="F14, F15, F16, F17, F18",
        intro="Mean tokens per request. 'all' covers every request exactly; per-category values come from "
        "the classified sample and start in May 2025. The paper's series start earlier (2023-2024) "
        "than this warehouse's window.",
        charts=(
            ChartSpec(
                "request_shape_all",
                ("request_shape_weekly",),
                charts.request_shape_all,
                "Mean prompt, completion and sequence tokens per request (F14, F15, F17).",
            ),
            ChartSpec(
                "request_shape_by_category",
                ("request_shape_weekly",),
                charts.prompt_by_category,
                "Mean prompt tokens by category (F16).",
            ),
            ChartSpec(
                "request_shape_by_category",
                ("request_shape_weekly",),
                charts.sequence_programming_vs_all,
                "Programming vs overall sequence length (F18).",
            ),
        ),
    ),
    Section(
        key="categories",
        title="Category share and sub-tags",
        figures="F19, F21, F29",
        intro="Shares are ratio estimates from the classified sample (about 0.25% of requests, from "
        "2025-05-01), weighted by sample weight × label weight × tokens, with a normal-approximation "
        "interval from the mart.",
        charts=(
            ChartSpec(
                "category_share",
                ("category_share_weekly",),
                charts.programming_share,
                "Programming share of all tokens with its interval (F19).",
            ),
            ChartSpec(
                "category_share",
                ("category_share_weekly",),
                charts.category_small_multiples,
                "Every category's weekly share with its interval.",
            ),
            ChartSpec(
                "subcategory_share",
                ("subcategory_share",),
                charts.subcategory_share,
                "Sub-tags within each category over the window (F21, F29).",
            ),
        ),
    ),
    Section(
        key="category_segments",
        title="Categories by author and by origin",
        figures="F6, F7, F8, F9, F20, F22, F23",
        intro="Who serves each category (e.g. Anthropic's share of programming) and what each segment is "
        "used for (e.g. roleplay's share of open-weight tokens).",
        charts=(
            ChartSpec(
                "programming_by_author",
                ("category_by_segment",),
                charts.programming_by_author,
                "Share of programming tokens by author, weekly (F20).",
            ),
            ChartSpec(
                "category_by_origin",
                ("category_by_segment",),
                charts.category_by_origin,
                "Programming and roleplay tokens by model origin (F8, F9).",
            ),
            ChartSpec(
                "category_mix_by_segment",
                ("category_by_segment",),
                charts.category_mix_by_segment,
                "Category mix by openness, origin and author over the window (F6, F7, F22, F23).",
            ),
        ),
    ),
    Section(
        key="language",
        title="Language",
        figures="Language table (§2.4)",
        intro="Token share by the language detected on the classified sample.",
        charts=(
            ChartSpec(
                "language_share",
                ("language_share",),
                charts.language_share,
                "Token share by language with its interval.",
            ),
        ),
    ),
    Section(
        key="geography",
        title="Continent and country",
        figures="F24, continent and country tables (§2.4)",
        intro="Geography is the account's billing country, as in the paper. The weekly region series is "
        "spend-based (F24); the paper's tables look token-based and do not share one basis, so both "
        "measures are shown.",
        charts=(
            ChartSpec(
                "continent_weekly",
                ("geography_continent_weekly",),
                charts.continent_weekly,
                "Weekly spend share by continent (F24).",
            ),
            ChartSpec(
                "country_top",
                ("geography_country",),
                charts.country_top,
                "Top billing countries by token share, with spend share beside it.",
            ),
        ),
    ),
    Section(
        key="retention",
        title="Cohort retention",
        figures="F25a-h",
        intro="Activity retention: an account joins a model's cohort in the first month it used that model "
        "and counts as retained in month m + k if it used the model in that month (gaps allowed, so "
        "curves can rise again). One chart per model, one line per monthly cohort; the paper's models "
        "come first when present.",
        charts=(
            ChartSpec(
                "cohort_retention",
                ("cohort_retention",),
                charts.cohort_retention,
                "Retention curves per monthly cohort (F25).",
            ),
        ),
    ),
    Section(
        key="price",
        title="Price vs usage",
        figures="F26, F27, F28",
        intro="Effective price is what was actually billed (cache discounts included) per million tokens, "
        "blended over prompt and completion, BYOK excluded. Quadrants split at the median price and "
        "median usage. Elasticity is the OLS slope of log10 tokens on log10 price across models.",
        charts=(
            ChartSpec(
                "price_usage_models",
                ("price_usage",),
                charts.price_usage_models,
                "Effective price vs usage per model, open vs proprietary (F27, F28).",
            ),
            ChartSpec(
                "price_usage_categories",
                ("price_usage",),
                charts.price_usage_categories,
                "Effective price vs usage per category, with quadrants (F26).",
            ),
            ChartSpec(
                "price_elasticity",
                ("price_elasticity",),
                charts.price_elasticity,
                "Price elasticity overall and by category.",
            ),
        ),
    ),
    Section(
        key="concentration",
        title="Concentration",
        figures="F3 (OSS concentration), market structure",
        intro="Herfindahl-Hirschman index (sum of squared shares, 0-1) and top-k shares by model, author, "
        "provider and account. The paper gives no HHI; its concentration claims are about open "
        "models (see the open-weight section).",
        charts=(
            ChartSpec(
                "concentration",
                ("concentration_weekly",),
                charts.concentration_hhi,
                "Weekly HHI by dimension.",
            ),
            ChartSpec(
                "concentration",
                ("concentration_weekly",),
                charts.concentration_topk,
                "Weekly top-1 and top-10 share by dimension (no top-1 for accounts).",
            ),
        ),
    ),
    Section(
        key="public_rankings",
        title="OpenRouter's public rankings (real data)",
        figures="Model share on real data",
        intro="The same share analysis on OpenRouter's real public daily rankings (top 50 models per day "
        "plus an aggregated 'other' row; native-tokenizer counts). This covers a later period than the "
        "paper. Source: OpenRouter (openrouter.ai/rankings). Licensed under CC BY 4.0.",
        charts=(
            ChartSpec(
                "public_rankings",
                ("public_model_share_daily",),
                charts.public_rankings,
                "Daily token share of the ten largest public models.",
            ),
            ChartSpec(
                "public_rankings_daily_total",
                ("public_model_share_daily",),
                charts.public_rankings_daily_total,
                "Daily platform tokens and concentration of the public rankings.",
            ),
        ),
    ),
)
