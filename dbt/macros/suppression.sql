{#-
    Small-cell suppression. Rows of `relation` (account-level: one account per row) whose cell
    (`partition_by` + `entity`) has fewer than var('suppression_k') distinct accounts get
    `suppressed_<entity>` = 'other' and `is_other` = true; the caller then aggregates by
    `suppressed_<entity>` and recounts distinct accounts, so the `other` row is a real cell.
    Returns a select statement (use it as a CTE body).
-#}
{% macro suppress_small_cells(relation, partition_by, entity, account_column='account_key') -%}
    {%- set cell = partition_by + [entity] -%}
    select
        rows_.*,
        case
            when cells_.cell_accounts < {{ var('suppression_k') }} then 'other'
            else cast(rows_.{{ entity }} as string)
        end as suppressed_{{ entity }},
        cells_.cell_accounts < {{ var('suppression_k') }} as is_other
    from {{ relation }} as rows_
    inner join (
        select
            {% for column in cell %}{{ column }}, {% endfor %}
            count(distinct {{ account_column }}) as cell_accounts
        from {{ relation }}
        group by {% for column in cell %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    ) as cells_
        on {% for column in cell %}rows_.{{ column }} = cells_.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
{%- endmacro %}
