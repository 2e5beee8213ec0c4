-- One row per ISO 3166-1 alpha-2 country.
with

countries as (

    select * from {{ ref('countries') }}

),

final as (

    select
        upper(cast(country_code as string)) as country_code,
        cast(country_name as string) as country_name,
        cast(continent as string) as continent
    from countries

)

select * from final
