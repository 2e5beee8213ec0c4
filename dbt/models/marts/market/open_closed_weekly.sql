-- One row per week × segment (proprietary, open_china, open_rest_of_world; unknown = model not in dim_models).
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
        coalesce(models.segment, 'unknown') as segment,
        cast(sum(usage.total_tokens) as bigint) as total_tokens
    from usage
    left join models
        on usage.model_slug = models.model_slug
    group by 1, 2

),

final as (

    select
        week_start,
        segment,
        total_tokens,
        {{ share_of('total_tokens', ['week_start']) }} as token_share
    from weekly

)

select * from final
