"""The public mart names (DESIGN table): analysts rely on them; the report and tests use this list."""

PUBLIC_MARTS = (
    "model_share_weekly",
    "author_share_weekly",
    "open_closed_weekly",
    "oss_author_totals",
    "oss_size_weekly",
    "concentration_weekly",
    "reasoning_share_weekly",
    "tool_call_share_weekly",
    "request_shape_weekly",
    "category_share_weekly",
    "category_by_segment",
    "category_by_segment_monthly",
    "subcategory_share",
    "language_share",
    "geography_continent_weekly",
    "geography_country",
    "cohort_retention",
    "price_usage",
    "price_elasticity",
    "public_model_share_daily",
)
