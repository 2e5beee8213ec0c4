-- OpenRouter's real public daily rankings: platform tokens per day (top 50 + other) and the
-- Herfindahl-Hirschman index over the named models.
select
    ranking_date,
    sum(total_tokens) / 1e12 as total_tokens_trillions,
    sum(token_share * token_share) filter (where not is_other) as hhi_named_models,
    max(token_share) filter (where not is_other) as top1_share
from public_model_share_daily
group by ranking_date
order by ranking_date
