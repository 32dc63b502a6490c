-- bronze_certificates: staging over raw_bronze_certificates (BronzeCertificate JSON records).
-- Grain: one row per bronze certificate record, i.e. one OCR'd certificate file (batch_id, item).
-- Only renames, casts and flattens (fields.*, confidence.*); no cleaning here.

with

source as (

    select record from raw_bronze_certificates

),

renamed as (

    select
        cast(record ->> '$.schema_version' as integer) as schema_version,
        record ->> '$.batch_id' as batch_id,
        record ->> '$.item' as item,
        record ->> '$.source_key' as source_key,
        record ->> '$.source_etag' as source_etag,
        record ->> '$.source_sha256' as source_sha256,
        record ->> '$.media_type' as media_type,
        record ->> '$.design' as design,
        record ->> '$.language' as language,
        record ->> '$.engine' as ocr_engine,
        record ->> '$.engine_version' as ocr_engine_version,
        record ->> '$.fields.certificate_id' as certificate_id,
        record ->> '$.fields.title' as title,
        coalesce(cast(record -> '$.fields.instructors' as varchar[]), []::varchar[]) as instructors,
        record ->> '$.fields.student' as student,
        cast(record ->> '$.fields.completed_on' as date) as completed_on,
        cast(record ->> '$.fields.length_hours' as double) as length_hours,
        record ->> '$.fields.length_text' as length_text,
        cast(record ->> '$.confidence.certificate_id' as double) as confidence_certificate_id,
        cast(record ->> '$.confidence.title' as double) as confidence_title,
        cast(record ->> '$.confidence.instructors' as double) as confidence_instructors,
        cast(record ->> '$.confidence.student' as double) as confidence_student,
        cast(record ->> '$.confidence.completed_on' as double) as confidence_completed_on,
        cast(record ->> '$.confidence.length_hours' as double) as confidence_length_hours,
        coalesce(
            cast(record -> '$.confidence' as map(varchar, double)), map()::map(varchar, double)
        ) as field_confidences,
        record ->> '$.raw_text' as raw_text
    from source

),

final as (

    select * from renamed

)

select * from final
