"""Render the study's figures from the published marts into one self-contained HTML page.

`render_report(marts_db, out_dir)` opens `marts.duckdb` read-only, runs the queries in `sql/` and
the headline queries in `paper_headlines.yaml`, draws every chart as inline SVG (Altair +
vl-convert; no JavaScript, no network) and writes `out_dir/index.html` atomically.

The page shows, beside each chart, the exact SQL text that produced its data.
"""

from __future__ import annotations

import html
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import altair as alt
import duckdb
import pandas as pd
import vl_convert as vlc

from dagster_project.lib.marts import PUBLIC_MARTS

from . import headlines as hl
from .headlines import HEADLINES_PATH, HeadlineResult
from .sections import SECTIONS, ChartSpec, Section

__all__ = ["HEADLINES_PATH", "SECTIONS", "ReportResult", "build_report", "load_queries", "render_report"]

SQL_DIR = Path(__file__).with_name("sql")
KNOWN_MARTS = PUBLIC_MARTS
# Marts whose `is_other` rows are small-cell suppression (fewer than k accounts), and the measure
# used to say how much of the total they hold. public_model_share_daily's `other` is OpenRouter's
# own "beyond the top 50" row, reported separately.
SUPPRESSION_MEASURE = {
    "model_share_weekly": ("total_tokens", ""),
    "author_share_weekly": ("total_tokens", ""),
    "oss_author_totals": ("total_tokens", ""),
    "category_share_weekly": ("estimated_tokens", ""),
    "category_by_segment": ("estimated_tokens", "segment_type = 'author'"),
    "category_by_segment_monthly": ("estimated_tokens", "segment_type = 'author'"),
    "subcategory_share": ("estimated_tokens", ""),
    "language_share": ("estimated_tokens", ""),
    "geography_country": ("total_tokens", ""),
    "cohort_retention": ("cohort_accounts", "months_since = 0"),
}
DATA_TABLE_ROWS = 60
# vl-convert lays text out with the fonts it finds on this machine; naming one that the browser also has
# (DejaVu ships with Debian's chromium) keeps legends and labels from overflowing their measured boxes.
CHART_FONT = "sans-serif"
_VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def load_queries() -> dict[str, str]:
    """Every chart query, by file name (without .sql). The page shows these texts verbatim."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SQL_DIR.glob("*.sql"))}


@dataclass
class ChartResult:
    spec: ChartSpec
    status: str  # ok | empty | absent | error
    label: str = ""
    svg: str = ""
    message: str = ""
    notes: list[str] = field(default_factory=list)
    data: pd.DataFrame | None = None


@dataclass
class SectionResult:
    section: Section
    charts: list[ChartResult]
    notes: list[tuple[str, str]]  # (note, sql that produced it)
    headlines: list[HeadlineResult]

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def status(self) -> str:
        statuses = {c.status for c in self.charts}
        if "error" in statuses:
            return "error"
        if "ok" in statuses:
            return "ok"
        return "empty"


@dataclass
class ReportResult:
    path: Path
    sections: list[SectionResult]
    headlines: list[HeadlineResult]
    marts_db: Path
    window: tuple[date | None, date | None]
    seconds: float

    @property
    def empty_sections(self) -> list[str]:
        return [s.key for s in self.sections if s.status == "empty"]

    @property
    def errored_sections(self) -> list[str]:
        return [s.key for s in self.sections if s.status == "error"]

    @property
    def chart_count(self) -> int:
        return sum(1 for s in self.sections for c in s.charts if c.status == "ok")

    @property
    def headline_errors(self) -> list[str]:
        return [h.id for h in self.headlines if h.status == "error"]


# --- database -------------------------------------------------------------------------------------


class _Marts:
    """A read-only connection to marts.duckdb with the marts' schema as the default schema."""

    def __init__(self, path: Path):
        self.con = duckdb.connect(str(path), read_only=True)
        catalog = self.con.execute("select current_database()").fetchall()[0][0]
        rows = self.con.execute(
            "select table_schema, count(*) as marts from information_schema.tables "
            "where table_catalog = current_database() and table_name in ({}) "
            "group by table_schema order by marts desc, table_schema = 'marts' desc".format(
                ", ".join("?" * len(KNOWN_MARTS))
            ),
            list(KNOWN_MARTS),
        ).fetchall()
        # the publish step may copy schema `marts` as is or flatten it into `main`: accept both
        self.schema = rows[0][0] if rows else "main"
        self.con.execute(f'use "{catalog}"."{self.schema}"')
        tables = self.con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ?",
            [self.schema],
        ).fetchall()
        present = {t for (t,) in tables}
        self.state: dict[str, str] = {}
        self.rows: dict[str, int] = {}
        for mart in KNOWN_MARTS:
            if mart not in present:
                self.state[mart] = "absent"
                continue
            n = self.con.execute(f"select count(*) from {mart}").fetchall()[0][0]
            self.rows[mart] = n
            self.state[mart] = "ok" if n else "empty"
        self._cache: dict[str, pd.DataFrame] = {}
        # the publish step stamps the file (lib/publish.py); optional, not part of the documented marts
        self.published: tuple[Any, str] | None = None
        if "_published" in present:
            row = self.con.execute("select published_at, note from _published").fetchall()
            self.published = row[0] if row else None

    def columns(self, mart: str) -> set[str]:
        rows = self.con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database() "
            "and table_schema = ? and table_name = ?",
            [self.schema, mart],
        ).fetchall()
        return {c for (c,) in rows}

    def query(self, sql: str) -> pd.DataFrame:
        if sql not in self._cache:
            self._cache[sql] = self.con.execute(sql).df()
        return self._cache[sql].copy()

    def close(self) -> None:
        self.con.close()


