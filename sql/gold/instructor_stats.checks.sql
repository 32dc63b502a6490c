-- Checks for gold/instructor_stats: each query returns the offending rows; none means it passes.

-- check: key_not_null
select * from instructor_stats where owner is null or instructor_name is null

-- check: key_unique
select owner, instructor_name, count(*) as copies
from instructor_stats
group by owner, instructor_name
having count(*) > 1

-- check: totals_in_range
select * from instructor_stats where total_courses <= 0 or total_hours < 0

-- check: relationship_instructor_taught_a_fact_certificate
select stats.owner, stats.instructor_name
from instructor_stats as stats
anti join (
    select owner, unnest(instructors) as instructor_name from fact_certificate
) as fact on stats.owner = fact.owner and stats.instructor_name = fact.instructor_name

-- check: relationship_owner_has_stats
select stats.owner, stats.instructor_name, stats.total_courses
from instructor_stats as stats
left join owner_stats as owners on stats.owner = owners.owner and owners.period = 'all'
where owners.owner is null or stats.total_courses > owners.total_courses
