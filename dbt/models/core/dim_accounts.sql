{#-
    One row per account × billing-country period [valid_from, valid_to) (valid_to 9999-12-31
    while current), built from the daily account snapshots (gaps and islands on the country).
-#}
with

snapshots as (

    select * from {{ ref('stg_raw__accounts') }}

),

flagged as (

    select
        account_key,
        snapshot_date,
        billing_country,
        case
            when lag(snapshot_date) over (partition by account_key order by snapshot_date asc nulls last) is null then 1
            when coalesce(billing_country, '')
                <> coalesce(lag(billing_country) over (partition by account_key order by snapshot_date asc nulls last), '') then 1
            else 0
        end as is_change
    from snapshots

),

numbered as (

    select
        *,
        sum(is_change) over (
            partition by account_key order by snapshot_date asc nulls last rows between unbounded preceding and current row
        ) as period_number
    from flagged

),

periods as (

    select
        account_key,
        period_number,
        max(billing_country) as billing_country,
        min(snapshot_date) as valid_from
    from numbered
    group by account_key, period_number

),

final as (

    select
        account_key,
        billing_country,
        valid_from,
        coalesce(
            lead(valid_from) over (partition by account_key order by valid_from asc nulls last),
            cast('9999-12-31' as date)
        ) as valid_to,
        lead(valid_from) over (partition by account_key order by valid_from asc nulls last) is null as is_current,
        min(valid_from) over (partition by account_key) as first_seen_date
    from periods

)

select * from final
