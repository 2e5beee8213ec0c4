{#-
    category_by_segment at a grain ('week' or 'month'): one row per {grain}_start × segment_type ×
    segment × category, sample-weighted, with small-cell suppression applied at that grain.
    The two marts (category_by_segment, category_by_segment_monthly) differ only in the grain.
-#}
{% macro category_by_segment(grain) -%}
with

units as (

    select * from {{ ref('int_classified_units') }}
    where event_date >= cast('{{ var("categories_start_date") }}' as date)

),

segmented as (

    {% for segment_type, column in [('author', 'author'), ('openness', 'openness'), ('origin', 'segment')] %}
    select
        cast({{ dbt.date_trunc(grain, 'event_date') }} as date) as {{ grain }}_start,
        '{{ segment_type }}' as segment_type,
        {{ column }} as segment,
        category,
        generation_id,
        account_key,
        sample_weight * y_tokens as weighted_tokens
    from units
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

suppressed as (

    {{ suppress_small_cells('segmented', [grain ~ '_start', 'segment_type', 'category'], 'segment') }}

),

cells as (

    select
        {{ grain }}_start,
        segment_type,
        suppressed_segment as segment,
        category,
        is_other,
        count(distinct generation_id) as sample_requests,
        sum(weighted_tokens) as estimated_tokens,
        count(distinct account_key) as accounts
    from suppressed
    group by 1, 2, 3, 4, 5

),

final as (

    select
        {{ grain }}_start,
        segment_type,
        segment,
        category,
        sample_requests,
        estimated_tokens,
        {{ share_of('estimated_tokens', [grain ~ '_start', 'segment_type', 'segment']) }} as share_of_segment,
        {{ share_of('estimated_tokens', [grain ~ '_start', 'segment_type', 'category']) }} as share_of_category,
        accounts,
        is_other
    from cells

)

select * from final
{%- endmacro %}
