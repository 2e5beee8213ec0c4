-- One row per billing country over the study window; countries with fewer than var('suppression_k') accounts are folded into `other`.
with

account_model_daily as (

    select * from {{ ref('fct_account_model_daily') }}
    where {{ study_window_filter('event_date') }}

),

countries as (

    select * from {{ ref('dim_countries') }}

),

account_countries as (

    select
        account_key,
        coalesce(billing_country, 'unknown') as country_code,
        sum(cost_usd) as spend_usd,
        sum(total_tokens) as total_tokens
    from account_model_daily
    group by 1, 2

),

suppressed as (

    {{ suppress_small_cells('account_countries', [], 'country_code') }}

),

cells as (

    select
        suppressed_country_code as country_code,
        is_other,
        sum(spend_usd) as spend_usd,
        cast(sum(total_tokens) as bigint) as total_tokens,
        count(distinct account_key) as accounts
    from suppressed
    group by 1, 2

),

final as (

    select
        cells.country_code,
        countries.country_name,
        countries.continent,
        cells.spend_usd,
        {{ share_of('cells.spend_usd') }} as spend_share,
        cells.total_tokens,
        {{ share_of('cells.total_tokens') }} as token_share,
        cells.accounts,
        cells.is_other
    from cells
    left join countries
        on cells.country_code = countries.country_code

)

select * from final
