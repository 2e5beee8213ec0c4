-- Concentration: weekly Herfindahl-Hirschman index and top-k shares by dimension.
select
    week_start,
    dimension,
    entities,
    hhi,
    top1_share,
    top10_share
from concentration_weekly
order by dimension, week_start
