-- F4: weekly share of open-weight tokens by size class (small < 15B <= medium < 70B <= large).
select
    week_start,
    size_class,
    oss_token_share,
    total_tokens
from oss_size_weekly
order by week_start, size_class
