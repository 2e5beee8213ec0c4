# ruff: noqa: E501  (fixture SQL: one planted defect per line, with its count in a trailing comment)
"""Small DuckDB warehouses with the exact columns of docs/architecture.md, clean or with planted defects.

Stand-ins until the dbt project exists. The clean warehouse covers 2025-04-29 .. 2025-05-03 with
1,000 requests a day, plus one broken day (2025-04-20) outside the test window that partition
scoping must ignore. `make_bad` plants, inside the window, defects whose counts are listed in
EXPECTED_BAD (tests assert every rule of every suite against it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

# The partition range the tests run (inclusive keys, as in Dagster's range tags).
WINDOW_FIRST = "2025-04-29"
WINDOW_LAST = "2025-05-02"

_CORE_SQL = """
create schema core;
create schema marts;

create table core.dim_countries as
select * from (values ('US', 'United States', 'North America'), ('DE', 'Germany', 'Europe'),
                      ('SG', 'Singapore', 'Asia'), ('CN', 'China', 'Asia'))
    as t(country_code, country_name, continent);

create table core.dim_models as
select * from (values
    ('openai/gpt-4o', 'GPT-4o', 'openai', false, 'US', null, 'non_reasoning', date '2024-05-13', 2.5, 10.0,
     'fixture', 'rest_of_world', 'proprietary', null, false),
    ('anthropic/claude-sonnet-4', 'Claude Sonnet 4', 'anthropic', false, 'US', null, 'hybrid', date '2025-05-22',
     3.0, 15.0, 'fixture', 'rest_of_world', 'proprietary', null, true),
    ('deepseek/deepseek-chat', 'DeepSeek V3', 'deepseek', true, 'CN', 671.0, 'non_reasoning', date '2024-12-26',
     0.3, 0.9, 'fixture', 'china', 'open_china', 'large', false),
    ('qwen/qwen3-coder', 'Qwen3 Coder', 'qwen', true, 'CN', 480.0, 'non_reasoning', date '2025-07-22', 0.2, 0.8,
     'fixture', 'china', 'open_china', 'large', false))
    as t(model_slug, model_name, author, is_open_weights, origin_country, params_b, reasoning_class, release_date,
         input_price_usd_per_mtok, output_price_usd_per_mtok, source, origin_region, segment, size_class,
         is_reasoning_model);

create table core.fct_generations as
with days as (
    select cast(d as date) as event_date
    from range(timestamp '2025-04-29', timestamp '2025-05-04', interval 1 day) as r(d)
), base as (
    select days.event_date, i
    from days cross join range(1000) as r(i)
)
select
    'gen_' || strftime(event_date, '%Y%m%d') || '_' || i as generation_id,
    cast(event_date as timestamp) + to_seconds(i * 60) as created_at,
    event_date,
    'acct_' || lpad(cast(i % 40 as varchar), 16, '0') as account_key,
    case when i % 7 = 0 then null else 'app_' || (i % 5) end as app_id,
    ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'deepseek/deepseek-chat', 'qwen/qwen3-coder'][i % 4 + 1]
        as model_slug,
    case when i % 10 = 0 then 'free' end as model_variant,
    i % 10 = 0 as is_free_variant,
    ['OpenAI', 'Anthropic', 'DeepSeek', 'Alibaba'][i % 4 + 1] as provider_name,
    i % 10 = 5 as is_byok,
    i % 2 = 0 as is_streamed,
    false as is_cancelled,
    case when i % 3 = 0 then 'tool_calls' else 'stop' end as finish_reason,
    case when i % 3 = 0 then 'tool_calls' else 'stop' end as native_finish_reason,
    cast(null as integer) as tools_offered,
    cast(1000 + i as bigint) as input_tokens,
    cast(200 + i % 100 as bigint) as output_tokens,
    cast(i % 50 as bigint) as reasoning_output_tokens,
    cast(i % 500 as bigint) as cache_read_input_tokens,
    cast(1200 + i + i % 100 as bigint) as total_tokens,
    cast(case when i % 10 in (0, 5) then 0.0 else 0.001 * (i + 1) end as double) as cost_usd,
    0.0::double as cache_discount_usd,
    cast(100 + i as double) as latency_ms,
    cast(50 + i as double) as generation_time_ms,
    ['US', 'DE', 'SG', 'CN'][i % 4 + 1] as billing_country
