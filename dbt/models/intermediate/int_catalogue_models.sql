{#-
    One row per catalogue model (variant stripped, aliases dropped), from its latest snapshot;
    when a model only appears as variants (e.g. `:free`), the variant row stands in.
-#}
with

catalogue as (

    select * from {{ ref('stg_raw__model_catalog') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by model_slug
            order by snapshot_date desc nulls last, is_free_variant asc nulls last, catalogue_id asc nulls last
        ) as recency_rank,
        min(snapshot_date) over (partition by model_slug) as first_snapshot_date
    from catalogue
    where not is_alias

),

final as (

    select
        model_slug,
        canonical_slug,
        model_name,
        substr(model_slug, 1, position('/' in model_slug) - 1) as slug_author,
        hugging_face_id,
        hugging_face_id is not null as is_open_weights,
        -- total parameters from the name, else the Hugging Face id ("70B", "gpt-oss-120b",
        -- "8x22B" = 8 × 22); null when neither states it
        coalesce(
            {{ parse_params_b('model_name') }},
            {{ parse_params_b('hugging_face_id') }}
        ) as params_b,
        case
            when supports_reasoning and coalesce(reasoning_mandatory, false) then 'reasoning'
            when supports_reasoning then 'hybrid'
            else 'non_reasoning'
        end as reasoning_class,
        cast(created_at as date) as release_date,
        input_price_usd_per_mtok,
        output_price_usd_per_mtok,
        cache_read_price_usd_per_mtok,
        snapshot_date,
        first_snapshot_date
    from ranked
    where recency_rank = 1

)

select * from final
