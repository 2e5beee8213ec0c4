"""Lint: the dbt SQL stays portable between DuckDB and Spark (no Spark, runs in well under a second).

Scans every .sql file under dbt/models and dbt/macros for constructs of the non-portable list
below (RULES, the one place, each with its reason; measured in docs/scaling-out.md and
/work/shared/STACK_NOTES.md). Before matching, Jinja (`{{ }}`, `{% %}`, `{# #}`) and SQL comments
are removed, so dbt's cross-database macros (`dbt.datediff(...)`) and `var("...")` never count.
The only place a listed construct may appear is the body of an engine-specific implementation
of a dispatched macro: `duckdb__name` / `spark__name` where the project calls
`adapter.dispatch('name')` (or dbt itself dispatches `name`, e.g. `spark__load_csv_rows`).
`default__` implementations are the portable fallback and are scanned like everything else.
`group by all` is portable (DuckDB and Spark 3.4+), so it is not listed.
One more rule needs the whole statement rather than a pattern: every ordering term of a window
(`over (... order by ...)`, `window w as (...)`) writes out `nulls first|last`, because the
engines disagree on the default (DuckDB: nulls last both ways; Spark: first when ascending).
`within group (order by ...)` is left alone: percentile_cont ignores nulls on both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DBT_DIR = REPO / "dbt"

# (name, pattern, reason). Patterns are case-insensitive and run on Jinja-free, comment-free SQL.
RULES: list[tuple[str, str, str]] = [
    ("double_colon_cast", r"::",
     "`x::type` is DuckDB/Postgres syntax, only Spark 4.x parses it (not 3.5, not older Databricks "
     "runtimes); write cast(x as type)"),
    ("distinct_on", r"\bdistinct\s+on\b",
     "DuckDB only; use row_number() over (...) and filter = 1"),
    ("list_function", r"(?<![\w.])list\s*\(",
     "DuckDB's list() aggregate; array_agg / collect_list differ, dispatch it"),
    ("strftime", r"\bstrftime\b",
     "DuckDB format codes (%Y) vs Spark date_format patterns (yyyy); format in dbt macros or cast to string"),
    ("star_exclude", r"\bexclude\s*\(",
     "`select * exclude (...)` is DuckDB only; list the columns"),
    ("qualify", r"\bqualify\b",
     "Spark 4.x only (not 3.5); filter a row_number() in an outer select"),
    ("unnest", r"\bunnest\b",
     "DuckDB unnest vs Spark explode/lateral view; dispatch it"),
    ("approx_quantile", r"\bapprox_quantile\b",
     "DuckDB only (Spark: percentile_approx, different algorithm); use percentile_cont ... within group"),
    ("string_agg", r"\bstring_agg\b",
     "Spark 4.x only and ordering semantics differ; use dbt.listagg"),
    ("star_except", r"\bexcept\s*\(",
     "`select * except (...)` is Spark 4.x/BigQuery only; list the columns"),
    ("native_datediff", r"(?<![\w.])(datediff|date_diff)\s*\(",
     "argument order and units differ (Spark datediff(end, start) in days, DuckDB "
     "datediff(part, start, end)); use {{ dbt.datediff(start, end, part) }}"),
    ("months_between", r"\bmonths_between\b",
     "Spark only and fractional; use {{ dbt.datediff(start, end, 'month') }}"),
    ("extract_dow", r"\bextract\s*\(\s*(dow|isodow|dayofweek)\b",
     "day-of-week numbering differs (DuckDB Sunday = 0, Spark dayofweek Sunday = 1); "
     "use dbt.date_trunc('week', ...)"),
    ("double_quoted_identifier", r"\"[^\"\n]*\"",
     "a double-quoted name is an identifier on DuckDB but a string literal on Spark; use bare names "
     "(or backticks inside a spark__ macro)"),
]

ENGINE_PREFIXES = ("duckdb", "spark", "databricks", "postgres", "snowflake", "bigquery", "trino")
MACRO_BLOCK = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(.*?%}(.*?){%-?\s*endmacro\s*-?%}", re.S)
JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
SQL_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
SQL_STRING = re.compile(r"'(?:[^'\\]|\\.|'')*'")


def _dbt_dispatched_names() -> set[str]:
    """Names dbt itself dispatches (dbt-core's global project has `default__<name>`)."""
    import dbt.include.global_project as global_project

    root = Path(global_project.__file__).parent
    return {m.group(1) for f in root.rglob("*.sql")
            for m in re.finditer(r"macro\s+default__(\w+)\s*\(", f.read_text())}


def project_dispatched_names(texts: list[str]) -> set[str]:
    return {m.group(1) for text in texts for m in re.finditer(r"adapter\.dispatch\(\s*['\"](\w+)['\"]", text)}


def portable_sql(text: str, dispatched: set[str]) -> str:
    """The SQL text that must be portable: engine-specific dispatch implementations, Jinja,
    comments and string literals removed (line breaks kept so line numbers still match)."""

    def drop_engine_macro(match: re.Match) -> str:
        name = match.group(1)
        prefix, _, base = name.partition("__")
        if prefix in ENGINE_PREFIXES and base and base in dispatched:
            return "\n" * match.group(0).count("\n")
        return match.group(0)

    def blank(match: re.Match) -> str:
        return "\n" * match.group(0).count("\n") + " "

    text = MACRO_BLOCK.sub(drop_engine_macro, text)
    text = JINJA.sub(blank, text)
    text = SQL_COMMENT.sub(blank, text)
    return SQL_STRING.sub(lambda m: "''" + "\n" * m.group(0).count("\n"), text)


def violations(text: str, dispatched: set[str]) -> list[tuple[int, str, str]]:
    sql = portable_sql(text, dispatched)
    found = []
    for number, line in enumerate(sql.splitlines(), start=1):
        for name, pattern, _ in RULES:
            if re.search(pattern, line, re.I):
                found.append((number, name, line.strip()))
    return found


WINDOW_OPEN = re.compile(r"\bover\s*\(|\bwindow\s+\w+\s+as\s*\(", re.I)


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def window_orderings_without_nulls(text: str, dispatched: set[str]) -> list[tuple[int, str]]:
    """(line, ordering term) of window ordering terms that leave the null order to the engine."""
    sql = portable_sql(text, dispatched)
    found = []
    for match in WINDOW_OPEN.finditer(sql):
        depth, end = 1, match.end()
        while depth and end < len(sql):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        spec = sql[match.end():end - 1]
        ordering = re.search(r"\border\s+by\b(.*?)(?:\b(?:rows|range|groups)\b|$)", spec, re.I | re.S)
        if not ordering:
            continue
        for term in _split_top_level(ordering.group(1)):
            if not re.search(r"\bnulls\s+(first|last)\b", term, re.I):
                found.append((sql.count("\n", 0, match.start()) + 1, " ".join(term.split())))
    return found


def sql_files() -> list[Path]:
    return sorted([*(DBT_DIR / "models").rglob("*.sql"), *(DBT_DIR / "macros").rglob("*.sql")])


def test_models_and_macros_are_portable():
    files = sql_files()
    assert len(files) > 30, "expected the dbt project's models and macros"
    texts = {path: path.read_text() for path in files}
    dispatched = project_dispatched_names(list(texts.values())) | _dbt_dispatched_names()
    reasons = {name: reason for name, _, reason in RULES}
    problems = [
        f"{path.relative_to(REPO)}:{number}: {name}: {line}\n    why: {reasons[name]}"
        for path, text in texts.items()
        for number, name, line in violations(text, dispatched)
    ]
    assert not problems, "non-portable SQL outside a dispatched macro:\n" + "\n".join(problems)


def test_window_orderings_write_out_the_null_order():
    files = sql_files()
    texts = {path: path.read_text() for path in files}
    dispatched = project_dispatched_names(list(texts.values())) | _dbt_dispatched_names()
    problems = [
        f"{path.relative_to(REPO)}:{number}: order by {term}  (add nulls last: DuckDB's default)"
        for path, text in texts.items()
        for number, term in window_orderings_without_nulls(text, dispatched)
    ]
    assert not problems, "window orderings without nulls first|last:\n" + "\n".join(problems)


def test_window_ordering_rule():
    bad = "select lag(a) over (partition by k order by d) from t window w as (order by d desc nulls last, e)"
    assert [term for _, term in window_orderings_without_nulls(bad, set())] == ["d", "e"]
    good = ("select sum(a) over (partition by k order by d asc nulls last rows between unbounded preceding "
            "and current row), percentile_cont(0.5) within group (order by a) from t")
    assert window_orderings_without_nulls(good, set()) == []


@pytest.mark.parametrize(("name", "bad_sql"), [
    ("double_colon_cast", "select x::bigint from t"),
    ("distinct_on", "select distinct on (a) a, b from t"),
    ("list_function", "select list(a) from t"),
    ("strftime", "select strftime(d, '%Y-%m') from t"),
    ("star_exclude", "select * exclude (a) from t"),
    ("qualify", "select a from t qualify row_number() over (order by a) = 1"),
    ("unnest", "select unnest(xs) from t"),
    ("approx_quantile", "select approx_quantile(a, 0.5) from t"),
    ("string_agg", "select string_agg(a, ',') from t"),
    ("star_except", "select * except (a) from t"),
    ("native_datediff", "select datediff('day', a, b) from t"),
    ("months_between", "select months_between(a, b) from t"),
    ("extract_dow", "select extract(dow from d) from t"),
    ("double_quoted_identifier", 'select "Weird Name" from t'),
])
def test_each_rule_catches_its_construct(name, bad_sql):
    assert name in {rule for _, rule, _ in violations(bad_sql, set())}


def test_allowed_places_are_not_flagged():
    text = """
{% macro median_of(x) %}{{ return(adapter.dispatch('median_of')(x)) }}{% endmacro %}
{% macro default__median_of(x) %}percentile_cont(0.5) within group (order by {{ x }}){% endmacro %}
{% macro duckdb__median_of(x) %}approx_quantile({{ x }}, 0.5)::double{% endmacro %}
select
    {{ dbt.datediff('a', 'b', 'month') }} as months,  -- a comment may say datediff( or "quoted"
    cast('{{ var("start") }}' as date) as d, 'it''s a :: string' as s
from t
group by all
"""
    assert violations(text, project_dispatched_names([text])) == []
    # an undispatched duckdb__ macro, or a default__ one, is scanned like any other SQL
    assert violations("{% macro duckdb__nope() %}select a::int{% endmacro %}", set())
    assert violations("{% macro default__x() %}select a::int{% endmacro %}", {"x"})
