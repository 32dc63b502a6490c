-- fact_certificate: the certificates, deduplicated across every batch.
-- Grain: one row per certificate (certificate_key) across all batches.
-- The same certificate dropped in several batches (or twice in one) gives one row. The representative
-- silver row is chosen deterministically: enriched before certificate-only, then the highest
-- ocr_confidence, then the smallest (batch_id, item, source_sha256).

with

silver_rows as (

    select * from silver_certificates

),

ranked as (

    select
        *,
        row_number() over (
            partition by certificate_key
            order by is_certificate_only asc, ocr_confidence desc, batch_id asc, item asc, source_sha256 asc
        ) as copy_rank,
        count(*) over (partition by certificate_key) as source_file_count
    from silver_rows

),

final as (

    select
        certificate_key,
        certificate_id,
        owner,
        student,
        coalesce(course_title, title) as title,
        title as certificate_title,
        instructors,
        completed_on,
        completed_year,
        length_hours,
        course_id,
        course_url,
        course_slug,
        course_language,
        is_paid,
        is_practice_test,
        enrichment_method,
        is_certificate_only,
        ocr_confidence,
        design,
        language,
        batch_id,
        item,
        source_key,
        source_sha256,
        cast(source_file_count as integer) as source_file_count
    from ranked
    where copy_rank = 1

)

select * from final
order by owner, completed_on nulls last, certificate_key
