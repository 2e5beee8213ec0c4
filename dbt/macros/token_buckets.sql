{#-
    Log-scale token buckets: bucket 0 holds 0 tokens; bucket b ≥ 1 holds
    [2^((b−1)/m), 2^(b/m)) tokens with m = var('length_buckets_per_octave').
-#}
{% macro token_bucket(tokens) -%}
    case
        when {{ tokens }} is null or {{ tokens }} <= 0 then cast(0 as bigint)
        else cast(floor(log2(cast({{ tokens }} as double)) * {{ var('length_buckets_per_octave') }}) as bigint) + 1
    end
{%- endmacro %}

{% macro token_bucket_lower(bucket) -%}
    case when {{ bucket }} = 0 then 0.0
    else power(2.0, ({{ bucket }} - 1) / cast({{ var('length_buckets_per_octave') }} as double)) end
{%- endmacro %}

{% macro token_bucket_upper(bucket) -%}
    case when {{ bucket }} = 0 then 1.0
    else power(2.0, {{ bucket }} / cast({{ var('length_buckets_per_octave') }} as double)) end
{%- endmacro %}

{#-
    Percentile `p` of a histogram, linear inside the bucket that crosses p·total. Needs per row
    `bucket_lower_tokens`, `bucket_upper_tokens`, `requests`, `cumulative_requests` (running sum in
    bucket order) and `total_requests`; use inside an aggregate grouped by the histogram's keys.
-#}
{% macro histogram_percentile(p) -%}
    max(case
        when cumulative_requests >= {{ p }} * total_requests
            and cumulative_requests - requests < {{ p }} * total_requests
        then bucket_lower_tokens + (bucket_upper_tokens - bucket_lower_tokens)
            * ({{ p }} * total_requests - (cumulative_requests - requests)) / nullif(cast(requests as double), 0)
    end)
{%- endmacro %}
