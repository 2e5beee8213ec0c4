-- F27: OLS slope of log10(tokens) on log10(effective price) across models, overall ('all') and per category.
select
    category,
    models,
    elasticity,
    intercept,
    r_squared
from price_elasticity
order by category = 'all' desc, elasticity
