-- owner_stats: totals per owner and completion year, plus one all-years row per owner.
-- Grain: one row per (owner, period); period is the year ('2023'), 'unknown' (no completion date read)
-- or 'all' (completed_year null). The 'all' row equals the sum of the owner's other rows.
-- Hours are summed as DECIMAL(18, 4) so the totals never depend on summation order.

with

certificates as (

    select * from fact_certificate

),

per_year as (

    select
        owner,
        coalesce(cast(completed_year as varchar), 'unknown') as period,
        completed_year,
        count(*) as total_courses,
        sum(cast(coalesce(length_hours, 0) as decimal(18, 4))) as total_hours,
        count(*) filter (where is_paid) as paid_courses,
        count(*) filter (where is_practice_test) as practice_tests
    from certificates
    group by owner, completed_year

),

all_years as (

    select
        owner,
        'all' as period,
        cast(null as integer) as completed_year,
        count(*) as total_courses,
        sum(cast(coalesce(length_hours, 0) as decimal(18, 4))) as total_hours,
        count(*) filter (where is_paid) as paid_courses,
        count(*) filter (where is_practice_test) as practice_tests
    from certificates
    group by owner

),

unioned as (

    select * from per_year
    union all by name
    select * from all_years

),

final as (

    select
        cast(owner as varchar) as owner,
        cast(period as varchar) as period,
        cast(completed_year as integer) as completed_year,
        cast(total_courses as bigint) as total_courses,
        cast(total_hours as double) as total_hours,
        cast(paid_courses as bigint) as paid_courses,
        cast(practice_tests as bigint) as practice_tests
    from unioned

)

select * from final
order by owner, case period when 'all' then 2 when 'unknown' then 1 else 0 end, completed_year
