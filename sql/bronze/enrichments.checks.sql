-- Checks for bronze/enrichments: each query returns the offending rows; none means it passes.

-- check: key_not_null
select * from bronze_enrichments where batch_id is null or item is null

-- check: key_unique
select batch_id, item, count(*) as copies
from bronze_enrichments
group by batch_id, item
having count(*) > 1

-- check: accepted_methods
select batch_id, item, enrichment_method
from bronze_enrichments
where enrichment_method is null
    or enrichment_method not in ('link_file', 'cache', 'catalog', 'api', 'title_search', 'certificate_only')

-- check: accepted_statuses
select batch_id, item, enrichment_status
from bronze_enrichments
where enrichment_status is null or enrichment_status not in ('matched', 'certificate_only')
