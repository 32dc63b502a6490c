-- silver_certificates: the typed, cleaned certificate row (contracts.records.SilverRow, same columns, same order).
-- Grain: one row per certificate file (batch_id, item). Each file has at most one enrichment link and the
-- link at most one course, so the left joins below never multiply rows.
-- Standardises only: whitespace (trim, collapse, NFC), certificate id casing, course URL and language.
-- No wall-clock values: the same records always give the same row.

with

certificates as (

    select * from bronze_certificates

),

enrichments as (

    select * from bronze_enrichments

),

courses as (

    select * from bronze_courses

),

-- whitespace-normalised text: NFC, every run of blanks (incl. no-break spaces) to one space, trimmed, '' -> null
certificates_normalised as (

    select
        batch_id,
        item,
        source_key,
        source_sha256,
        design,
        nullif(lower(trim(language)), '') as language,
        nullif(regexp_replace(nfc_normalize(certificate_id), '[\s\p{Z}]+', '', 'g'), '') as certificate_id_compact,
        nullif(trim(regexp_replace(nfc_normalize(title), '[\s\p{Z}]+', ' ', 'g')), '') as title,
        list_filter(
            list_transform(
                instructors,
                lambda name: nullif(trim(regexp_replace(nfc_normalize(name), '[\s\p{Z}]+', ' ', 'g')), '')
            ),
            lambda name: name is not null
        ) as certificate_instructors,
        nullif(trim(regexp_replace(nfc_normalize(student), '[\s\p{Z}]+', ' ', 'g')), '') as student,
        completed_on,
        length_hours,
        lower(coalesce(length_text, '')) as length_text,
        coalesce(list_min(map_values(field_confidences)), 0.0) as ocr_confidence
    from certificates

),

courses_normalised as (

    select
        course_id,
        coalesce(
            nullif(trim(course_published_title), ''),
            nullif(regexp_extract(course_path, '/course/([^/?#]+)', 1), ''),
            nullif(regexp_extract(course_path, '([^/?#]+)/?$', 1), '')
        ) as course_slug,
        nullif(trim(regexp_replace(nfc_normalize(course_title), '[\s\p{Z}]+', ' ', 'g')), '') as course_title,
        nullif(trim(regexp_replace(nfc_normalize(course_headline), '[\s\p{Z}]+', ' ', 'g')), '') as course_headline,
        nullif(lower(split_part(replace(trim(course_locale), '-', '_'), '_', 1)), '') as course_language,
        is_paid,
        is_practice_test,
        lower(coalesce(course_content_info, '')) as course_content_info,
        list_filter(
            list_transform(
                course_instructors,
                lambda instructor: nullif(
                    trim(
                        regexp_replace(
                            nfc_normalize(coalesce(instructor.display_name, instructor.title)), '[\s\p{Z}]+', ' ', 'g'
                        )
                    ),
                    ''
                )
            ),
            lambda name: name is not null
        ) as course_instructors
    from courses

),

joined as (

    select
        certificates.*,
        coalesce(enrichments.enrichment_method, 'certificate_only') as enrichment_method,
        courses.course_id,
        courses.course_slug,
        courses.course_title,
        courses.course_headline,
        courses.course_language,
        courses.is_paid,
        courses.is_practice_test,
        courses.course_content_info,
        coalesce(courses.course_instructors, []::varchar[]) as course_instructors
    from certificates_normalised as certificates
    left join enrichments
        on certificates.batch_id = enrichments.batch_id
        and certificates.item = enrichments.item
    left join courses_normalised as courses
        on enrichments.course_id = courses.course_id

),

standardised as (

    select
        *,
        case
            when certificate_id_compact is null then null
            -- current design: UC- and a UUID, printed lower-case
            when regexp_matches(lower(certificate_id_compact), '^(uc[-_]?)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
                then 'UC-' || regexp_replace(lower(certificate_id_compact), '^uc[-_]?', '')
            -- old design: UC- and 8 letters or digits, printed upper-case
            when regexp_matches(certificate_id_compact, '^(?i:uc)[-_]?')
                then 'UC-' || upper(regexp_replace(certificate_id_compact, '^(?i:uc)[-_]?', ''))
            else certificate_id_compact
        end as certificate_id,
        -- length from text ("2.5 total hours", "45 total mins", "1 hour 30 mins") = hours + minutes / 60;
        -- the certificate's text first, then the course's content_info
        list_filter(
            list_transform(
                [length_text, course_content_info],
                lambda length_source: case
                    when regexp_matches(length_source, '[0-9]\s*(total\s+)?(hours?|hrs?|h|minutes?|mins?|m)\b')
                        then coalesce(
                            cast(replace(nullif(regexp_extract(
                                length_source, '([0-9]+(?:[.,][0-9]+)?)\s*(?:total\s+)?(?:hours?|hrs?|h)\b', 1
                            ), ''), ',', '.') as double),
                            0.0
                        ) + coalesce(
                            cast(replace(nullif(regexp_extract(
                                length_source, '([0-9]+(?:[.,][0-9]+)?)\s*(?:total\s+)?(?:minutes?|mins?|m)\b', 1
                            ), ''), ',', '.') as double),
                            0.0
                        ) / 60.0
                end
            ),
            lambda hours: hours is not null
        )[1] as length_hours_from_text
    from joined

),

final as (

    select
        cast(coalesce(certificate_id, 'sha256:' || source_sha256) as varchar) as certificate_key,
        cast(certificate_id as varchar) as certificate_id,
        cast(batch_id as varchar) as batch_id,
        cast(item as varchar) as item,
        cast(source_key as varchar) as source_key,
        cast(source_sha256 as varchar) as source_sha256,
        cast(title as varchar) as title,
        cast(
            case when len(course_instructors) > 0 then course_instructors else certificate_instructors end
            as varchar[]
        ) as instructors,
        cast(student as varchar) as student,
        cast(coalesce(student, 'unknown') as varchar) as owner,
        cast(completed_on as date) as completed_on,
        cast(year(completed_on) as integer) as completed_year,
        cast(
            coalesce(length_hours, length_hours_from_text) as double
        ) as length_hours,
        cast(design as varchar) as design,
        cast(language as varchar) as language,
        cast(ocr_confidence as double) as ocr_confidence,
        cast(course_id as bigint) as course_id,
        cast(
            case when course_slug is not null then 'https://www.udemy.com/course/' || course_slug || '/' end
            as varchar
        ) as course_url,
        cast(course_slug as varchar) as course_slug,
        cast(course_title as varchar) as course_title,
        cast(course_headline as varchar) as course_headline,
        cast(course_language as varchar) as course_language,
        cast(is_paid as boolean) as is_paid,
        cast(is_practice_test as boolean) as is_practice_test,
        cast(enrichment_method as varchar) as enrichment_method,
        cast(enrichment_method = 'certificate_only' as boolean) as is_certificate_only
    from standardised

)

select * from final
