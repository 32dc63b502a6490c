-- Checks for bronze/certificates: each query returns the offending rows; none means it passes.

-- check: key_not_null
select * from bronze_certificates
where batch_id is null or item is null or source_key is null or source_sha256 is null

-- check: key_unique
select batch_id, item, count(*) as copies
from bronze_certificates
group by batch_id, item
having count(*) > 1

-- check: confidences_between_0_and_1
select batch_id, item, field_confidences
from bronze_certificates
where list_min(map_values(field_confidences)) < 0 or list_max(map_values(field_confidences)) > 1

-- check: length_hours_not_negative
select batch_id, item, length_hours from bronze_certificates where length_hours < 0
