-- bronze_enrichments: staging over raw_enrichments (EnrichmentLink JSON records).
-- Grain: one row per enrichment link, i.e. one certificate file (batch_id, item).
-- Only renames and casts.

with

source as (

    select record from raw_enrichments

),

renamed as (

    select
        cast(record ->> '$.schema_version' as integer) as schema_version,
        record ->> '$.batch_id' as batch_id,
        record ->> '$.item' as item,
        record ->> '$.bronze_key' as bronze_key,
        record ->> '$.method' as enrichment_method,
        record ->> '$.status' as enrichment_status,
        cast(record ->> '$.course_id' as bigint) as course_id,
        record ->> '$.course_key' as course_key,
        record ->> '$.detail' as enrichment_detail
    from source

),

final as (

    select * from renamed

)

select * from final
