-- One row per week × continent of the billing country (unknown = no country on record): spend and tokens with their shares.
with

usage as (

    select * from {{ ref('fct_usage_daily') }}

),

countries as (

    select * from {{ ref('dim_countries') }}

),

weekly as (

    select
        cast({{ dbt.date_trunc('week', 'usage.event_date') }} as date) as week_start,
        coalesce(countries.continent, 'unknown') as continent,
        sum(usage.cost_usd) as spend_usd,
        cast(sum(usage.total_tokens) as bigint) as total_tokens
    from usage
    left join countries
        on usage.billing_country = countries.country_code
    group by 1, 2

),

final as (

    select
        week_start,
        continent,
        spend_usd,
        {{ share_of('spend_usd', ['week_start']) }} as spend_share,
        total_tokens,
        {{ share_of('total_tokens', ['week_start']) }} as token_share
    from weekly

)

select * from final
