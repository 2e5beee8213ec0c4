-- F8, F9: programming and roleplay tokens split by model origin (proprietary, Chinese OSS, RoW OSS).
select
    week_start,
    category,
    segment,
    share_of_category,
    sample_requests
from category_by_segment
where segment_type = 'origin' and category in ('programming', 'roleplay')
order by category, week_start, segment
