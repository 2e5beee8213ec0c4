-- F27, F28: effective blended price vs token volume per model (BYOK excluded), log-log.
select
    entity as model_slug,
    author,
    case
        when is_open_weights then 'open weights'
        when not is_open_weights then 'proprietary'
        else 'unknown model'
    end as openness,
    total_tokens,
    effective_price_usd_per_mtok,
    median_price_usd_per_mtok,
    quadrant,
    accounts
from price_usage
where level = 'model' and total_tokens > 0 and effective_price_usd_per_mtok > 0
order by total_tokens desc
