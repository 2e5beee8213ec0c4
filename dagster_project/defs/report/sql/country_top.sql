-- Country table: spend and token share by billing country over the window (top 15 by tokens).
select
    country_code,
    country_name,
    continent,
    spend_share,
    token_share,
    accounts,
    is_other
from geography_country
where not is_other
order by token_share desc
limit 15
