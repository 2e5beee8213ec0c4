{#-
    One row per week × category. `all` covers every request exactly: means from fct_usage_daily,
    percentiles interpolated in the log-bucket histogram (fct_length_histogram_daily, ≤ 9%
    bucket width). Categories come from the classified sample (from 2025-05-01): `requests` is
    the estimated request count (Σ sample_weight × label weight), means are weighted the same
    way, percentiles are exact over the sampled requests of the category.
-#}
with

usage as (

    select * from {{ ref('fct_usage_daily') }}

),

histogram as (

    select * from {{ ref('fct_length_histogram_daily') }}

),

units as (

    select * from {{ ref('int_classified_units') }}
    where event_date >= cast('{{ var("categories_start_date") }}' as date)

),

all_means as (

    select
        cast({{ dbt.date_trunc('week', 'event_date') }} as date) as week_start,
        sum(requests) as requests,
        cast(sum(input_tokens) as double) / nullif(sum(requests), 0) as mean_input_tokens,
        cast(sum(output_tokens) as double) / nullif(sum(requests), 0) as mean_output_tokens,
        cast(sum(total_tokens) as double) / nullif(sum(requests), 0) as mean_sequence_tokens
    from usage
    group by 1

),

weekly_histogram as (

    select
        cast({{ dbt.date_trunc('week', 'event_date') }} as date) as week_start,
        measure,
        bucket,
        max(bucket_lower_tokens) as bucket_lower_tokens,
        max(bucket_upper_tokens) as bucket_upper_tokens,
        sum(requests) as requests
    from histogram
    group by 1, 2, 3

),

cumulative as (

    select
        *,
        sum(requests) over (
            partition by week_start, measure order by bucket asc nulls last rows between unbounded preceding and current row
        ) as cumulative_requests,
        sum(requests) over (partition by week_start, measure) as total_requests
    from weekly_histogram

),

all_percentiles as (

    select
        week_start,
        {% for measure in ['input', 'output', 'sequence'] %}
        {% for p in [50, 90, 99] %}
        max(case when measure = '{{ measure }}' then p{{ p }} end) as p{{ p }}_{{ measure }}_tokens,
        {% endfor %}
        {% endfor %}
        max(total_requests) as histogram_requests
    from (
        select
            week_start,
            measure,
            max(total_requests) as total_requests,
            {{ histogram_percentile(0.5) }} as p50,
            {{ histogram_percentile(0.9) }} as p90,
            {{ histogram_percentile(0.99) }} as p99
        from cumulative
        group by week_start, measure
    ) as per_measure
    group by week_start

),

all_requests as (

    select
        all_means.week_start,
        'all' as category,
        cast(all_means.requests as bigint) as requests,
        all_means.mean_input_tokens,
        all_percentiles.p50_input_tokens,
        all_percentiles.p90_input_tokens,
        all_percentiles.p99_input_tokens,
        all_means.mean_output_tokens,
        all_percentiles.p50_output_tokens,
        all_percentiles.p90_output_tokens,
        all_percentiles.p99_output_tokens,
        all_means.mean_sequence_tokens,
        all_percentiles.p50_sequence_tokens,
        all_percentiles.p90_sequence_tokens,
        all_percentiles.p99_sequence_tokens
    from all_means
    left join all_percentiles
        on all_means.week_start = all_percentiles.week_start

),

categories as (

    select
        week_start,
        category,
        cast(round(sum(sample_weight * category_weight)) as bigint) as requests,
        {% for measure, column in [('input', 'input_tokens'), ('output', 'output_tokens'), ('sequence', 'total_tokens')] %}
        sum(sample_weight * category_weight * {{ column }}) / nullif(sum(sample_weight * category_weight), 0)
            as mean_{{ measure }}_tokens,
        {% for p in [50, 90, 99] %}
        percentile_cont({{ p / 100 }}) within group (order by cast({{ column }} as double)) as p{{ p }}_{{ measure }}_tokens{% if not loop.last %},{% endif %}
        {% endfor %}{% if not loop.last %},{% endif %}
        {% endfor %}
    from units
    group by week_start, category

),

final as (

    select * from all_requests
    union all
    select * from categories

)

select * from final
