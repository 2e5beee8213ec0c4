{#-
    One row per level (model, category) × entity over the study window, BYOK excluded (and, for
    a model, its `:free` variant: int_price_points):
    effective price = cost_usd / total_tokens × 1e6 (what was paid, caching discounts included),
    and the quadrant around the level's medians of price and of usage (premium: both above;
    mass_market: cheaper, used more; specialist: dearer, used less; niche: both at or below).
    Entities with fewer than var('suppression_k') accounts are left out (their price would
    describe a few accounts).
-#}
with

points as (

    select * from {{ ref('int_price_points') }}
    where level in ('model', 'category')
        and accounts >= {{ var('suppression_k') }}
        and total_tokens > 0

),

models as (

    select * from {{ ref('dim_models') }}

),

priced as (

    select
        points.level,
        points.entity,
        case when points.level = 'model' then models.author end as author,
        case when points.level = 'model' then models.is_open_weights end as is_open_weights,
        points.total_tokens,
        points.cost_usd,
        points.cost_usd / nullif(points.total_tokens, 0) * 1000000 as effective_price_usd_per_mtok,
        log10(points.total_tokens) as log10_total_tokens,
        points.accounts
    from points
    left join models
        on points.entity = models.model_slug

),

medians as (

    select
        level,
        percentile_cont(0.5) within group (order by effective_price_usd_per_mtok) as median_price_usd_per_mtok,
        percentile_cont(0.5) within group (order by total_tokens) as median_total_tokens
    from priced
    group by level

),

final as (

    select
        priced.level,
        priced.entity,
        priced.author,
        priced.is_open_weights,
        priced.total_tokens,
        priced.cost_usd,
        priced.effective_price_usd_per_mtok,
        priced.log10_total_tokens,
        medians.median_price_usd_per_mtok,
        case
            when priced.effective_price_usd_per_mtok > medians.median_price_usd_per_mtok
                and priced.total_tokens > medians.median_total_tokens then 'premium'
            when priced.total_tokens > medians.median_total_tokens then 'mass_market'
            when priced.effective_price_usd_per_mtok > medians.median_price_usd_per_mtok then 'specialist'
            else 'niche'
        end as quadrant,
        priced.accounts
    from priced
    inner join medians
        on priced.level = medians.level

)

select * from final
