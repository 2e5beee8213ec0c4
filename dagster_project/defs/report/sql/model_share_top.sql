-- Weekly token share of the 10 largest models over the window; every other model
-- (and the suppressed `other` cells) is folded into 'other'.
with model_totals as (
    select model_slug, sum(total_tokens) as window_tokens
    from model_share_weekly
    where not is_other
    group by model_slug
),

top_models as (
    select model_slug
    from model_totals
    order by window_tokens desc
    limit 10
)

select
    weekly.week_start,
    coalesce(top_models.model_slug, 'other') as model,
    sum(weekly.total_tokens) as total_tokens,
    sum(weekly.token_share) as token_share
from model_share_weekly as weekly
left join top_models
    on weekly.model_slug = top_models.model_slug and not weekly.is_other
group by all
order by weekly.week_start, model
