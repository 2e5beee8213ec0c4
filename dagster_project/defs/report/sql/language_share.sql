-- Language table: token share by language of the classified sample (top 12, rest folded into 'other').
with ranked as (
    select
        case when row_number() over (order by token_share desc) <= 12 then language else 'other' end
            as language_shown,
        sample_requests,
        token_share,
        ci_low,
        ci_high
    from language_share
)

select
    language_shown as language,
    sum(sample_requests) as sample_requests,
    sum(token_share) as token_share,
    -- an interval only for the languages shown on their own
    case when count(*) = 1 then min(ci_low) end as ci_low,
    case when count(*) = 1 then min(ci_high) end as ci_high
from ranked
group by language_shown
order by language_shown = 'other', token_share desc
