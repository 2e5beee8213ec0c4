-- One row per week × size class of open-weight models (small < 15B ≤ medium < 70B ≤ large; unknown = undisclosed).
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
        coalesce(models.size_class, 'unknown') as size_class,
        cast(sum(usage.total_tokens) as bigint) as total_tokens
    from usage
    inner join models
        on usage.model_slug = models.model_slug
    where models.is_open_weights
    group by 1, 2

),

final as (

    select
        week_start,
        size_class,
        total_tokens,
        {{ share_of('total_tokens', ['week_start']) }} as oss_token_share
    from weekly

)

select * from final
