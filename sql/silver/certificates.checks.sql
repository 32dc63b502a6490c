-- Checks for silver/certificates: each query returns the offending rows; none means it passes.

-- check: key_not_null
select * from silver_certificates
where certificate_key is null or batch_id is null or item is null or owner is null

-- check: file_unique
select batch_id, item, count(*) as copies
from silver_certificates
group by batch_id, item
having count(*) > 1

-- check: certificate_key_is_id_or_content_hash
select batch_id, item, certificate_key
from silver_certificates
where certificate_key <> coalesce(certificate_id, 'sha256:' || source_sha256)

-- check: certificate_id_standardised
select batch_id, item, certificate_id
from silver_certificates
where certificate_id <> trim(certificate_id)
    or (certificate_id like 'UC-%' and substr(certificate_id, 4) <> lower(substr(certificate_id, 4)))
    or (certificate_id not like 'UC-%' and certificate_id <> lower(certificate_id))

-- check: completed_year_matches_date
select batch_id, item, completed_on, completed_year
from silver_certificates
where completed_year is distinct from year(completed_on)

-- check: length_hours_not_negative
select batch_id, item, length_hours from silver_certificates where length_hours < 0

-- check: ocr_confidence_between_0_and_1
select batch_id, item, ocr_confidence from silver_certificates where ocr_confidence not between 0 and 1

-- check: certificate_only_flag_matches_method
select batch_id, item, enrichment_method, is_certificate_only
from silver_certificates
where is_certificate_only is distinct from (enrichment_method = 'certificate_only')

-- check: course_url_absolute
select batch_id, item, course_url
from silver_certificates
where course_url is not null and not regexp_matches(course_url, '^https://www\.udemy\.com/course/[^/]+/$')

-- check: text_whitespace_normalised
select batch_id, item, title, student, owner
from silver_certificates
where title <> trim(regexp_replace(title, '\s+', ' ', 'g'))
    or owner <> trim(regexp_replace(owner, '\s+', ' ', 'g'))

-- check: relationship_bronze_certificates
select silver.batch_id, silver.item
from silver_certificates as silver
anti join bronze_certificates as bronze
    on silver.batch_id = bronze.batch_id and silver.item = bronze.item
