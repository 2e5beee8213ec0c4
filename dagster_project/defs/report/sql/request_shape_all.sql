-- F14, F15, F17: mean prompt, completion and sequence tokens per request, every request (exact).
select
    week_start,
    requests,
    mean_input_tokens,
    mean_output_tokens,
    mean_sequence_tokens,
    p50_sequence_tokens,
    p90_sequence_tokens,
    p99_sequence_tokens
from request_shape_weekly
where category = 'all'
order by week_start
