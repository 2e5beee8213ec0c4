{#-
    One row per generation. `event_date` is the hive partition `date`, which by the raw contract
    is the UTC date of `created_at`; filtering on it prunes files.
    No dedup here: the raw assets quarantine repeated ids within a day (`duplicate_id`) and the
    unique test below checks the whole history; a row_number guard cost a sort of every row on
    each full scan.
-#}
with

source as (

    select * from {{ source('raw', 'generations') }}

),

renamed as (

    select
        cast(id as string) as generation_id,
        cast(created_at as timestamp) as created_at,
        cast(date as date) as event_date,
        cast(account_id as string) as account_key,
        cast(app_id as string) as app_id,
        cast(model as string) as model,
        cast(provider_name as string) as provider_name,
        cast(is_byok as boolean) as is_byok,
        cast(streamed as boolean) as is_streamed,
        cast(cancelled as boolean) as is_cancelled,
        cast(finish_reason as string) as finish_reason,
        cast(native_finish_reason as string) as native_finish_reason,
        cast(tools_offered as bigint) as tools_offered,
        cast(tokens_prompt as bigint) as input_tokens,
        cast(tokens_completion as bigint) as output_tokens,
        cast(native_tokens_reasoning as bigint) as reasoning_output_tokens,
        cast(native_tokens_cached as bigint) as cache_read_input_tokens,
        cast(total_cost as double) as cost_usd,
        cast(cache_discount as double) as cache_discount_usd,
        cast(latency as double) as latency_ms,
        cast(generation_time as double) as generation_time_ms
    from source

),

with_model as (

    select
        *,
        case
            when position(':' in model) > 0 then substr(model, 1, position(':' in model) - 1)
            else model
        end as model_slug,
        case
            when position(':' in model) > 0 then substr(model, position(':' in model) + 1)
        end as model_variant
    from renamed

),

final as (

    select
        generation_id,
        created_at,
        event_date,
        account_key,
        app_id,
        model_slug,
        model_variant,
        coalesce(model_variant = 'free', false) as is_free_variant,
        provider_name,
        is_byok,
        is_streamed,
        is_cancelled,
        finish_reason,
        native_finish_reason,
        tools_offered,
        input_tokens,
        output_tokens,
        input_tokens + output_tokens as total_tokens,
        reasoning_output_tokens,
        cache_read_input_tokens,
        cost_usd,
        cache_discount_usd,
        latency_ms,
        generation_time_ms
    from with_model

)

select * from final
