{#-
    One row per category (and `all`): OLS of log10(total tokens) on log10(effective price) across
    the models of the category (BYOK excluded, study window, models with at least
    var('suppression_k') accounts and a positive price). elasticity = slope: a 10% price cut goes
    with about elasticity × 10% more tokens.
-#}
with

points as (

    select * from {{ ref('int_price_points') }}
    where level in ('model', 'model_in_category')
        and accounts >= {{ var('suppression_k') }}
        and total_tokens > 0
        and cost_usd > 0

),

logs as (

    select
        category,
        log10(cost_usd / nullif(total_tokens, 0) * 1000000) as x,
        log10(total_tokens) as y
    from points

),

sums as (

    select
        category,
        count(*) as models,
        sum(x) as sx,
        sum(y) as sy,
        sum(x * x) as sxx,
        sum(y * y) as syy,
        sum(x * y) as sxy
    from logs
    group by category

),

fitted as (

    select
        category,
        models,
        (models * sxy - sx * sy) / nullif(models * sxx - sx * sx, 0) as elasticity,
        sx,
        sy,
        power(models * sxy - sx * sy, 2)
            / nullif((models * sxx - sx * sx) * (models * syy - sy * sy), 0) as r_squared
    from sums

),

final as (

    select
        category,
        models,
        elasticity,
        (sy - elasticity * sx) / nullif(models, 0) as intercept,
        r_squared
    from fitted

)

select * from final
