-- One row per ranking day × public model permaslug (OpenRouter's top 50 plus the `other` row).
with

rankings as (

    select * from {{ ref('stg_raw__rankings_daily') }}

),

catalogue_models as (

    select * from {{ ref('int_catalogue_models') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

final as (

    select
        rankings.ranking_date,
        rankings.model_permaslug,
        catalogue_models.model_slug,
        models.author,
        rankings.total_tokens,
        {{ share_of('rankings.total_tokens', ['rankings.ranking_date']) }} as token_share,
        rankings.rank_in_day,
        rankings.is_other
    from rankings
    left join catalogue_models
        on rankings.canonical_slug = catalogue_models.canonical_slug
    left join models
        on catalogue_models.model_slug = models.model_slug

)

select * from final
