{#-
    category_by_segment at calendar-month grain: one row per month × segment_type × segment ×
    category (from var('categories_start_date')), sample-weighted, the same estimator and the same
    small-cell suppression, applied at this grain: segments with fewer than var('suppression_k')
    accounts in a month × segment_type × category cell are folded into `other`.
    For period figures (a month, or May-Nov summed over months): the weekly mart folds a small
    segment into `other` in every week where its handful of sampled requests falls under k, and
    a sum of weekly cells then loses those weeks; a month pools about four weeks of the sample per
    cell, so such a segment is usually published. A month is not the sum of its weekly cells.
-#}
{{ category_by_segment('month') }}
