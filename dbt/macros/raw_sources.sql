{#-
    The landed raw files for engines that cannot read them through dbt-duckdb's
    `meta.external_location`. Run once per dbt invocation (on-run-start in dbt_project.yml).
    Paths live only in models/staging/raw/_raw__sources.yml (`meta.spark_location`); this macro
    turns every source of that file into a view `<source schema>.<table>` (here `raw.<table>`),
    which is what source() renders to on Spark, so staging models stay the same on both engines.
    DuckDB (default): nothing to do, source() renders to the read_parquet(...) expression.
-#}
{% macro register_raw_sources() -%}
    {{ return(adapter.dispatch('register_raw_sources')()) }}
{%- endmacro %}

{% macro default__register_raw_sources() -%}
{%- endmacro %}

{% macro spark__register_raw_sources() -%}
    {%- if execute -%}
        {%- set schemas = [] -%}
        {%- for node in graph.sources.values() if node.package_name == project_name and node.meta.get('spark_location') -%}
            {%- if node.schema not in schemas -%}
                {%- do run_query('create schema if not exists ' ~ node.schema) -%}
                {%- do schemas.append(node.schema) -%}
            {%- endif -%}
            {#- a directory: Spark discovers the hive `date=YYYY-MM-DD` folders (typed date) and prunes them -#}
            {%- do run_query(
                'create or replace view ' ~ node.schema ~ '.' ~ node.identifier
                ~ ' as select * from parquet.`' ~ node.meta['spark_location'] ~ '`'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