# --- charts ---------------------------------------------------------------------------------------


def _jsonable(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO strings (read as UTC days by Vega-Lite), so charts do not depend on time zones."""
    df = df.copy()
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].dt.strftime("%Y-%m-%d")
        elif df[col].dtype == object and df[col].map(lambda v: isinstance(v, date)).any():
            df[col] = df[col].map(lambda v: v.isoformat() if isinstance(v, date) else v)
    return df


def _to_svg(chart: alt.TopLevelMixin) -> str:
    spec = chart.configure(
        font=CHART_FONT,
        background="white",
        title=alt.TitleConfig(fontSize=14, anchor="start", color="#222"),
        axis=alt.AxisConfig(labelColor="#444", titleColor="#444", gridColor="#eee"),
        view=alt.ViewConfig(stroke=None),
    ).to_dict(validate=True)
    svg = vlc.vegalite_to_svg(spec, vl_version=_VL_VERSION, allowed_base_urls=[])
    # vl-convert sets fixed width/height; keep them but let CSS scale the chart down on narrow screens
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _data_notes(df: pd.DataFrame) -> list[str]:
    notes = []
    for col, unit in (("week_start", "weeks"), ("ranking_date", "days")):
        if col in df.columns and df[col].notna().any():
            days = pd.to_datetime(df[col])
            notes.append(
                f"Window: {days.min():%Y-%m-%d} to {days.max():%Y-%m-%d} "
                f"({days.nunique()} {unit}, by {'week start (Monday)' if unit == 'weeks' else 'UTC day'})."
            )
    if "cohort" in df.columns:
        notes.append(
            f"Cohorts: {df['cohort'].min()} to {df['cohort'].max()}; "
            f"{df['model_slug'].nunique()} models, {df.groupby('model_slug')['cohort'].nunique().sum()} "
            "model × cohort curves."
        )
        if "cohort_accounts" in df.columns:
            first = df[df["months_since"] == 0]
            notes.append(
                f"Cohort sizes: {int(first['cohort_accounts'].sum()):,} accounts in all; smallest cohort "
                f"{int(first['cohort_accounts'].min()):,}, largest {int(first['cohort_accounts'].max()):,}."
            )
    for col, what in (
        ("sample_requests", "classified sample"),
        ("sample_labels", "classified sample labels"),
    ):
        if col in df.columns and df[col].notna().any():
            notes.append(
                f"Sample size: {int(df[col].sum()):,} {what} "
                f"{'requests ' if col == 'sample_requests' else ''}behind these cells "
                "(summed over rows; a request with several labels counts once per label row)."
            )
    if {"ci_low", "ci_high"} <= set(df.columns):
        width = (df["ci_high"] - df["ci_low"]).dropna()
        if not width.empty:
            notes.append(
                "Intervals: normal-approximation interval published by the mart; median width "
                f"{width.median() * 100:.2f} points, widest {width.max() * 100:.2f} points."
            )
    if "excluded_top_accounts" in df.columns and df["excluded_top_accounts"].notna().any():
        notes.append(
            f"'Without top accounts' drops up to {int(df['excluded_top_accounts'].max())} accounts a week."
        )
    if "models" in df.columns and "elasticity" in df.columns:
        all_row = df[df["category"] == "all"]
        if not all_row.empty:
            notes.append(
                f"Overall fit across {int(all_row['models'].iloc[0])} models, "
                f"R² = {all_row['r_squared'].iloc[0]:.3f}."
            )
    if "accounts" in df.columns and df["accounts"].notna().any():
        notes.append(f"Smallest published cell: {int(df['accounts'].min()):,} distinct accounts.")
    notes.append(f"Rows returned: {len(df):,}.")
    return notes


def _build_chart(spec: ChartSpec, marts: _Marts, queries: dict[str, str]) -> list[ChartResult]:
    absent = [m for m in spec.marts if marts.state.get(m) == "absent"]
    if absent:
        return [
            ChartResult(
                spec, "absent", message=f"No data: mart {', '.join(absent)} is not in the marts file."
            )
        ]
    empty = [m for m in spec.marts if marts.state.get(m) == "empty"]
    if empty:
        return [ChartResult(spec, "empty", message=f"No data: mart {', '.join(empty)} is empty.")]
    try:
        df = marts.query(queries[spec.query])
    except duckdb.Error as exc:
        return [ChartResult(spec, "error", message=f"Query failed: {type(exc).__name__}: {exc}")]
    if df.empty:
        return [
            ChartResult(
                spec,
                "empty",
                message=f"No data: the query returned no rows "
                f"(mart {spec.marts[0]} has {marts.rows.get(spec.marts[0], 0):,} rows).",
                data=df,
            )
        ]
    notes = _data_notes(df)
    try:
        built = spec.build(_jsonable(df))
        items = built if isinstance(built, list) else [("", built)]
        return [
            ChartResult(spec, "ok", label=label, svg=_to_svg(chart), notes=notes, data=df)
            for label, chart in items
        ]
    except Exception as exc:  # a chart bug must show on the page and fail the asset, not vanish
        return [ChartResult(spec, "error", message=f"Chart failed: {type(exc).__name__}: {exc}", data=df)]


def _suppression_notes(section: Section, marts: _Marts) -> list[tuple[str, str]]:
    notes = []
    for mart in dict.fromkeys(m for spec in section.charts for m in spec.marts):
        if marts.state.get(mart) != "ok" or "is_other" not in marts.columns(mart):
            continue
        if mart == "public_model_share_daily":
            sql = (
                "select count(*) filter (where is_other) as other_rows,\n"
                "    sum(token_share) filter (where is_other) / count(distinct ranking_date) as other_share\n"
                "from public_model_share_daily"
            )
            other_rows, share = marts.query(sql).iloc[0]
            notes.append(
                (
                    f"public_model_share_daily: {int(other_rows):,} 'other' rows (models beyond the daily "
                    f"top 50) hold on average {_pct(share)} of daily tokens.",
                    sql,
                )
            )
            continue
        measure, where = SUPPRESSION_MEASURE.get(mart, (None, ""))
        if measure is None or measure not in marts.columns(mart):
            continue
        sql = (
            f"select\n    count(*) filter (where is_other) as suppressed_rows,\n    count(*) as all_rows,\n"
            f"    sum({measure}) filter (where is_other) / nullif(sum({measure}), 0) as suppressed_share\n"
            f"from {mart}" + (f"\nwhere {where}" if where else "")
        )
        suppressed, total, share = marts.query(sql).iloc[0]
        if not suppressed:
            notes.append((f"{mart}: no suppressed cells ({int(total):,} rows, none below k accounts).", sql))
            continue
        notes.append(
            (
                f"{mart}{f' ({where})' if where else ''}: {int(suppressed):,} of {int(total):,} rows are "
                "suppressed cells folded into 'other' (fewer than k distinct accounts), holding "
                f"{_pct(share)} of {measure.replace('_', ' ')}.",
                sql,
            )
        )
    return notes


# --- HTML -----------------------------------------------------------------------------------------


def _pct(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{float(x) * 100:.1f}%"


def _esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _fmt_cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return ""
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float):
        if abs(v) >= 1e6:
            return f"{v:,.0f}"
        if abs(v) >= 100:
            return f"{v:,.1f}"
        return f"{v:.4g}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def _data_table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_esc(_fmt_cell(v))}</td>" for v in row) + "</tr>"
        for row in df.head(DATA_TABLE_ROWS).itertuples(index=False)
    )
    more = (
        f"<p class='muted'>First {DATA_TABLE_ROWS} of {len(df):,} rows.</p>"
        if len(df) > DATA_TABLE_ROWS
        else ""
    )
    return (
        f"<div class='table-scroll'><table class='data'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>{more}"
    )


_STATUS_BADGE = {
    "within": ("ok", "within"),
    "outside": ("bad", "outside"),
    "no data": ("na", "no data"),
    "error": ("bad", "error"),
}


def _headline_rows(items: list[HeadlineResult], in_summary: bool) -> str:
    """Rows of paper-vs-warehouse figures; in a section each row carries its SQL, in the summary a link."""
    rows = []
    for h in items:
        cls, text = _STATUS_BADGE[h.status]
        tol = (
            f"± {h.fmt(h.tolerance)}"
            if h.compare in ("approx", "range")
            else (
                f"≥ paper − {h.fmt(h.tolerance)}"
                if h.compare == "at_least"
                else f"≤ paper + {h.fmt(h.tolerance)}"
            )
        )
        ours = h.fmt(h.value) if h.value is not None else f"<span class='muted small'>{_esc(h.reason)}</span>"
        meta = (
            f"<div class='muted small'>{_esc(h.figure)} · {_esc(h.source)} · confidence "
            f"{_esc(h.confidence)}</div>"
        )
        if in_summary:
            first = (
                f"<td><a href='#{_esc(h.section)}'>{_esc(h.section.replace('_', ' '))}</a></td>"
                f"<td><a class='plain' href='#h-{_esc(h.id)}'>{_esc(h.label)}</a>{meta}</td>"
            )
        else:
            note = f"<p class='small'>{_esc(h.note)}</p>" if h.note else ""
            first = (
                f"<td>{_esc(h.label)}{meta}<details class='sql'><summary>SQL ({_esc(h.mart)})</summary>"
                f"{note}<pre><code>{_esc(h.sql)}</code></pre></details></td>"
            )
        rows.append(
            f"<tr id='{'s' if in_summary else 'h'}-{_esc(h.id)}'>{first}"
            f"<td class='num'>{_esc(h.paper_text)}</td><td class='num'>{ours}</td>"
            f"<td class='num'>{h.fmt(h.diff, signed=True) if h.diff is not None else '–'}</td>"
            f"<td class='num small'>{_esc(tol)}</td><td class='unit small'>{_esc(h.unit)}</td>"
            f"<td><span class='badge {cls}'>{text}</span></td></tr>"
        )
    return "".join(rows)


_HEADLINE_HEAD = (
    "<th class='label'>figure</th><th>paper</th><th>warehouse</th><th>difference</th><th>tolerance</th>"
    "<th>unit</th><th>status</th>"
)


def _section_html(sr: SectionResult, queries: dict[str, str]) -> str:
    s = sr.section
    ok = [c for c in sr.charts if c.status == "ok"]
    parts = [
        f'<section class="report-section" id="{s.key}" data-expected-charts="{len(ok)}" '
        f'data-status="{sr.status}">',
        f"<h2>{_esc(s.title)}</h2>",
        f"<p class='figures'>Paper: {_esc(s.figures)}</p>",
        f"<p>{_esc(s.intro)}</p>",
    ]
    if sr.status == "empty":
        parts.append(
            "<div class='empty-note'>This section has no data: "
            + _esc(" ".join(dict.fromkeys(c.message for c in sr.charts)))
            + "</div>"
        )
    if sr.headlines:
        parts.append(
            "<div class='headlines'><h3>Paper vs warehouse</h3><table class='compare'><thead><tr>"
            + _HEADLINE_HEAD
            + "</tr></thead><tbody>"
            + _headline_rows(sr.headlines, False)
            + "</tbody></table></div>"
        )
    for c in sr.charts:
        title = c.spec.caption + (f" — {c.label}" if c.label else "")
        parts.append(f'<figure class="chart" data-status="{c.status}" data-query="{_esc(c.spec.query)}">')
        parts.append(f"<figcaption>{_esc(title)}</figcaption>")
        if c.status == "ok":
            parts.append(f"<div class='svg-wrap'>{c.svg}</div>")
            parts.append("<ul class='notes'>" + "".join(f"<li>{_esc(n)}</li>" for n in c.notes) + "</ul>")
        else:
            css = "error-note" if c.status == "error" else "empty-note"
            parts.append(f"<div class='{css}'>{_esc(c.message)}</div>")
        parts.append(
            f"<details class='sql'><summary>SQL: {_esc(c.spec.query)}.sql "
            f"<span class='muted'>({_esc(', '.join(c.spec.marts))})</span></summary>"
            f"<pre><code>{_esc(queries[c.spec.query].strip())}</code></pre></details>"
        )
        if c.data is not None and not c.data.empty and not c.label:
            parts.append(
                f"<details class='data'><summary>Data ({len(c.data):,} rows)</summary>"
                f"{_data_table(c.data)}</details>"
            )
        elif c.data is not None and c.label:
            sub = c.data[c.data.iloc[:, 0] == c.label]
            parts.append(
                f"<details class='data'><summary>Data ({len(sub):,} rows)</summary>"
                f"{_data_table(sub)}</details>"
            )
        parts.append("</figure>")
    if sr.notes:
        parts.append("<div class='section-notes'><h3>Suppression</h3><ul class='notes'>")
        for note, sql in sr.notes:
            parts.append(
                f"<li>{_esc(note)}<details class='sql'><summary>SQL</summary>"
                f"<pre><code>{_esc(sql)}</code></pre></details></li>"
            )
        parts.append("</ul></div>")
    parts.append("</section>")
    return "\n".join(parts)


_CSS = """
:root { --ink:#1d2330; --muted:#667085; --line:#e4e7ec; --bg:#f7f8fa; --accent:#1f3a68; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color:var(--ink);
       background:var(--bg); }
header.top { background:var(--accent); color:#fff; padding:28px 40px 20px; }
header.top h1 { margin:0 0 6px; font-size:26px; }
header.top p { margin:4px 0; color:#d6e0f0; max-width:980px; }
header.top code { color:#fff; }
nav.toc { background:#fff; border-bottom:1px solid var(--line); padding:8px 40px; position:sticky; top:0;
    z-index:2;
          font-size:13px; display:flex; flex-wrap:wrap; gap:4px 14px; }
nav.toc a { color:var(--accent); text-decoration:none; white-space:nowrap; }
main { max-width:1120px; margin:0 auto; padding:24px 24px 60px; }
section, .summary { background:#fff; border:1px solid var(--line); border-radius:8px; padding:20px 26px;
                    margin:22px 0; }
h2 { margin:0 0 4px; font-size:21px; color:var(--accent); }
h3 { font-size:15px; margin:14px 0 6px; }
.figures { color:var(--muted); margin:0 0 8px; font-size:13px; }
figure.chart { margin:18px 0 8px; padding-top:12px; border-top:1px solid var(--line); }
figcaption { font-weight:600; margin-bottom:6px; }
.svg-wrap { overflow-x:auto; }
.svg-wrap svg { max-width:100%; height:auto; overflow:visible; }
th.label { width:42%; }
a.plain { color:inherit; text-decoration:none; }
td details.sql summary { font-size:12px; }
ul.notes { margin:6px 0; padding-left:18px; color:var(--muted); font-size:13px; }
table { border-collapse:collapse; font-size:13px; }
table.compare, table.summary-table { width:100%; }
th, td { border-bottom:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
th { background:#f2f4f7; font-weight:600; }
td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.small { font-size:12px; } .muted { color:var(--muted); } .unit { color:var(--muted); white-space:nowrap; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; }
.badge.ok { background:#dcfae6; color:#085d3a; } .badge.bad { background:#fee4e2; color:#912018; }
.badge.na { background:#f2f4f7; color:#475467; }
details { margin:6px 0; } summary { cursor:pointer; color:var(--accent); font-size:13px; }
pre { background:#0f172a; color:#e2e8f0; padding:12px 14px; border-radius:6px; overflow-x:auto;
    font-size:12.5px;
      line-height:1.45; }
.table-scroll { max-height:360px; overflow:auto; border:1px solid var(--line); }
table.data td, table.data th { white-space:nowrap; }
.empty-note { background:#fffaeb; border:1px solid #fedf89; color:#93370d; padding:10px 14px;
    border-radius:6px; }
.error-note { background:#fef3f2; border:1px solid #fda29b; color:#912018; padding:10px 14px;
    border-radius:6px; }
.counts span { margin-right:16px; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:20px; }
"""


def _page(
    result: ReportResult,
    queries: dict[str, str],
    generated_at: datetime,
    schema: str,
    mtime: datetime,
    published: tuple[Any, str] | None,
) -> str:
    counts = {
        k: sum(1 for h in result.headlines if h.status == k)
        for k in ("within", "outside", "no data", "error")
    }
    start, end = result.window
    window = (
        f"{start:%Y-%m-%d} to {end:%Y-%m-%d} (week starts)"
        if start and end
        else "unknown (no model_share_weekly)"
    )
    toc = "".join(f"<a href='#{s.key}'>{_esc(s.section.title)}</a>" for s in result.sections)
    order = {s.key: i for i, s in enumerate(SECTIONS)}
    summary_rows = _headline_rows(
        sorted(result.headlines, key=lambda h: order.get(h.section, 99)), in_summary=True
    )
    empty = ", ".join(result.empty_sections) or "none"
    sections = "\n".join(_section_html(s, queries) for s in result.sections)
    if published:
        published_note = f"published {pd.Timestamp(published[0]):%Y-%m-%d %H:%M} UTC" + (
            f", {_esc(published[1])}" if published[1] else ""
        )
    else:
        published_note = f"file modified {mtime:%Y-%m-%d %H:%M} UTC"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>State of AI, rebuilt from the warehouse</title>
<style>{_CSS}</style></head>
<body>
<header class="top">
<h1>State of AI: 100 trillion tokens, rebuilt from the warehouse</h1>
<p>Each figure group of OpenRouter's study (Aubakirova et al., arXiv 2601.10088) recomputed from the published
marts, with the paper's headline number beside the warehouse's own and the SQL behind every chart.</p>
<p class="gen">Generated {generated_at:%Y-%m-%d %H:%M} UTC from <code>{_esc(result.marts_db)}</code>
(schema <code>{_esc(schema)}</code>, {published_note}) · data window {window}
· DuckDB {_esc(duckdb.__version__)} · rendered in {result.seconds:.1f} s</p>
</header>
<nav class="toc">{toc}</nav>
<main>
<div class="summary" id="summary">
<h2>Paper headlines vs warehouse</h2>
<p class="counts"><span><span class="badge ok">within</span> {counts["within"]}</span>
<span><span class="badge bad">outside</span> {counts["outside"]}</span>
<span><span class="badge na">no data</span> {counts["no data"]}</span>
{f"<span><span class='badge bad'>error</span> {counts['error']}</span>" if counts["error"] else ""}
<span class="muted">Sections without data: {_esc(empty)}</span></p>
<p class="small muted">Paper values and confidence (H: two or more sources; M: one faithful rendering;
L: a chart reading or an inference) come from the fact sheet of the study. The comparison rule and
tolerance of each figure, and the query that computes the warehouse's value, are in
<code>paper_headlines.yaml</code>; each query is shown in its section.</p>
<table class="summary-table"><thead><tr><th>section</th>{_HEADLINE_HEAD}</tr></thead>
<tbody>{summary_rows}</tbody></table>
</div>
{sections}
</main>
<footer>Charts are static SVG rendered with Vega-Lite {_esc(_VL_VERSION)} via vl-convert; the page loads
nothing from the network. Public rankings: Source: OpenRouter (openrouter.ai/rankings).
Licensed under CC BY 4.0.</footer>
</body></html>
"""


# --- entry points ---------------------------------------------------------------------------------


def build_report(marts_db: Path, out_dir: Path) -> ReportResult:
    """Render the report and return what was rendered (sections, headline results, timings)."""
    started = time.perf_counter()
    marts_db, out_dir = Path(marts_db), Path(out_dir)
    if not marts_db.is_file():
        raise FileNotFoundError(f"marts file not found: {marts_db}")
    queries = load_queries()
    entries = hl.load_headlines()
    marts = _Marts(marts_db)
    try:
        headline_results = [hl.evaluate(e, marts.query, marts.state) for e in entries]
        by_section: dict[str, list[HeadlineResult]] = {}
        for h in headline_results:
            by_section.setdefault(h.section, []).append(h)
        sections = []
        for section in SECTIONS:
            chart_results = [r for spec in section.charts for r in _build_chart(spec, marts, queries)]
            sections.append(
                SectionResult(
                    section,
                    chart_results,
                    _suppression_notes(section, marts),
                    by_section.get(section.key, []),
                )
            )
        window: tuple[date | None, date | None] = (None, None)
        if marts.state.get("model_share_weekly") == "ok":
            lo, hi = marts.query("select min(week_start), max(week_start) from model_share_weekly").iloc[0]
            window = (pd.Timestamp(lo).date(), pd.Timestamp(hi).date())
        schema = marts.schema
        published = marts.published
    finally:
        marts.close()

    result = ReportResult(
        out_dir / "index.html", sections, headline_results, marts_db, window, time.perf_counter() - started
    )
    mtime = datetime.fromtimestamp(marts_db.stat().st_mtime, tz=UTC)
    page = _page(result, queries, datetime.now(tz=UTC), schema, mtime, published)
    out_dir.mkdir(parents=True, exist_ok=True)
    # atomic: readers (a browser, a web server) never see a half-written page
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".index.", suffix=".html.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the page is for readers
        os.replace(tmp, result.path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    result.seconds = time.perf_counter() - started
    return result


def render_report(marts_db: Path, out_dir: Path) -> Path:
    """Open `marts_db` read-only, write `out_dir/index.html` and return its path."""
    return build_report(marts_db, out_dir).path
