-- Checks for gold/fact_certificate: each query returns the offending rows; none means it passes.

-- check: key_not_null
select * from fact_certificate where certificate_key is null or owner is null

-- check: key_unique
select certificate_key, count(*) as copies
from fact_certificate
group by certificate_key
having count(*) > 1

-- check: relationship_every_silver_key_has_a_fact_row
select silver.certificate_key
from silver_certificates as silver
anti join fact_certificate as fact on silver.certificate_key = fact.certificate_key

-- check: relationship_every_fact_row_comes_from_silver
select fact.certificate_key
from fact_certificate as fact
anti join silver_certificates as silver
    on fact.batch_id = silver.batch_id and fact.item = silver.item and fact.certificate_key = silver.certificate_key

-- check: source_file_counts_add_up
select fact_files, silver_files
from (
    select
        (select coalesce(sum(source_file_count), 0) from fact_certificate) as fact_files,
        (select count(*) from silver_certificates) as silver_files
)
where fact_files <> silver_files

-- check: enriched_copy_preferred
select fact.certificate_key
from fact_certificate as fact
semi join silver_certificates as silver
    on fact.certificate_key = silver.certificate_key and not silver.is_certificate_only
where fact.is_certificate_only

-- check: length_hours_not_negative
select certificate_key, length_hours from fact_certificate where length_hours < 0
