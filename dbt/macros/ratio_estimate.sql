{#-
    Sample-weighted share of each `category` within each group, with a normal-approximation
    interval (ratio estimator, linearised variance).

    `units` has one row per sampled request (`unit_id`) and category, with `weight`
    (sample_weight), `x` (the request's tokens in the group, the same on every row of the
    request) and `y` (the request's tokens in this category: tokens × label weights).
        share R = Σ w·y / Σ w·x
        Var(R) ≈ n/(n−1) · Σ_i w_i² (y_i − R·x_i)² / (Σ w·x)²
    expanded into sums so every term is one group-by: Σw²y² − 2R·Σw²xy + R²·Σw²x² (requests
    without the category contribute w²R²x², which Σw²x² over the group already holds).
    The interval is R ± z·se clipped to [0, 1]; with a single sampled request it is [0, 1].
    Cancellation noise below 1e-10 of the expanded terms counts as zero variance, so reruns
    (whose parallel sums add in another order) give the same interval.
    Output: group columns, category, sample_requests (distinct units), sample_rows (input rows),
    estimated_tokens, share, ci_low, ci_high, plus accounts when `account_column` is given and
    estimated_requests (Σ weight × count_weight) when `count_weight` is. Returns a select.
-#}
{% macro ratio_estimate(units, group_by, category, unit_id='generation_id', weight='sample_weight', x='x_tokens', y='y_tokens', account_column=none, count_weight=none) -%}
    {%- set join_on -%}
        {%- if group_by -%}
            {% for column in group_by %}cells_.{{ column }} = groups_.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
        {%- else -%}
            1 = 1
        {%- endif -%}
    {%- endset -%}
    {%- set group_list -%}{% for column in group_by %}{{ column }}, {% endfor %}{%- endset -%}
    select
        {% for column in group_by %}{{ column }}, {% endfor %}
        {{ category }},
        sample_requests,
        sample_rows,
        {% if account_column %}accounts,{% endif %}
        {% if count_weight %}estimated_requests,{% endif %}
        estimated_tokens,
        {#- clipped: a cell holding the whole group sums to 1 ± float rounding -#}
        greatest(0.0, least(1.0, ratio_)) as share,
        coalesce(greatest(0.0, least(1.0, ratio_ - {{ var('ci_z') }} * sqrt(variance_) / x_hat_)), 0.0) as ci_low,
        coalesce(greatest(0.0, least(1.0, ratio_ + {{ var('ci_z') }} * sqrt(variance_) / x_hat_)), 1.0) as ci_high
    from (
        select
            *,
            {#- The expanded sum cancels to float noise when y = R·x for every unit (a cell holding
                the whole group): noise that changes with the parallel summation order, so a rerun
                would move the interval. Below 1e-10 of its terms the sum is taken as zero. -#}
            case
                when n_units < 2 then null
                when expanded_ <= 1e-10 * (s_yy + power(ratio_, 2) * s_xx) then 0.0
                else n_units / (n_units - 1.0) * expanded_
            end as variance_
        from (
            select
                {% for column in group_by %}cells_.{{ column }}, {% endfor %}
                cells_.{{ category }},
                cells_.sample_requests,
                cells_.sample_rows,
                {% if account_column %}cells_.accounts,{% endif %}
                {% if count_weight %}cells_.estimated_requests,{% endif %}
                cells_.y_hat as estimated_tokens,
                cells_.s_yy,
                groups_.s_xx,
                groups_.n_units,
                nullif(groups_.x_hat, 0) as x_hat_,
                cells_.y_hat / nullif(groups_.x_hat, 0) as ratio_,
                cells_.s_yy
                    - 2.0 * (cells_.y_hat / nullif(groups_.x_hat, 0)) * cells_.s_xy
                    + power(cells_.y_hat / nullif(groups_.x_hat, 0), 2) * groups_.s_xx as expanded_
            from (
                select
                    {{ group_list }}
                    {{ category }},
                    count(distinct {{ unit_id }}) as sample_requests,
                    sum(unit_rows) as sample_rows,
                    {% if account_column %}count(distinct {{ account_column }}) as accounts,{% endif %}
                    {% if count_weight %}sum(cast({{ weight }} as double) * {{ count_weight }}) as estimated_requests,{% endif %}
                    sum(cast({{ weight }} as double) * {{ y }}) as y_hat,
                    sum(power(cast({{ weight }} as double), 2) * power({{ y }}, 2)) as s_yy,
                    sum(power(cast({{ weight }} as double), 2) * {{ x }} * {{ y }}) as s_xy
                from (
                    {#- one row per unit and category, so y sums the unit's labels of the category -#}
                    select
                        {{ group_list }} {{ category }}, {{ unit_id }},
                        {% if account_column %}{{ account_column }},{% endif %}
                        count(*) as unit_rows,
                        max({{ weight }}) as {{ weight }},
                        max({{ x }}) as {{ x }},
                        {% if count_weight %}sum({{ count_weight }}) as {{ count_weight }},{% endif %}
                        sum({{ y }}) as {{ y }}
                    from {{ units }}
                    group by {{ group_list }} {{ category }}, {{ unit_id }}{% if account_column %}, {{ account_column }}{% endif %}
                ) as unit_cells_
                group by {{ group_list }} {{ category }}
            ) as cells_
            inner join (
                select
                    {{ group_list }}
                    cast(count(*) as double) as n_units,
                    sum(cast({{ weight }} as double) * {{ x }}) as x_hat,
                    sum(power(cast({{ weight }} as double), 2) * power({{ x }}, 2)) as s_xx
                from (
                    select {{ group_list }} {{ unit_id }}, max({{ weight }}) as {{ weight }}, max({{ x }}) as {{ x }}
                    from {{ units }}
                    group by {{ group_list }} {{ unit_id }}
                ) as units_
                {% if group_by %}group by {{ group_by | join(', ') }}{% endif %}
            ) as groups_
                on {{ join_on }}
        ) as terms_
    ) as estimates_
{%- endmacro %}
