{#- Share of `value` within `partition_by` (a list; empty = the whole result), a double in [0, 1]. -#}
{% macro share_of(value, partition_by=[]) -%}
    cast({{ value }} as double) / nullif(sum({{ value }}) over (
        {%- if partition_by %} partition by {{ partition_by | join(', ') }}{% endif -%}
    ), 0)
{%- endmacro %}
