-- One row per quarantined raw row (any source), with the reason it broke the contract.
with

source as (

    select * from {{ source('raw', 'quarantine') }}

),

final as (

    select
        cast(source as string) as source,
        cast(partition_date as date) as partition_date,
        cast(file_name as string) as file_name,
        cast(row_number as bigint) as row_number,
        cast(reason as string) as reason,
        cast(record_json as string) as record_json
    from source

)

select * from final
