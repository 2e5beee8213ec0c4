-- One row per ranking day × public model permaslug (top 50 plus one `other` row per day).
with

source as (

    select * from {{ source('raw', 'rankings_daily') }}

),

renamed as (

    select
        cast(date as date) as ranking_date,
        cast(model_permaslug as string) as model_permaslug,
        cast(total_tokens as bigint) as total_tokens,
        cast(is_other as boolean) as is_other,
        cast(rank_in_day as bigint) as rank_in_day
    from source

),

final as (

    select
        *,
        case
            when position(':' in model_permaslug) > 0
                then substr(model_permaslug, 1, position(':' in model_permaslug) - 1)
            else model_permaslug
        end as canonical_slug,
        case
            when position(':' in model_permaslug) > 0
                then substr(model_permaslug, position(':' in model_permaslug) + 1)
        end as model_variant
    from renamed

)

select * from final
