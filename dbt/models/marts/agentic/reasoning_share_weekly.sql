{#-
    One row per week. reasoning_model_token_share = tokens (input + output) served by
    reasoning-class models (reasoning or hybrid) over all tokens, the paper's definition;
    reasoning_tokens_share_of_output = reasoning tokens within output tokens, for contrast.
-#}
with

usage as (

    select * from {{ ref('fct_usage_daily') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

weekly as (

    select
        cast({{ dbt.date_trunc('week', 'usage.event_date') }} as date) as week_start,
        cast(sum(usage.total_tokens) as bigint) as total_tokens,
        cast(sum(case when models.is_reasoning_model then usage.total_tokens else 0 end) as bigint)
            as reasoning_model_tokens,
        cast(sum(usage.output_tokens) as bigint) as output_tokens,
        cast(sum(usage.reasoning_output_tokens) as bigint) as reasoning_output_tokens
    from usage
    left join models
        on usage.model_slug = models.model_slug
    group by 1

),

final as (

    select
        week_start,
        total_tokens,
        reasoning_model_tokens,
        cast(reasoning_model_tokens as double) / nullif(total_tokens, 0) as reasoning_model_token_share,
        output_tokens,
        reasoning_output_tokens,
        cast(reasoning_output_tokens as double) / nullif(output_tokens, 0) as reasoning_tokens_share_of_output
    from weekly

)

select * from final
