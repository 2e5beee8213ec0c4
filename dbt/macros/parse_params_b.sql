{#-
    Total parameters in billions stated in a model name ("Llama 3.1 70B", "gpt-oss-120b",
    mixture "8x22B" = 8 × 22), null when absent. The first match is the total size ("Qwen3 235B
    A22B" → 235). Regex classes instead of backslashes keep it portable to Spark's string escapes.
-#}
{% macro parse_params_b(text) -%}
    coalesce(
        try_cast(nullif(regexp_extract(lower({{ text }}), '([0-9]+)x([0-9]+([.][0-9]+)?)b([^a-z0-9]|$)', 1), '') as double)
        * try_cast(nullif(regexp_extract(lower({{ text }}), '([0-9]+)x([0-9]+([.][0-9]+)?)b([^a-z0-9]|$)', 2), '') as double),
        try_cast(nullif(regexp_extract(lower({{ text }}), '([0-9]+([.][0-9]+)?)b([^a-z0-9]|$)', 1), '') as double)
    )
{%- endmacro %}
