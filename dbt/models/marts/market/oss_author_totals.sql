-- One row per open-weight author over the study window; authors with fewer than var('suppression_k') accounts are folded into `other`.
with

account_model_daily as (

    select * from {{ ref('fct_account_model_daily') }}
    where {{ study_window_filter('event_date') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

account_authors as (

    select
        account_model_daily.account_key,
        models.author,
        sum(account_model_daily.total_tokens) as total_tokens
    from account_model_daily
    inner join models
        on account_model_daily.model_slug = models.model_slug
    where models.is_open_weights
    group by 1, 2

),

suppressed as (

    {{ suppress_small_cells('account_authors', [], 'author') }}

),

cells as (

    select
        suppressed_author as author,
        is_other,
        cast(sum(total_tokens) as bigint) as total_tokens,
        count(distinct account_key) as accounts
    from suppressed
    group by 1, 2

),

final as (

    select
        author,
        total_tokens,
        total_tokens / 1e12 as total_tokens_trillions,
        {{ share_of('total_tokens') }} as oss_token_share,
        case
            when not is_other then rank() over (partition by is_other order by total_tokens desc nulls last)
        end as rank,
        accounts,
        is_other
    from cells

)

select * from final
