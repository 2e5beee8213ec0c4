{#-
    The daily window [WAREHOUSE_MIN_DATE, WAREHOUSE_MAX_DATE): min inclusive, max exclusive
    (Dagster's partition end is the next day's midnight). Read with env_var() so partial parsing
    stays valid; the defaults cover all history. This is the only place that reads them.
-#}
{% macro event_window_min() -%}
    {{ return(env_var('WAREHOUSE_MIN_DATE', '1900-01-01')[:10]) }}
{%- endmacro %}

{% macro event_window_max() -%}
    {{ return(env_var('WAREHOUSE_MAX_DATE', '2999-12-31')[:10]) }}
{%- endmacro %}

{#- `column` within the window; on a hive partition column this prunes files. -#}
{% macro event_window_filter(column='event_date') -%}
    {{ column }} >= cast('{{ event_window_min() }}' as date)
    and {{ column }} < cast('{{ event_window_max() }}' as date)
{%- endmacro %}

{#- Whole months touched by the window: [month of min, month after the month of max - 1 day). -#}
{% macro month_window_filter(column) -%}
    {{ column }} >= cast({{ dbt.date_trunc('month', "cast('" ~ event_window_min() ~ "' as date)") }} as date)
    and {{ column }} < cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', "cast(" ~ dbt.dateadd('day', -1, "cast('" ~ event_window_max() ~ "' as date)") ~ " as date)")) }} as date)
{%- endmacro %}

{#-
    Config of a fact that is rebuilt by day (or by month). DuckDB: a pre-hook deletes exactly
    the window's rows, then the new rows are appended, so a day that now has fewer rows (or none)
    is still replaced whole. Spark: insert_overwrite of the date partitions, parquet.
    Usage: {{ config(**incremental_by_date_config('event_date')) }}
-#}
{% macro incremental_by_date_config(date_column='event_date', grain='day') -%}
    {%- if target.type == 'spark' -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'insert_overwrite',
            'partition_by': [date_column],
            'file_format': 'parquet',
        }) }}
    {%- else -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'append',
            'pre_hook': ["{{ delete_event_window('" ~ date_column ~ "', '" ~ grain ~ "') }}"],
        }) }}
    {%- endif -%}
{%- endmacro %}

{% macro delete_event_window(date_column, grain='day') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where
        {%- if grain == 'month' %} {{ month_window_filter(date_column) }}
        {%- else %} {{ event_window_filter(date_column) }}
        {%- endif %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- The paper's model-level window (vars study_start_date / study_end_date, both inclusive). -#}
{% macro study_window_filter(column='event_date') -%}
    {{ column }} >= cast('{{ var("study_start_date") }}' as date)
    and {{ column }} <= cast('{{ var("study_end_date") }}' as date)
{%- endmacro %}
