-- F21, F29: sub-tags inside each category over the window (top 6 per category by share).
select
    category,
    subcategory,
    sample_labels,
    share_of_category,
    ci_low,
    ci_high
from subcategory_share
qualify row_number() over (partition by category order by share_of_category desc) <= 6
order by category, share_of_category desc
