{#-
    One row per week × category, from the week of var('categories_start_date'): sample-weighted
    ratio estimate of each category's share of tokens (Σ sample_weight × label_weight ×
    total_tokens over the week's total), with a normal-approximation interval (macro
    ratio_estimate). Categories with fewer than var('suppression_k') accounts in the sample that
    week are folded into `other` before estimating, so `other` has its own interval.
-#}
with

units as (

    select * from {{ ref('int_classified_units') }}
    where event_date >= cast('{{ var("categories_start_date") }}' as date)

),

suppressed as (

    {{ suppress_small_cells('units', ['week_start'], 'category') }}

),

estimates as (

    {{ ratio_estimate('suppressed', ['week_start'], 'suppressed_category',
        account_column='account_key', count_weight='category_weight') }}

),

final as (

    select
        week_start,
        suppressed_category as category,
        sample_requests,
        estimated_requests as category_requests,
        estimated_tokens,
        share as token_share,
        ci_low,
        ci_high,
        accounts,
        suppressed_category = 'other' as is_other
    from estimates

)

select * from final