from base;

create table core.fct_classified_requests as
select
    g.generation_id, g.event_date, g.account_key, g.model_slug,
    '/Computers & Electronics/Programming' as label_path,
    ['programming', 'roleplay', 'technology', 'marketing/seo'][(i // 400) + 1] as category,
    'Programming' as subcategory,
    0.8::double as confidence,
    1.0::double as label_weight,
    'en' as language,
    0.99::double as language_confidence,
    g.input_tokens, g.output_tokens, g.total_tokens, g.cost_usd, g.is_byok,
    1000.0 / 3 as sample_weight
from core.fct_generations as g, (select 1) as one(x),
     lateral (select cast(split_part(g.generation_id, '_', 3) as integer) as i) as k
where g.event_date >= date '2025-05-01' and i % 400 = 7;
"""

# Aggregates derived from fct_generations, rebuilt after defects are planted.
_AGGREGATES_SQL = """
create or replace table core.fct_usage_daily as
select event_date, model_slug, provider_name, billing_country, finish_reason, is_byok, is_free_variant,
       count(*) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
       sum(total_tokens) as total_tokens, sum(reasoning_output_tokens) as reasoning_output_tokens,
       sum(cache_read_input_tokens) as cache_read_input_tokens, sum(cost_usd) as cost_usd,
       sum(cache_discount_usd) as cache_discount_usd
from core.fct_generations where generation_id is not null
group by all;

create or replace table core.fct_account_model_daily as
select event_date, account_key, model_slug, billing_country,
       count(*) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
       sum(total_tokens) as total_tokens, sum(reasoning_output_tokens) as reasoning_output_tokens,
       sum(cost_usd) as cost_usd, sum(case when is_byok then cost_usd else 0 end) as byok_cost_usd,
       count(*) filter (where finish_reason = 'tool_calls') as tool_call_requests,
       coalesce(sum(total_tokens) filter (where finish_reason = 'tool_calls'), 0) as tool_call_tokens
from core.fct_generations where generation_id is not null
group by all;
"""

_MARTS_SQL = """
create table marts.model_share_weekly as
select * from (values
    (date '2025-04-28', 'openai/gpt-4o', 'openai', 100, 800, 200, 1000, 0.5, 20, false),
    (date '2025-04-28', 'anthropic/claude-sonnet-4', 'anthropic', 60, 480, 120, 600, 0.3, 15, false),
    (date '2025-04-28', 'deepseek/deepseek-chat', 'deepseek', 30, 240, 60, 300, 0.15, 12, false),
    (date '2025-04-28', 'other', null, 10, 80, 20, 100, 0.05, 4, true),
    (date '2025-05-05', 'openai/gpt-4o', 'openai', 100, 800, 200, 1000, 1.0, 25, false))
    as t(week_start, model_slug, author, requests, input_tokens, output_tokens, total_tokens, token_share,
         accounts, is_other);

create table marts.author_share_weekly as
select * from (values
    (date '2025-04-28', 'openai', 100, 1000, 0.5, 20, false),
    (date '2025-04-28', 'anthropic', 60, 600, 0.3, 15, false),
    (date '2025-04-28', 'other', 40, 400, 0.2, 5, true),
    (date '2025-05-05', 'openai', 100, 1000, 1.0, 25, false))
    as t(week_start, author, requests, total_tokens, token_share, accounts, is_other);

create table marts.open_closed_weekly as
select * from (values
    (date '2025-04-28', 'proprietary', 700, 0.7),
    (date '2025-04-28', 'open_china', 200, 0.2),
    (date '2025-04-28', 'open_rest_of_world', 100, 0.1),
    (date '2025-05-05', 'proprietary', 1000, 1.0))
    as t(week_start, segment, total_tokens, token_share);

create table marts.category_share_weekly as
select * from (values
    (date '2025-04-28', 'programming', 10, 10, 5000.0, 0.5, 0.4, 0.6, 30, false),
    (date '2025-04-28', 'roleplay', 6, 6, 3000.0, 0.3, 0.2, 0.4, 20, false),
    (date '2025-04-28', 'marketing/seo', 3, 3, 1500.0, 0.15, 0.05, 0.25, 11, false),
    (date '2025-04-28', 'other', 1, 1, 500.0, 0.05, 0.0, 0.1, 2, true),
    (date '2025-05-05', 'trivia', 5, 5, 4000.0, 1.0, 1.0, 1.0, 12, false))
    as t(week_start, category, sample_requests, category_requests, estimated_tokens, token_share, ci_low, ci_high,
         accounts, is_other);

create table marts.category_by_segment as
select * from (values
    (date '2025-04-28', 'author', 'openai', 'programming', 5, 2500.0, 0.5, 0.5, 12),
    (date '2025-04-28', 'openness', 'proprietary', 'roleplay', 3, 1500.0, 0.3, 0.5, 11),
    (date '2025-05-05', 'origin', 'china', 'legal', 2, 800.0, 1.0, 1.0, 10))
    as t(week_start, segment_type, segment, category, sample_requests, estimated_tokens, share_of_segment,
         share_of_category, accounts);

create table marts.geography_continent_weekly as
select * from (values
    (date '2025-04-28', 'North America', 60.0, 0.6, 500, 0.5),
    (date '2025-04-28', 'Asia', 30.0, 0.3, 400, 0.4),
    (date '2025-04-28', 'Europe', 10.0, 0.1, 100, 0.1),
    (date '2025-05-05', 'Europe', 10.0, 1.0, 100, 1.0))
    as t(week_start, continent, spend_usd, spend_share, total_tokens, token_share);
"""

# Outside the test window: must never be seen by a partition-scoped check of that window.
_OUT_OF_WINDOW_SQL = """
insert into core.fct_generations
select * replace (date '2025-04-20' as event_date, timestamp '2025-04-20 00:00:00' as created_at,
                  -5 as input_tokens, -1.0 as cost_usd)
from core.fct_generations where generation_id = 'gen_20250501_11';
insert into core.fct_generations
select * replace (date '2025-04-20' as event_date, timestamp '2025-04-20 00:00:01' as created_at)
from core.fct_generations where generation_id = 'gen_20250501_12';
insert into core.fct_classified_requests
select * replace (date '2025-04-20' as event_date, 'cooking' as category, 0.1 as confidence)
from core.fct_classified_requests limit 1;
"""


def _raw_select(source: str, day: str) -> str:
    if source == "generations":
        return f"""
            select 'gen_' || i as id, timestamp '{day}' + to_seconds(i) as created_at,
                   'acct_' || lpad(cast(i % 9 as varchar), 16, '0') as account_id,
                   cast(null as varchar) as app_id, 'openai/gpt-4o' as model, 'OpenAI' as provider_name,
                   false as is_byok, true as streamed, false as cancelled, 'stop' as finish_reason,
                   'stop' as native_finish_reason, cast(null as integer) as tools_offered,
                   cast(100 as bigint) as tokens_prompt, cast(20 as bigint) as tokens_completion,
                   cast(0 as bigint) as native_tokens_reasoning, cast(0 as bigint) as native_tokens_cached,
                   0.001::double as total_cost, 0.0::double as cache_discount, 120.0::double as latency,
                   80.0::double as generation_time
            from range(5) as r(i)"""
    if source == "classifications":
        return f"""
            select 'gen_' || i as id, timestamp '{day}' + to_seconds(i) as classified_at, 'v1' as classifier_version,
                   '/Computers & Electronics/Programming' as label_path, 0.8::double as confidence, 'en' as language,
                   0.99::double as language_confidence
            from range(2) as r(i)"""
    return f"""
        select 'acct_' || lpad(cast(i as varchar), 16, '0') as account_id, 'US' as billing_country,
               timestamp '{day}' as created_at
        from range(3) as r(i)"""


def _write_raw(warehouse_dir: Path, bad: bool) -> None:
    con = duckdb.connect()
    try:
        for source in ("generations", "classifications", "accounts"):
            for day in ("2025-04-20", "2025-04-30", "2025-05-01"):
                folder = warehouse_dir / "raw" / source / f"date={day}"
                folder.mkdir(parents=True, exist_ok=True)
                select = _raw_select(source, day)
                if bad and day == "2025-05-01":
                    # one forbidden text column and one changed type per source
                    wrong = {
                        "generations": ("tokens_prompt", "integer", "prompt"),
                        "classifications": ("confidence", "float", "text"),
                        "accounts": ("created_at", "varchar", "content"),
                    }[source]
                    column, new_type, forbidden = wrong
                    select = (
                        f"select * replace (cast({column} as {new_type}) as {column}), "
                        f"'secret' as {forbidden} from ({select})"
                    )
                if day == "2025-04-20":  # outside the window: a text column that must be ignored
                    select = f"select *, 'secret' as messages from ({select})"
                con.sql(f"copy ({select}) to '{(folder / 'data.parquet').as_posix()}' (format parquet)")
    finally:
        con.close()


def make_clean(warehouse_dir: Path) -> Path:
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse_dir / "warehouse.duckdb"))
    try:
        con.execute(_CORE_SQL)
        con.execute(_OUT_OF_WINDOW_SQL)
        con.execute(_AGGREGATES_SQL)
        con.execute(_MARTS_SQL)
    finally:
        con.close()
    _write_raw(warehouse_dir, bad=False)
    return warehouse_dir


_BAD_SQL = """
-- core.fct_generations (window 2025-04-29 .. 2025-05-02); row i of 2025-05-01 is paid unless i % 10 in (0, 5)
insert into core.fct_generations select * replace (null as generation_id, timestamp '2025-05-01 23:59:00' as created_at)
    from core.fct_generations where generation_id = 'gen_20250501_21';                            -- id null: 1
insert into core.fct_generations select * from core.fct_generations where generation_id = 'gen_20250501_22';  -- dup: 2 rows
update core.fct_generations set cache_read_input_tokens = input_tokens + 1
    where generation_id in ('gen_20250501_31', 'gen_20250501_32', 'gen_20250501_33');          -- cached > input: 3
update core.fct_generations set reasoning_output_tokens = output_tokens + 5
    where generation_id in ('gen_20250501_41', 'gen_20250501_42');                              -- reasoning > output: 2
update core.fct_generations set input_tokens = -5, cache_read_input_tokens = null where generation_id = 'gen_20250501_51';
update core.fct_generations set output_tokens = -5, reasoning_output_tokens = null where generation_id = 'gen_20250501_52';
update core.fct_generations set reasoning_output_tokens = -1 where generation_id = 'gen_20250501_53';
update core.fct_generations set cache_read_input_tokens = -1 where generation_id = 'gen_20250501_54';
update core.fct_generations set total_tokens = -10 where generation_id = 'gen_20250501_56';
update core.fct_generations set cost_usd = -0.01 where generation_id = 'gen_20250501_57';
update core.fct_generations set latency_ms = -1 where generation_id = 'gen_20250501_58';
update core.fct_generations set generation_time_ms = -1 where generation_id = 'gen_20250501_59';
update core.fct_generations set cost_usd = 0 where generation_id in ('gen_20250501_61', 'gen_20250501_62');  -- 2
update core.fct_generations set cost_usd = 0.5
    where generation_id in ('gen_20250501_70', 'gen_20250501_80', 'gen_20250501_75');          -- free/byok billed: 3
update core.fct_generations set created_at = timestamp '2099-01-01 00:00:00'
    where generation_id = 'gen_20250502_11';                                                     -- future: 1
update core.fct_generations set created_at = timestamp '2025-04-28 23:00:00'
    where generation_id in ('gen_20250429_11', 'gen_20250429_12');                               -- outside: 2 (+1)

-- core.fct_classified_requests (first: ten more sampled requests make 2025-05-01's share 13/1001)
insert into core.fct_classified_requests select c.* replace ('gen_extra_' || i as generation_id)
    from core.fct_classified_requests as c, range(10) as r(i)
    where c.generation_id = 'gen_20250501_7';
insert into core.fct_classified_requests select * replace (date '2025-04-30' as event_date)
    from core.fct_classified_requests where event_date = date '2025-05-01' limit 2;             -- before start, category set
insert into core.fct_classified_requests select * replace (date '2025-04-30' as event_date, null as category)
    from core.fct_classified_requests where event_date = date '2025-05-01' limit 1;             -- before start, null
insert into core.fct_classified_requests select * replace ('cooking' as category, '/Food & Drink/Cooking' as label_path)
    from core.fct_classified_requests where event_date = date '2025-05-01' limit 2;             -- not a category: 2
insert into core.fct_classified_requests select * replace (null as category, '/Unmapped' as label_path)
    from core.fct_classified_requests where event_date = date '2025-05-01' limit 1;             -- unmapped: 1 (+1)
insert into core.fct_classified_requests select * replace (0.3 as confidence, '/Arts' as label_path)
    from core.fct_classified_requests where event_date = date '2025-05-01' limit 2;             -- low confidence: 2
delete from core.fct_classified_requests where event_date = date '2025-05-02';                  -- 05-02 share 0
"""

_BAD_AFTER_AGGREGATES_SQL = """
-- coverage: an unknown model carrying half of 2025-05-01, an unknown country with a sliver of 2025-05-02
insert into core.fct_usage_daily select date '2025-05-01', 'mystery/model-x', 'Mystery', 'US', 'stop', false, false,
    1, 0, 0, 2000000, 0, 0, 1.0, 0.0;
insert into core.fct_usage_daily select date '2025-05-02', 'openai/gpt-4o', 'OpenAI', 'XX', 'stop', false, false,
    1, 0, 0, 10, 0, 0, 0.0, 0.0;
-- concentration: one account with 10x the rest of 2025-05-01's tool-call tokens
insert into core.fct_account_model_daily select date '2025-05-01', 'acct_whale', 'openai/gpt-4o', 'US',
    100, 0, 0, 10000000, 0, 0.0, 0.0, 100, 10000000;

-- marts
insert into marts.model_share_weekly values
    (date '2025-05-12', 'openai/gpt-4o', 'openai', 1, 1, 1, 2, 0.6, 20, false),
    (date '2025-05-12', 'anthropic/claude-sonnet-4', 'anthropic', 1, 1, 1, 2, 0.5, 20, false),  -- sum 1.1: 1 week
    (date '2025-05-19', 'openai/gpt-4o', 'openai', 1, 1, 1, 2, 1.2, 20, false),
    (date '2025-05-19', 'qwen/qwen3-coder', 'qwen', 1, 1, 1, 2, -0.2, 20, false),  -- out of [0, 1]: 2
    (date '2025-05-26', 'openai/gpt-4o', 'openai', 1, 1, 1, 2, 1.0, 3, false);     -- 3 accounts published: 1
insert into marts.author_share_weekly values
    (date '2025-05-12', 'openai', 1, 2, 0.6, 20, false), (date '2025-05-12', 'anthropic', 1, 2, 0.5, 20, false),
    (date '2025-05-19', 'openai', 1, 2, 1.2, 20, false), (date '2025-05-19', 'qwen', 1, 2, -0.2, 20, false),
    (date '2025-05-26', 'openai', 1, 2, 1.0, 3, false);
insert into marts.open_closed_weekly values
    (date '2025-05-12', 'proprietary', 1, 0.6), (date '2025-05-12', 'open_china', 1, 0.5),
    (date '2025-05-19', 'proprietary', 1, 1.2), (date '2025-05-19', 'open_china', 1, -0.2),
    (date '2025-05-26', 'open_mars', 1, 1.0);                                       -- unknown segment: 1
insert into marts.category_share_weekly values
    (date '2025-04-21', 'programming', 1, 1, 1.0, 1.0, 1.0, 1.0, 10, false),        -- before the first week: 1
    (date '2025-05-12', 'programming', 1, 1, 1.0, 0.6, 0.5, 0.7, 10, false),
    (date '2025-05-12', 'cooking', 1, 1, 1.0, 0.5, 0.4, 0.6, 10, false),            -- sum 1.1; not a category: 1
    (date '2025-05-19', 'roleplay', 1, 1, 1.0, 1.2, 1.1, 1.3, 10, false),
    (date '2025-05-19', 'trivia', 1, 1, 1.0, -0.2, -0.3, -0.1, 10, false),          -- out of [0, 1]: 2
    (date '2025-05-26', 'legal', 1, 1, 1.0, 0.7, 0.75, 0.8, 10, false),             -- ci misses share: 2
    (date '2025-05-26', 'health', 1, 1, 1.0, 0.3, 0.2, null, 10, false),
    (date '2025-06-02', 'finance', 1, 1, 1.0, 1.0, 0.9, 1.0, 4, false),             -- 4 accounts published: 1
    (date '2025-06-09', 'other', 1, 1, 1.0, 1.0, 0.9, 1.0, 1, true);                -- a suppressed row: fine
insert into marts.category_by_segment values
    (date '2025-04-21', 'author', 'openai', 'programming', 1, 1.0, 1.0, 1.0, 10),   -- before the first week: 1
    (date '2025-05-12', 'author', 'openai', 'cooking', 1, 1.0, 1.0, 1.0, 10),
    (date '2025-05-12', 'author', 'qwen', 'gardening', 1, 1.0, 1.0, 1.0, 10);       -- not a category: 2
insert into marts.geography_continent_weekly values
    (date '2025-05-12', 'Europe', 1.0, 0.6, 1, 0.7), (date '2025-05-12', 'Asia', 1.0, 0.5, 1, 0.3),   -- spend sum 1.1
    (date '2025-05-19', 'Europe', 1.0, 0.5, 1, 0.7), (date '2025-05-19', 'Asia', 1.0, 0.5, 1, 0.4),   -- token sum 1.1
    (date '2025-05-26', 'Europe', 1.0, 1.5, 1, 1.5), (date '2025-05-26', 'Asia', 1.0, -0.5, 1, -0.5); -- ranges: 2, 2
"""

# (suite, rule) -> unexpected count on the bad warehouse, window WINDOW_FIRST..WINDOW_LAST
EXPECTED_BAD: dict[tuple[str, str], int] = {
    ("core.fct_generations", "generation_id_not_null"): 1,
    ("core.fct_generations", "one_row_per_generation_id"): 2,
    ("core.fct_generations", "cached_le_input"): 3,
    ("core.fct_generations", "reasoning_le_output"): 2,
    ("core.fct_generations", "non_negative_input_tokens"): 1,
    ("core.fct_generations", "non_negative_output_tokens"): 1,
    ("core.fct_generations", "non_negative_reasoning_output_tokens"): 1,
    ("core.fct_generations", "non_negative_cache_read_input_tokens"): 1,
    ("core.fct_generations", "non_negative_total_tokens"): 1,
    ("core.fct_generations", "non_negative_cost_usd"): 1,
    ("core.fct_generations", "non_negative_latency_ms"): 1,
    ("core.fct_generations", "non_negative_generation_time_ms"): 1,
    ("core.fct_generations", "zero_cost_only_free_or_byok"): 2,
    ("core.fct_generations", "free_or_byok_cost_zero"): 3,
    ("core.fct_generations", "created_at_not_in_future"): 1,
    ("core.fct_generations", "created_at_inside_window"): 3,
    ("core.fct_classified_requests", "category_null_before_start"): 2,
    ("core.fct_classified_requests", "no_rows_before_start"): 3,
    ("core.fct_classified_requests", "category_in_taxonomy"): 2,
    ("core.fct_classified_requests", "category_mapped"): 2,
    ("core.fct_classified_requests", "confidence_ge_min"): 2,
    ("core.fct_classified_requests", "sample_share_per_day"): 2,
    ("core.fct_usage_daily", "token_coverage_per_day"): 1,
    ("core.fct_usage_daily", "unknown_dimension_members"): 2,
    ("core.fct_account_model_daily", "single_account_tool_call_share"): 1,
    ("marts.model_share_weekly", "token_share_sums_to_one"): 1,
    ("marts.model_share_weekly", "token_share_between_0_and_1"): 2,
    ("marts.model_share_weekly", "published_cells_have_k_accounts"): 1,
    ("marts.author_share_weekly", "token_share_sums_to_one"): 1,
    ("marts.author_share_weekly", "token_share_between_0_and_1"): 2,
    ("marts.author_share_weekly", "published_cells_have_k_accounts"): 1,
    ("marts.open_closed_weekly", "token_share_sums_to_one"): 1,
    ("marts.open_closed_weekly", "token_share_between_0_and_1"): 2,
    ("marts.open_closed_weekly", "segment_in_set"): 1,
    ("marts.category_share_weekly", "no_week_before_categories_start"): 1,
    ("marts.category_share_weekly", "category_in_taxonomy"): 1,
    ("marts.category_share_weekly", "token_share_sums_to_one"): 1,
    ("marts.category_share_weekly", "token_share_between_0_and_1"): 2,
    ("marts.category_share_weekly", "ci_contains_share"): 2,
    ("marts.category_share_weekly", "published_cells_have_k_accounts"): 1,
    ("marts.category_by_segment", "no_week_before_categories_start"): 1,
    ("marts.category_by_segment", "category_in_taxonomy"): 2,
    ("marts.geography_continent_weekly", "token_share_sums_to_one"): 1,
    ("marts.geography_continent_weekly", "spend_share_sums_to_one"): 1,
    ("marts.geography_continent_weekly", "token_share_between_0_and_1"): 2,
    ("marts.geography_continent_weekly", "spend_share_between_0_and_1"): 2,
    ("raw.generations", "columns_and_types_match_contract"): 2,
    ("raw.generations", "no_forbidden_text_columns"): 1,
    ("raw.classifications", "columns_and_types_match_contract"): 2,
    ("raw.classifications", "no_forbidden_text_columns"): 1,
    ("raw.accounts", "columns_and_types_match_contract"): 2,
    ("raw.accounts", "no_forbidden_text_columns"): 1,
}


def make_bad(warehouse_dir: Path) -> Path:
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse_dir / "warehouse.duckdb"))
    try:
        con.execute(_CORE_SQL)
        con.execute(_OUT_OF_WINDOW_SQL)
        con.execute(_BAD_SQL)
        con.execute(_AGGREGATES_SQL)
        con.execute(_MARTS_SQL)
        con.execute(_BAD_AFTER_AGGREGATES_SQL)
    finally:
        con.close()
    _write_raw(warehouse_dir, bad=True)
    return warehouse_dir


if __name__ == "__main__":  # build both for a look: python tests/quality/warehouse_fixtures.py /tmp/x
    import sys

    root = Path(sys.argv[1])
    make_clean(root / "clean")
    make_bad(root / "bad")
    print(dt.datetime.now(), "built", root)
