{#-
    One row per generation × label. The file of day D holds labels of generations created on D,
    so `event_date` (the hive partition) is the generation's UTC date.
-#}
with

source as (

    select * from {{ source('raw', 'classifications') }}

),

final as (

    select
        cast(id as string) as generation_id,
        cast(date as date) as event_date,
        cast(classified_at as timestamp) as classified_at,
        cast(classifier_version as string) as classifier_version,
        cast(label_path as string) as label_path,
        cast(confidence as double) as confidence,
        cast(language as string) as language,
        cast(language_confidence as double) as language_confidence
    from source

)

select * from final
