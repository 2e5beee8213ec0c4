-- One row per calendar day from the first partition to var('calendar_end_date').
with

spine as (

    {{ dbt.date_spine('day', "cast('" ~ var('study_start_date') ~ "' as date)", "cast('" ~ var('calendar_end_date') ~ "' as date)") }}

),

final as (

    select
        cast(date_day as date) as date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast(year(date_day) as bigint) as year,
        cast(date_day as date) >= cast('{{ var("study_start_date") }}' as date)
            and cast(date_day as date) <= cast('{{ var("study_end_date") }}' as date) as is_study_window
    from spine

)

select * from final
