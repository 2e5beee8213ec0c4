{{ config(**incremental_by_date_config('month_start', grain='month')) }}
{#-
    One row per month × account × model. Rebuilt by whole month: every month the window touches
    is deleted and re-aggregated from fct_account_model_daily, so a day costs at most a month.
-#}
with

daily as (

    select * from {{ ref('fct_account_model_daily') }}
    where {{ month_window_filter('event_date') }}

),

final as (

    select
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as month_start,
        account_key,
        model_slug,
        cast(sum(requests) as bigint) as requests,
        cast(sum(total_tokens) as bigint) as total_tokens
    from daily
    group by 1, 2, 3

)

select * from final
