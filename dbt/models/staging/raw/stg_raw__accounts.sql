-- One row per account × snapshot day (accounts active that day).
with

source as (

    select * from {{ source('raw', 'accounts') }}

),

final as (

    select
        cast(account_id as string) as account_key,
        cast(date as date) as snapshot_date,
        upper(cast(billing_country as string)) as billing_country,
        cast(created_at as timestamp) as account_created_at
    from source

)

select * from final
