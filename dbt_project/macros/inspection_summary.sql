{#- Aggregates shared by region_summary and national_trend, over a relation `grouped` that has the
    group columns plus inspection_id, pdu_name, overall_rating and score_pct (one row per inspection).
    Denominators: rating shares over the group's inspections; the Inadequate share over the group's
    rated standards (ratings rows); the keeping-safe median over every keeping_safe key-question
    percentage of the group's inspections, pooled. Medians are DuckDB's median() (the mean of the two
    middle values for an even count). -#}
{% macro inspection_summary(grouped, group_columns) -%}
with per_inspection as (
    select
        g.*,
        coalesce(r.standards_rated, 0) as standards_rated,
        coalesce(r.standards_inadequate, 0) as standards_inadequate,
        coalesce(s.keeping_safe_pcts, []::integer[]) as keeping_safe_pcts
    from {{ grouped }} as g
    left join (
        select
            inspection_id,
            count(*) as standards_rated,
            count(*) filter (where rating = 'Inadequate') as standards_inadequate
        from {{ ref('ratings') }}
        group by inspection_id
    ) as r on r.inspection_id = g.inspection_id
    left join (
        select inspection_id, list(pct_yes) as keeping_safe_pcts
        from {{ ref('scores') }}
        where theme = 'keeping_safe'
        group by inspection_id
    ) as s on s.inspection_id = g.inspection_id
)

select
    {% for column in group_columns %}{{ column }}, {% endfor %}
    count(*)::integer as inspections,
    count(distinct pdu_name)::integer as pdus_inspected,
    {% for rating, column in [('Outstanding', 'outstanding'), ('Good', 'good'),
                              ('Requires improvement', 'requires_improvement'), ('Inadequate', 'inadequate')] %}
    (count(*) filter (where overall_rating = '{{ rating }}'))::integer as n_{{ column }},
    (count(*) filter (where overall_rating = '{{ rating }}') / count(*))::double as share_{{ column }},
    {% endfor %}
    median(score_pct)::double as median_score_pct,
    min(score_pct)::double as min_score_pct,
    max(score_pct)::double as max_score_pct,
    sum(standards_rated)::integer as standards_rated,
    sum(standards_inadequate)::integer as standards_inadequate,
    (sum(standards_inadequate) / nullif(sum(standards_rated), 0))::double as share_standards_inadequate,
    list_median(flatten(list(keeping_safe_pcts)))::double as median_keeping_safe_pct
from per_inspection
group by {% for column in group_columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}
