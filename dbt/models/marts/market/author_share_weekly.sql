-- One row per week × author; authors used by fewer than var('suppression_k') accounts that week are folded into `other`.
with

account_model_daily as (

    select * from {{ ref('fct_account_model_daily') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

account_weeks as (

    select
        cast({{ dbt.date_trunc('week', 'account_model_daily.event_date') }} as date) as week_start,
        account_model_daily.account_key,
        coalesce(models.author, 'unknown') as author,
        sum(account_model_daily.requests) as requests,
        sum(account_model_daily.total_tokens) as total_tokens
    from account_model_daily
    left join models
        on account_model_daily.model_slug = models.model_slug
    group by 1, 2, 3

),

suppressed as (

    {{ suppress_small_cells('account_weeks', ['week_start'], 'author') }}

),

cells as (

    select
        week_start,
        suppressed_author as author,
        is_other,
        cast(sum(requests) as bigint) as requests,
        cast(sum(total_tokens) as bigint) as total_tokens,
        count(distinct account_key) as accounts
    from suppressed
    group by 1, 2, 3

),

final as (

    select
        week_start,
        author,
        requests,
        total_tokens,
        {{ share_of('total_tokens', ['week_start']) }} as token_share,
        accounts,
        is_other
    from cells

)

select * from final
