-- Checks for gold/owner_stats: each query returns the offending rows; none means it passes.

-- check: key_not_null
select * from owner_stats where owner is null or period is null

-- check: key_unique
select owner, period, count(*) as copies
from owner_stats
group by owner, period
having count(*) > 1

-- check: period_matches_completed_year
select owner, period, completed_year
from owner_stats
where (period in ('all', 'unknown') and completed_year is not null)
    or (period not in ('all', 'unknown') and period is distinct from cast(completed_year as varchar))

-- check: totals_in_range
select *
from owner_stats
where total_courses <= 0
    or total_hours < 0
    or paid_courses not between 0 and total_courses
    or practice_tests not between 0 and total_courses

-- check: all_years_row_equals_sum_of_years
select all_row.owner
from owner_stats as all_row
join (
    select
        owner,
        sum(total_courses) as total_courses,
        sum(cast(total_hours as decimal(18, 4))) as total_hours,
        sum(paid_courses) as paid_courses,
        sum(practice_tests) as practice_tests
    from owner_stats
    where period <> 'all'
    group by owner
) as years on all_row.owner = years.owner
where all_row.period = 'all'
    and (
        all_row.total_courses <> years.total_courses
        or cast(all_row.total_hours as decimal(18, 4)) <> years.total_hours
        or all_row.paid_courses <> years.paid_courses
        or all_row.practice_tests <> years.practice_tests
    )

-- check: relationship_every_fact_owner_has_an_all_row
select distinct fact.owner
from fact_certificate as fact
anti join (select owner from owner_stats where period = 'all') as stats on fact.owner = stats.owner

-- check: relationship_every_owner_comes_from_fact
select distinct stats.owner
from owner_stats as stats
anti join fact_certificate as fact on stats.owner = fact.owner

-- check: all_rows_count_every_fact_row
select courses_in_stats, fact_rows
from (
    select
        (select coalesce(sum(total_courses), 0) from owner_stats where period = 'all') as courses_in_stats,
        (select count(*) from fact_certificate) as fact_rows
)
where courses_in_stats <> fact_rows
