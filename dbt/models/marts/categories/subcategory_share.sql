{#-
    One row per category × subcategory over the study window (from var('categories_start_date')):
    each subcategory's sample-weighted share of its category's tokens, with a normal-approximation
    interval (macro ratio_estimate; the unit is a request carrying the category). Subcategories
    with fewer than var('suppression_k') accounts are folded into `other` within their category.
-#}
with

labels as (

    select * from {{ ref('fct_classified_requests') }}
    where event_date >= cast('{{ var("categories_start_date") }}' as date)
        and {{ study_window_filter('event_date') }}

),

units as (

    select
        generation_id,
        account_key,
        category,
        subcategory,
        sample_weight,
        -- the request's tokens in its category (x) and in this label's subcategory (y)
        total_tokens * sum(label_weight) over (partition by generation_id, category) as x_tokens,
        total_tokens * label_weight as y_tokens
    from labels

),

suppressed as (

    {{ suppress_small_cells('units', ['category'], 'subcategory') }}

),

estimates as (

    {{ ratio_estimate('suppressed', ['category'], 'suppressed_subcategory', account_column='account_key') }}

),

final as (

    select
        category,
        suppressed_subcategory as subcategory,
        sample_rows as sample_labels,
        estimated_tokens,
        share as share_of_category,
        ci_low,
        ci_high,
        accounts,
        suppressed_subcategory = 'other' as is_other
    from estimates

)

select * from final
