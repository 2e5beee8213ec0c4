{{ config(**incremental_by_date_config('event_date')) }}
{#-
    One row per generation, rebuilt by day over the window. billing_country is the account's
    country in that day's account snapshot (accounts active that day), so a day never reads
    other days.
-#}
with

generations as (

    select * from {{ ref('stg_raw__generations') }}
    where {{ event_window_filter('event_date') }}

),

accounts as (

    select * from {{ ref('stg_raw__accounts') }}
    where {{ event_window_filter('snapshot_date') }}

),

final as (

    select
        generations.generation_id,
        generations.created_at,
        generations.event_date,
        generations.account_key,
        generations.app_id,
        generations.model_slug,
        generations.model_variant,
        generations.is_free_variant,
        generations.provider_name,
        generations.is_byok,
        generations.is_streamed,
        generations.is_cancelled,
        generations.finish_reason,
        generations.native_finish_reason,
        generations.tools_offered,
        generations.input_tokens,
        generations.output_tokens,
        generations.total_tokens,
        generations.reasoning_output_tokens,
        generations.cache_read_input_tokens,
        generations.cost_usd,
        generations.cache_discount_usd,
        generations.latency_ms,
        generations.generation_time_ms,
        accounts.billing_country
    from generations
    left join accounts
        on generations.account_key = accounts.account_key
        and generations.event_date = accounts.snapshot_date

)

select * from final
