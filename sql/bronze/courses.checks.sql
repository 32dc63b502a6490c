-- Checks for bronze/courses: each query returns the offending rows; none means it passes.

-- check: key_not_null
select * from bronze_courses where course_id is null

-- check: key_unique
select course_id, count(*) as copies
from bronze_courses
group by course_id
having count(*) > 1

-- check: course_path_present
select course_id from bronze_courses where course_path is null or trim(course_path) = ''
