-- Table F2b: open-weight authors by total tokens over the window (trillions).
select
    rank,
    author,
    total_tokens_trillions,
    oss_token_share,
    accounts,
    is_other
from oss_author_totals
order by is_other, rank nulls last, total_tokens_trillions desc
limit 20
