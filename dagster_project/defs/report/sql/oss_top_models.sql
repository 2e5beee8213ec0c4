-- F3: weekly share of open-weight tokens by model (top 10 open models, rest folded into 'other open').
-- model_share_weekly carries no openness flag, so it is taken from price_usage (level 'model').
with open_models as (
    select distinct entity as model_slug
    from price_usage
    where level = 'model' and is_open_weights
),

open_weekly as (
    select weekly.week_start, weekly.model_slug, weekly.total_tokens
    from model_share_weekly as weekly
    inner join open_models on weekly.model_slug = open_models.model_slug
    where not weekly.is_other
),

top_open as (
    select model_slug
    from open_weekly
    group by model_slug
    order by sum(total_tokens) desc
    limit 10
),

labelled as (
    select
        open_weekly.week_start,
        coalesce(top_open.model_slug, 'other open') as model,
        open_weekly.total_tokens
    from open_weekly
    left join top_open on open_weekly.model_slug = top_open.model_slug
),

by_model as (
    select week_start, model, sum(total_tokens) as total_tokens
    from labelled
    group by week_start, model
)

select
    week_start,
    model,
    total_tokens / sum(total_tokens) over (partition by week_start) as share_of_open_tokens
from by_model
order by week_start, model
