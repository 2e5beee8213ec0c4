-- F1: weekly token share of proprietary, Chinese open-weight and rest-of-world open-weight models.
select
    week_start,
    segment,
    token_share,
    total_tokens
from open_closed_weekly
order by week_start, segment
