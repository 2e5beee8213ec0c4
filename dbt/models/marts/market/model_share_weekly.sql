-- One row per week × model; models used by fewer than var('suppression_k') accounts that week are folded into `other`.
with

account_model_daily as (

    select * from {{ ref('fct_account_model_daily') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

account_weeks as (

    select
        cast({{ dbt.date_trunc('week', 'event_date') }} as date) as week_start,
        account_key,
        model_slug,
        sum(requests) as requests,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(total_tokens) as total_tokens
    from account_model_daily
    group by 1, 2, 3

),

suppressed as (

    {{ suppress_small_cells('account_weeks', ['week_start'], 'model_slug') }}

),

cells as (

    select
        week_start,
        suppressed_model_slug as model_slug,
        is_other,
        cast(sum(requests) as bigint) as requests,
        cast(sum(input_tokens) as bigint) as input_tokens,
        cast(sum(output_tokens) as bigint) as output_tokens,
        cast(sum(total_tokens) as bigint) as total_tokens,
        count(distinct account_key) as accounts
    from suppressed
    group by 1, 2, 3

),

final as (

    select
        cells.week_start,
        cells.model_slug,
        models.author,
        cells.requests,
        cells.input_tokens,
        cells.output_tokens,
        cells.total_tokens,
        {{ share_of('cells.total_tokens', ['cells.week_start']) }} as token_share,
        cells.accounts,
        cells.is_other
    from cells
    left join models
        on cells.model_slug = models.model_slug

)

select * from final
