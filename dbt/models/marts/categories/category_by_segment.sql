{#-
    One row per week × segment_type × segment × category (from the week of
    var('categories_start_date')), sample-weighted: segment_type `author` (model author),
    `openness` (open_weights | proprietary) or `origin` (dim_models.segment: proprietary |
    open_china | open_rest_of_world). share_of_segment = the category's share of the segment's
    tokens; share_of_category = the segment's share of the category's tokens. Segments with fewer
    than var('suppression_k') accounts in a week × category cell are folded into `other`.
-#}
with

units as (

    select * from {{ ref('int_classified_units') }}
    where event_date >= cast('{{ var("categories_start_date") }}' as date)

),

segmented as (

    {% for segment_type, column in [('author', 'author'), ('openness', 'openness'), ('origin', 'segment')] %}
    select
        week_start,
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

    {{ suppress_small_cells('segmented', ['week_start', 'segment_type', 'category'], 'segment') }}

),

cells as (

    select
        week_start,
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
        week_start,
        segment_type,
        segment,
        category,
        sample_requests,
        estimated_tokens,
        {{ share_of('estimated_tokens', ['week_start', 'segment_type', 'segment']) }} as share_of_segment,
        {{ share_of('estimated_tokens', ['week_start', 'segment_type', 'category']) }} as share_of_category,
        accounts,
        is_other
    from cells

)

select * from final
