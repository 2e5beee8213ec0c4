{#-
    One row per model × price validity period [valid_from, valid_to) (valid_to 9999-12-31 while
    current). Catalogue snapshots give the periods (a new period only when a price changes);
    before a model's first snapshot the seed's list prices hold, with price_source = 'seed'.
-#}
with

seed_models as (

    select * from {{ ref('model_attributes') }}

),

catalogue as (

    select * from {{ ref('stg_raw__model_catalog') }}

),

snapshots as (

    -- one price per model and snapshot: the base model's row, else its variant's
    select model_slug, snapshot_date, input_price_usd_per_mtok, output_price_usd_per_mtok,
        cache_read_price_usd_per_mtok
    from (
        select
            *,
            row_number() over (
                partition by model_slug, snapshot_date
                order by is_free_variant asc nulls last, catalogue_id asc nulls last
            ) as variant_rank
        from catalogue
        where not is_alias
    ) as ranked
    where variant_rank = 1

),

changes as (

    select
        *,
        case
            when lag(input_price_usd_per_mtok) over w is null
                and lag(snapshot_date) over w is null then true
            when coalesce(input_price_usd_per_mtok, -1) <> coalesce(lag(input_price_usd_per_mtok) over w, -1) then true
            when coalesce(output_price_usd_per_mtok, -1) <> coalesce(lag(output_price_usd_per_mtok) over w, -1) then true
            when coalesce(cache_read_price_usd_per_mtok, -1) <> coalesce(lag(cache_read_price_usd_per_mtok) over w, -1) then true
            else false
        end as is_change
    from snapshots
    window w as (partition by model_slug order by snapshot_date asc nulls last)

),

catalogue_periods as (

    select
        model_slug,
        snapshot_date as valid_from,
        input_price_usd_per_mtok,
        output_price_usd_per_mtok,
        cache_read_price_usd_per_mtok,
        'openrouter_catalogue' as price_source
    from changes
    where is_change

),

first_snapshots as (

    select model_slug, min(snapshot_date) as first_snapshot_date
    from snapshots
    group by model_slug

),

seed_periods as (

    select
        seed_models.model_slug,
        cast('1900-01-01' as date) as valid_from,
        seed_models.input_price_usd_per_mtok,
        seed_models.output_price_usd_per_mtok,
        cast(null as double) as cache_read_price_usd_per_mtok,
        'seed' as price_source
    from seed_models

),

periods as (

    select * from seed_periods
    union all
    select * from catalogue_periods

),

final as (

    select
        model_slug,
        valid_from,
        coalesce(
            lead(valid_from) over (partition by model_slug order by valid_from asc nulls last),
            cast('9999-12-31' as date)
        ) as valid_to,
        input_price_usd_per_mtok,
        output_price_usd_per_mtok,
        cache_read_price_usd_per_mtok,
        price_source
    from periods

)

select * from final
