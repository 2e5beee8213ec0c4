-- OpenRouter's real public daily rankings: daily token share of the 10 largest models over the
-- period, everything else (ranks 11-50 and OpenRouter's own 'other' row) folded into 'other'.
with top_models as (
    select model_slug
    from public_model_share_daily
    where not is_other
    group by model_slug
    order by sum(total_tokens) desc
    limit 10
)

select
    daily.ranking_date,
    coalesce(top_models.model_slug, 'other') as model,
    sum(daily.total_tokens) as total_tokens,
    sum(daily.token_share) as token_share
from public_model_share_daily as daily
left join top_models on daily.model_slug = top_models.model_slug and not daily.is_other
group by all
order by daily.ranking_date, model
