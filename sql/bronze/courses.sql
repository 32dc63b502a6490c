-- bronze_courses: staging over raw_courses (CoursePayload JSON in Udemy's api-2.0 course shape).
-- Grain: one row per course payload record (one per course_id when fed from the course cache).
-- Only renames, casts and flattens (locale.*, visible_instructors[*]); extra API fields are dropped.

with

source as (

    select record from raw_courses

),

renamed as (

    select
        cast(record ->> '$.id' as bigint) as course_id,
        record ->> '$.title' as course_title,
        record ->> '$.url' as course_path,
        record ->> '$.published_title' as course_published_title,
        record ->> '$.headline' as course_headline,
        cast(record ->> '$.is_paid' as boolean) as is_paid,
        cast(record ->> '$.is_practice_test_course' as boolean) as is_practice_test,
        record ->> '$.content_info' as course_content_info,
        record ->> '$.locale.locale' as course_locale,
        record ->> '$.locale.title' as course_locale_title,
        coalesce(
            from_json(
                record -> '$.visible_instructors',
                '[{"title": "VARCHAR", "display_name": "VARCHAR", "job_title": "VARCHAR"}]'
            ),
            []
        ) as course_instructors
    from source

),

final as (

    select * from renamed

)

select * from final
