{#-
    One row per classified request × category: the unit of the sample-weighted estimators
    (macro ratio_estimate). x_tokens = the request's tokens, y_tokens = its tokens in this category
    (tokens × summed label weights), with the same split for cost.
-#}
with

classified as (

    select * from {{ ref('fct_classified_requests') }}

),

models as (

    select * from {{ ref('dim_models') }}

),

per_category as (

    select
        generation_id,
        event_date,
        account_key,
        model_slug,
        category,
        is_byok,
        max(language) as language,
        max(sample_weight) as sample_weight,
        sum(label_weight) as category_weight,
        max(input_tokens) as input_tokens,
        max(output_tokens) as output_tokens,
        max(total_tokens) as total_tokens,
        max(cost_usd) as cost_usd
    from classified
    group by generation_id, event_date, account_key, model_slug, category, is_byok

),

final as (

    select
        per_category.generation_id,
        per_category.event_date,
        cast({{ dbt.date_trunc('week', 'per_category.event_date') }} as date) as week_start,
        per_category.account_key,
        per_category.model_slug,
        coalesce(models.author, 'unknown') as author,
        coalesce(models.segment, 'unknown') as segment,
        case
            when models.is_open_weights then 'open_weights'
            when models.is_open_weights = false then 'proprietary'
            else 'unknown'
        end as openness,
        per_category.category,
        per_category.is_byok,
        coalesce(per_category.language, 'und') as language,
        per_category.sample_weight,
        per_category.category_weight,
        per_category.input_tokens,
        per_category.output_tokens,
        per_category.total_tokens,
        cast(per_category.total_tokens as double) as x_tokens,
        per_category.total_tokens * per_category.category_weight as y_tokens,
        per_category.cost_usd * per_category.category_weight as y_cost_usd
    from per_category
    left join models
        on per_category.model_slug = models.model_slug

)

select * from final
