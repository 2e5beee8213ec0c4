-- F6, F7, F22, F23: category mix of each segment over the window (openness, origin, 8 largest authors).
with window_totals as (
    select segment_type, segment, category, sum(estimated_tokens) as estimated_tokens
    from category_by_segment
    group by all
),

segment_sizes as (
    select segment_type, segment, sum(estimated_tokens) as segment_tokens
    from window_totals
    group by all
),

kept_segments as (
    select segment_type, segment, segment_tokens
    from segment_sizes
    qualify segment_type <> 'author'
        or row_number() over (partition by segment_type order by segment_tokens desc) <= 8
)

select
    window_totals.segment_type,
    window_totals.segment,
    window_totals.category,
    window_totals.estimated_tokens / nullif(kept_segments.segment_tokens, 0) as share_of_segment
from window_totals
inner join kept_segments
    on window_totals.segment_type = kept_segments.segment_type
    and window_totals.segment = kept_segments.segment
order by window_totals.segment_type, kept_segments.segment_tokens desc, window_totals.category
