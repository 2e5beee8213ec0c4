-- F20: each author's share of programming tokens, weekly (6 largest authors, rest folded into 'other').
with programming as (
    select week_start, segment as author, estimated_tokens, share_of_category
    from category_by_segment
    where segment_type = 'author' and category = 'programming'
),

top_authors as (
    select author
    from programming
    group by author
    order by sum(estimated_tokens) desc
    limit 6
)

select
    programming.week_start,
    coalesce(top_authors.author, 'other') as author,
    sum(programming.share_of_category) as share_of_programming
from programming
left join top_authors on programming.author = top_authors.author
group by all
order by programming.week_start, author
