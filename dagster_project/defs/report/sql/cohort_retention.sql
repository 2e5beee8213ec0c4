-- F25: activity retention per monthly cohort for up to 8 models: the paper's models first, then the
-- models with the most first-month accounts.
with paper_models (model_slug, paper_order) as (
    values
        ('anthropic/claude-sonnet-4', 1),
        ('google/gemini-2.5-pro', 2),
        ('google/gemini-2.5-flash', 3),
        ('openai/gpt-4o-mini', 4),
        ('meta-llama/llama-4-maverick', 5),
        ('google/gemini-2.0-flash-001', 6),
        ('deepseek/deepseek-r1', 7),
        ('deepseek/deepseek-chat-v3-0324', 8)
),

model_sizes as (
    select model_slug, sum(cohort_accounts) filter (where months_since = 0) as first_month_accounts
    from cohort_retention
    where model_slug <> 'other'  -- small cohorts pooled across models are not a model
    group by model_slug
),

chosen as (
    select model_sizes.model_slug, coalesce(paper_models.paper_order, 100) as paper_order,
        model_sizes.first_month_accounts
    from model_sizes
    left join paper_models on model_sizes.model_slug = paper_models.model_slug
    order by paper_order, first_month_accounts desc nulls last, model_sizes.model_slug
    limit 8
)

select
    cohort_retention.model_slug,
    chosen.paper_order,
    strftime(cohort_retention.cohort_month, '%Y-%m') as cohort,
    cohort_retention.months_since,
    cohort_retention.cohort_accounts,
    cohort_retention.active_accounts,
    cohort_retention.retention
from cohort_retention
inner join chosen on cohort_retention.model_slug = chosen.model_slug
order by chosen.paper_order, chosen.first_month_accounts desc, cohort_retention.model_slug,
    cohort, cohort_retention.months_since
