-- F16, F18: mean prompt and sequence tokens by category (classified sample) beside 'all' (every request).
select
    week_start,
    category,
    requests,
    mean_input_tokens,
    mean_sequence_tokens
from request_shape_weekly
order by week_start, category
