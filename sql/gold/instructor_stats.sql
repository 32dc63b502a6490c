-- instructor_stats: per owner and instructor, the courses taken and their hours.
-- Grain: one row per (owner, instructor_name). A course with several instructors counts fully for each
-- of them; a certificate without instructors counts for none.

with

certificates as (

    select * from fact_certificate

),

certificate_instructors as (

    select distinct
        owner,
        certificate_key,
        unnest(instructors) as instructor_name,
        length_hours
    from certificates

),

aggregated as (

    select
        owner,
        instructor_name,
        count(*) as total_courses,
        sum(cast(coalesce(length_hours, 0) as decimal(18, 4))) as total_hours
    from certificate_instructors
    group by owner, instructor_name

),

final as (

    select
        cast(owner as varchar) as owner,
        cast(instructor_name as varchar) as instructor_name,
        cast(total_courses as bigint) as total_courses,
        cast(total_hours as double) as total_hours
    from aggregated

)

select * from final
order by owner, total_hours desc, instructor_name
