-- F26: effective price vs token volume per category, with the median-price and median-usage lines.
select
    entity as category,
    total_tokens,
    effective_price_usd_per_mtok,
    median_price_usd_per_mtok,
    median(total_tokens) over () as median_total_tokens,
    quadrant
from price_usage
where level = 'category' and total_tokens > 0 and effective_price_usd_per_mtok > 0
order by total_tokens desc
