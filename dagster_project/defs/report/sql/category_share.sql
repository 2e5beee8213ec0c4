-- F19 and the category trends: sample-weighted weekly token share per category with its interval.
select
    week_start,
    category,
    sample_requests,
    token_share,
    ci_low,
    ci_high,
    accounts,
    is_other
from category_share_weekly
order by week_start, category
