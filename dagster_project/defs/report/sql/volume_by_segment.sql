-- F2: weekly token volume (prompt + completion), stacked by model segment.
select
    week_start,
    segment,
    total_tokens / 1e12 as total_tokens_trillions
from open_closed_weekly
order by week_start, segment
