-- F10: share of all tokens served by reasoning(-capable) models, and reasoning tokens' share of output.
select
    week_start,
    reasoning_model_token_share,
    reasoning_tokens_share_of_output,
    total_tokens
from reasoning_share_weekly
order by week_start
