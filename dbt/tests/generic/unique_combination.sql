{#- Rows are unique on the combination of `columns` (what dbt_utils offers; hub packages cannot be fetched here.). -#}
{% test unique_combination_of_columns(model, columns) %}

select {{ columns | join(', ') }}, count(*) as duplicates
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
