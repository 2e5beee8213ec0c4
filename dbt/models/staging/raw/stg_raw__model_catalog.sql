{#-
    One row per catalogue entry × snapshot. Prices arrive in USD per token and leave in USD per
    million tokens. `model_slug` is the catalogue id without its `:variant`, the warehouse's model
    key; `canonical_slug` joins to the rankings' permaslug.
-#}
with

source as (

    select * from {{ source('raw', 'model_catalog') }}

),

renamed as (

    select
        cast(id as string) as catalogue_id,
        cast(canonical_slug as string) as canonical_slug,
        nullif(trim(cast(hugging_face_id as string)), '') as hugging_face_id,
        cast(name as string) as model_name,
        cast(replace(substr(cast(created_utc as string), 1, 19), 'T', ' ') as timestamp) as created_at,
        cast(context_length as bigint) as context_length,
        cast(price_prompt as double) * 1000000 as input_price_usd_per_mtok,
        cast(price_completion as double) * 1000000 as output_price_usd_per_mtok,
        cast(price_input_cache_read as double) * 1000000 as cache_read_price_usd_per_mtok,
        cast(supports_reasoning as boolean) as supports_reasoning,
        cast(supports_tools as boolean) as supports_tools,
        cast(reasoning_mandatory as boolean) as reasoning_mandatory,
        cast(is_free_variant as boolean) as is_free_variant,
        cast(snapshot_date as date) as snapshot_date
    from source

),

final as (

    select
        *,
        case
            when position(':' in catalogue_id) > 0
                then substr(catalogue_id, 1, position(':' in catalogue_id) - 1)
            else catalogue_id
        end as model_slug,
        -- `~author/x-latest` entries are aliases that route to another model
        substr(catalogue_id, 1, 1) = '~' as is_alias
    from renamed

)

select * from final
