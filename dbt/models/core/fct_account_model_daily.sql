{{ config(**incremental_by_date_config('event_date')) }}
{#-
    One row per day × account × model (× the account's billing country that day). Tool-call
    requests are those that ended with finish_reason = 'tool_calls' (the model called a tool).
-#}
with

generations as (

    select * from {{ ref('fct_generations') }}
    where {{ event_window_filter('event_date') }}

),

final as (

    select
        event_date,
        account_key,
        model_slug,
        billing_country,
        count(*) as requests,
        cast(sum(input_tokens) as bigint) as input_tokens,
        cast(sum(output_tokens) as bigint) as output_tokens,
        cast(sum(total_tokens) as bigint) as total_tokens,
        cast(sum(reasoning_output_tokens) as bigint) as reasoning_output_tokens,
        sum(cost_usd) as cost_usd,
        sum(case when is_byok then cost_usd else 0.0 end) as byok_cost_usd,
        count(case when finish_reason = 'tool_calls' then 1 end) as tool_call_requests,
        cast(sum(case when finish_reason = 'tool_calls' then total_tokens else 0 end) as bigint) as tool_call_tokens
    from generations
    group by event_date, account_key, model_slug, billing_country

)

select * from final
