{#-
    One row per week × dimension (model, author, provider, account): HHI (sum of squared token
    shares) and top-k shares. No single account's share is published (top1_share is null there).
-#}
with

usage as (

    select * from {{ ref('fct_usage_daily') }}

),

account_model_daily as (

    select * from {{ ref('fct_account_model_daily') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

usage_weekly as (

    select
        cast({{ dbt.date_trunc('week', 'usage.event_date') }} as date) as week_start,
        usage.model_slug,
        coalesce(models.author, 'unknown') as author,
        coalesce(usage.provider_name, 'unknown') as provider_name,
        usage.total_tokens
    from usage
    left join models
        on usage.model_slug = models.model_slug

),

entity_tokens as (

    select week_start, 'model' as dimension, model_slug as entity, sum(total_tokens) as total_tokens
    from usage_weekly
    group by 1, 2, 3

    union all

    select week_start, 'author' as dimension, author as entity, sum(total_tokens) as total_tokens
    from usage_weekly
    group by 1, 2, 3

    union all

    select week_start, 'provider' as dimension, provider_name as entity, sum(total_tokens) as total_tokens
    from usage_weekly
    group by 1, 2, 3

    union all

    select
        cast({{ dbt.date_trunc('week', 'event_date') }} as date) as week_start,
        'account' as dimension,
        account_key as entity,
        sum(total_tokens) as total_tokens
    from account_model_daily
    group by 1, 2, 3

),

shares as (

    select
        week_start,
        dimension,
        entity,
        {{ share_of('total_tokens', ['week_start', 'dimension']) }} as share,
        row_number() over (
            partition by week_start, dimension order by total_tokens desc nulls last, entity asc nulls last
        ) as entity_rank
    from entity_tokens

),

final as (

    select
        week_start,
        dimension,
        count(*) as entities,
        sum(share * share) as hhi,
        case when dimension = 'account' then null else max(share) end as top1_share,
        sum(case when entity_rank <= 10 then share else 0.0 end) as top10_share
    from shares
    group by week_start, dimension

)

select * from final
