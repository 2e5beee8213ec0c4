{#-
    One row per language over the study window (from var('categories_start_date')): each
    language's sample-weighted share of tokens with a normal-approximation interval (macro
    ratio_estimate; one language per request). Languages with fewer than var('suppression_k')
    accounts are folded into `other`.
-#}
with

units as (

    select * from {{ ref('int_classified_units') }}
    where event_date >= cast('{{ var("categories_start_date") }}' as date)
        and {{ study_window_filter('event_date') }}

),

requests as (

    select
        generation_id,
        account_key,
        max(language) as language,
        max(sample_weight) as sample_weight,
        max(x_tokens) as x_tokens,
        max(x_tokens) as y_tokens
    from units
    group by generation_id, account_key

),

suppressed as (

    {{ suppress_small_cells('requests', [], 'language') }}

),

estimates as (

    {{ ratio_estimate('suppressed', [], 'suppressed_language', account_column='account_key') }}

),

final as (

    select
        suppressed_language as language,
        sample_requests,
        estimated_tokens,
        share as token_share,
        ci_low,
        ci_high,
        accounts,
        suppressed_language = 'other' as is_other
    from estimates

)

select * from final
