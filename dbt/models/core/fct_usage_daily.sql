{{ config(**incremental_by_date_config('event_date')) }}
-- One row per day × model × provider × billing country × finish reason × BYOK × free variant.
with

generations as (

    select * from {{ ref('fct_generations') }}
    where {{ event_window_filter('event_date') }}

),

final as (

    select
        event_date,
        model_slug,
        provider_name,
        billing_country,
        finish_reason,
        is_byok,
        is_free_variant,
        count(*) as requests,
        cast(sum(input_tokens) as bigint) as input_tokens,
        cast(sum(output_tokens) as bigint) as output_tokens,
        cast(sum(total_tokens) as bigint) as total_tokens,
        cast(sum(reasoning_output_tokens) as bigint) as reasoning_output_tokens,
        cast(sum(cache_read_input_tokens) as bigint) as cache_read_input_tokens,
        sum(cost_usd) as cost_usd,
        sum(cache_discount_usd) as cache_discount_usd
    from generations
    group by event_date, model_slug, provider_name, billing_country, finish_reason, is_byok, is_free_variant

)

select * from final
