{#-
    One row per model: the study's seed models, plus catalogue models not in the seed with
    attributes derived from the catalogue. The derived rules (origin region, segment, size class,
    reasoning flag) live here and nowhere else.
-#}
with

seed_models as (

    select * from {{ ref('model_attributes') }}

),

catalogue_models as (

    select * from {{ ref('int_catalogue_models') }}

),

author_countries as (

    select * from {{ ref('author_countries') }}

),

-- the seed's spelling of an author, so catalogue-only models group with the seed's models
seed_authors as (

    select
        substr(model_slug, 1, position('/' in model_slug) - 1) as slug_author,
        min(author) as author
    from seed_models
    group by 1

),

from_seed as (

    select
        seed_models.model_slug,
        seed_models.model_name,
        seed_models.author,
        seed_models.is_open_weights,
        seed_models.origin_country,
        seed_models.params_b,
        seed_models.reasoning_class,
        seed_models.release_date,
        seed_models.input_price_usd_per_mtok,
        seed_models.output_price_usd_per_mtok,
        seed_models.source,
        true as is_study_model
    from seed_models

),

from_catalogue as (

    select
        catalogue_models.model_slug,
        catalogue_models.model_name,
        coalesce(seed_authors.author, catalogue_models.slug_author) as author,
        catalogue_models.is_open_weights,
        cast(null as string) as origin_country,
        catalogue_models.params_b,
        catalogue_models.reasoning_class,
        catalogue_models.release_date,
        catalogue_models.input_price_usd_per_mtok,
        catalogue_models.output_price_usd_per_mtok,
        'openrouter_catalogue' as source,
        false as is_study_model
    from catalogue_models
    left join seed_authors
        on catalogue_models.slug_author = seed_authors.slug_author
    where catalogue_models.model_slug not in (select model_slug from seed_models)

),

unioned as (

    select * from from_seed
    union all
    select * from from_catalogue

),

final as (

    select
        unioned.model_slug,
        unioned.model_name,
        unioned.author,
        unioned.is_open_weights,
        coalesce(author_countries.country_code, unioned.origin_country) as origin_country,
        unioned.params_b,
        unioned.reasoning_class,
        unioned.release_date,
        unioned.input_price_usd_per_mtok,
        unioned.output_price_usd_per_mtok,
        unioned.source,
        unioned.is_study_model,
        case
            when coalesce(author_countries.country_code, unioned.origin_country) in ('CN', 'TW', 'HK')
                then 'china'
            else 'rest_of_world'
        end as origin_region,
        case
            when not unioned.is_open_weights then 'proprietary'
            when coalesce(author_countries.country_code, unioned.origin_country) in ('CN', 'TW', 'HK')
                then 'open_china'
            else 'open_rest_of_world'
        end as segment,
        case
            when not unioned.is_open_weights then null
            when unioned.params_b is null then 'unknown'
            when unioned.params_b < 15 then 'small'
            when unioned.params_b < 70 then 'medium'
            else 'large'
        end as size_class,
        unioned.reasoning_class in ('reasoning', 'hybrid') as is_reasoning_model,
        catalogue_models.input_price_usd_per_mtok as catalogue_input_price_usd_per_mtok,
        catalogue_models.output_price_usd_per_mtok as catalogue_output_price_usd_per_mtok,
        catalogue_models.cache_read_price_usd_per_mtok as catalogue_cache_read_price_usd_per_mtok,
        catalogue_models.snapshot_date as catalogue_snapshot_date
    from unioned
    left join author_countries
        on unioned.author = author_countries.author
    left join catalogue_models
        on unioned.model_slug = catalogue_models.model_slug

)

select * from final
