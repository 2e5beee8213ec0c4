{#-
    One row per week. Tool-call tokens = tokens of requests with finish_reason = 'tool_calls'.
    The `_excl_top` share leaves out the var('tool_call_excluded_top_accounts') accounts with the
    most tool-call tokens that week (the May-2025 spike came from one account).
-#}
with

account_model_daily as (

    select * from {{ ref('fct_account_model_daily') }}

),

account_weeks as (

    select
        cast({{ dbt.date_trunc('week', 'event_date') }} as date) as week_start,
        account_key,
        sum(total_tokens) as total_tokens,
        sum(tool_call_tokens) as tool_call_tokens,
        sum(requests) as requests,
        sum(tool_call_requests) as tool_call_requests
    from account_model_daily
    group by 1, 2

),

ranked as (

    select
        *,
        row_number() over (
            partition by week_start order by tool_call_tokens desc nulls last, account_key asc nulls last
        ) as tool_call_rank
    from account_weeks

),

weekly as (

    select
        week_start,
        cast(sum(total_tokens) as bigint) as total_tokens,
        cast(sum(tool_call_tokens) as bigint) as tool_call_tokens,
        cast(sum(requests) as bigint) as requests,
        cast(sum(tool_call_requests) as bigint) as tool_call_requests,
        count(case
            when tool_call_rank <= {{ var('tool_call_excluded_top_accounts') }} and tool_call_tokens > 0 then 1
        end) as excluded_top_accounts,
        sum(case
            when tool_call_rank > {{ var('tool_call_excluded_top_accounts') }} or tool_call_tokens = 0
                then total_tokens else 0
        end) as total_tokens_excl_top,
        sum(case
            when tool_call_rank > {{ var('tool_call_excluded_top_accounts') }} then tool_call_tokens else 0
        end) as tool_call_tokens_excl_top
    from ranked
    group by week_start

),

final as (

    select
        week_start,
        total_tokens,
        tool_call_tokens,
        cast(tool_call_tokens as double) / nullif(total_tokens, 0) as tool_call_token_share,
        requests,
        tool_call_requests,
        cast(tool_call_requests as double) / nullif(requests, 0) as tool_call_request_share,
        excluded_top_accounts,
        cast(tool_call_tokens_excl_top as double) / nullif(total_tokens_excl_top, 0)
            as tool_call_token_share_excl_top
    from weekly

)

select * from final
