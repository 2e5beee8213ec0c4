{{ config(**incremental_by_date_config('event_date')) }}
{#-
    One row per classified generation × label (the ~0.25% sample, from 2025-05-01).
    label_weight = 1 / labels of the request, so a request counts once across its labels;
    sample_weight = requests that day / classified requests that day, so weighted sums
    estimate the whole day. Labels outside category_map get category 'unmapped'.
-#}
with

labels as (

    select * from {{ ref('stg_raw__classifications') }}
    where {{ event_window_filter('event_date') }}

),

generations as (

    select * from {{ ref('fct_generations') }}
    where {{ event_window_filter('event_date') }}

),

category_map as (

    select * from {{ ref('category_map') }}

),

daily_requests as (

    select event_date, count(*) as requests
    from generations
    group by event_date

),

classified as (

    select
        labels.generation_id,
        labels.event_date,
        labels.label_path,
        labels.confidence,
        labels.language,
        labels.language_confidence,
        generations.account_key,
        generations.model_slug,
        generations.input_tokens,
        generations.output_tokens,
        generations.total_tokens,
        generations.cost_usd,
        generations.is_byok
    from labels
    inner join generations
        on labels.generation_id = generations.generation_id
        and labels.event_date = generations.event_date

),

daily_classified as (

    select event_date, count(distinct generation_id) as classified_requests
    from classified
    group by event_date

),

final as (

    select
        classified.generation_id,
        classified.event_date,
        classified.account_key,
        classified.model_slug,
        classified.label_path,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.subcategory, 'unmapped') as subcategory,
        classified.confidence,
        cast(1 as double) / count(*) over (partition by classified.generation_id) as label_weight,
        classified.language,
        classified.language_confidence,
        classified.input_tokens,
        classified.output_tokens,
        classified.total_tokens,
        classified.cost_usd,
        classified.is_byok,
        cast(daily_requests.requests as double)
            / nullif(daily_classified.classified_requests, 0) as sample_weight
    from classified
    inner join daily_requests
        on classified.event_date = daily_requests.event_date
    inner join daily_classified
        on classified.event_date = daily_classified.event_date
    left join category_map
        on classified.label_path = category_map.label_path

)

select * from final
