-- F12: share of tokens (and requests) whose finish_reason is tool_calls, with and without the top accounts.
select
    week_start,
    tool_call_token_share,
    tool_call_token_share_excl_top,
    tool_call_request_share,
    excluded_top_accounts,
    requests
from tool_call_share_weekly
order by week_start
