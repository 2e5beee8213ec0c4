{#-
    One row per model × cohort month × months since. Cohort = the first month an account used the
    model; activity retention = share of the cohort active (any request) in month cohort + k, even
    after gaps. Cohorts (model × month) with fewer than var('suppression_k') accounts are pooled
    into model_slug `other` for that month.
-#}
with

monthly as (

    select * from {{ ref('fct_account_model_monthly') }}

),

first_months as (

    select
        account_key,
        model_slug,
        min(month_start) as cohort_month
    from monthly
    group by 1, 2

),

cohort_members as (

    select account_key, model_slug, cohort_month
    from first_months

),

suppressed as (

    {{ suppress_small_cells('cohort_members', ['cohort_month'], 'model_slug') }}

),

activity as (

    select
        suppressed.suppressed_model_slug as model_slug,
        suppressed.cohort_month,
        suppressed.is_other,
        suppressed.account_key,
        {{ dbt.datediff('suppressed.cohort_month', 'monthly.month_start', 'month') }} as months_since
    from suppressed
    inner join monthly
        on suppressed.account_key = monthly.account_key
        and suppressed.model_slug = monthly.model_slug

),

cohort_sizes as (

    select
        suppressed_model_slug as model_slug,
        cohort_month,
        count(distinct account_key) as cohort_accounts
    from suppressed
    group by 1, 2

),

active as (

    select
        model_slug,
        cohort_month,
        is_other,
        cast(months_since as bigint) as months_since,
        count(distinct account_key) as active_accounts
    from activity
    group by 1, 2, 3, 4

),

final as (

    select
        active.model_slug,
        active.cohort_month,
        active.months_since,
        cohort_sizes.cohort_accounts,
        active.active_accounts,
        cast(active.active_accounts as double) / nullif(cohort_sizes.cohort_accounts, 0) as retention,
        active.is_other
    from active
    inner join cohort_sizes
        on active.model_slug = cohort_sizes.model_slug
        and active.cohort_month = cohort_sizes.cohort_month

)

select * from final
