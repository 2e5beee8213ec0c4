{#-
    Points of the price–usage map and the elasticity regression over the study window, BYOK
    excluded. One row per level × category × entity:
      level 'model'             category 'all', entity = model   (exact, fct_usage_daily; the
                                paid id only: a `:free` variant is an id of its own at $0)
      level 'category'          entity = category                (sample-weighted estimate)
      level 'model_in_category' entity = model within a category (sample-weighted estimate)
    `accounts` counts the distinct accounts behind the point (for 'model' every account that used
    the model: fct_account_model_daily has no BYOK split).
-#}
with

usage as (

    select * from {{ ref('fct_usage_daily') }}
    where {{ study_window_filter('event_date') }}

),

account_model as (

    select * from {{ ref('fct_account_model_daily') }}
    where {{ study_window_filter('event_date') }}

),

units as (

    select * from {{ ref('int_classified_units') }}
    where {{ study_window_filter('event_date') }}
        and not is_byok

),

models as (

    select
        model_slug,
        sum(total_tokens) as total_tokens,
        sum(cost_usd) as cost_usd
    from usage
    where not is_byok
        and not is_free_variant
    group by model_slug

),

model_accounts as (

    select model_slug, count(distinct account_key) as accounts
    from account_model
    group by model_slug

),

categories as (

    select
        category,
        sum(sample_weight * y_tokens) as total_tokens,
        sum(sample_weight * y_cost_usd) as cost_usd,
        count(distinct account_key) as accounts
    from units
    group by category

),

models_in_categories as (

    select
        category,
        model_slug,
        sum(sample_weight * y_tokens) as total_tokens,
        sum(sample_weight * y_cost_usd) as cost_usd,
        count(distinct account_key) as accounts
    from units
    group by category, model_slug

),

final as (

    select
        'model' as level,
        'all' as category,
        models.model_slug as entity,
        cast(models.total_tokens as double) as total_tokens,
        models.cost_usd,
        coalesce(model_accounts.accounts, 0) as accounts
    from models
    left join model_accounts
        on models.model_slug = model_accounts.model_slug

    union all

    select 'category' as level, category, category as entity, total_tokens, cost_usd, accounts
    from categories

    union all

    select 'model_in_category' as level, category, model_slug as entity, total_tokens, cost_usd, accounts
    from models_in_categories

)

select * from final
