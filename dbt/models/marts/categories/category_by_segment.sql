{#-
    One row per week × segment_type × segment × category (from the week of
    var('categories_start_date')), sample-weighted: segment_type `author` (model author),
    `openness` (open_weights | proprietary) or `origin` (dim_models.segment: proprietary |
    open_china | open_rest_of_world). share_of_segment = the category's share of the segment's
    tokens; share_of_category = the segment's share of the category's tokens. Segments with fewer
    than var('suppression_k') accounts in a week × category cell are folded into `other`.
-#}
{{ category_by_segment('week') }}
