-- F24: weekly spend share by billing continent.
select
    week_start,
    continent,
    spend_share,
    token_share,
    spend_usd
from geography_continent_weekly
order by week_start, continent
