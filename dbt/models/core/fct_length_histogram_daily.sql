{{ config(**incremental_by_date_config('event_date')) }}
{#-
    One row per day × measure (input, output, sequence = input + output) × log-scale bucket
    (macro token_bucket): exact request counts, from which request_shape_weekly reads
    percentiles without touching fct_generations.
-#}
with

generations as (

    select * from {{ ref('fct_generations') }}
    where {{ event_window_filter('event_date') }}

),

measures as (

    select event_date, 'input' as measure, {{ token_bucket('input_tokens') }} as bucket from generations
    union all
    select event_date, 'output' as measure, {{ token_bucket('output_tokens') }} as bucket from generations
    union all
    select event_date, 'sequence' as measure, {{ token_bucket('total_tokens') }} as bucket from generations

),

final as (

    select
        event_date,
        measure,
        bucket,
        {{ token_bucket_lower('bucket') }} as bucket_lower_tokens,
        {{ token_bucket_upper('bucket') }} as bucket_upper_tokens,
        count(*) as requests
    from measures
    group by event_date, measure, bucket

)

select * from final
