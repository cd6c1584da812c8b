{#- Unchanged seeds (docs/dbt.md, "Unchanged seeds").

    intermediate.seed_state holds one row per seed that a refresh may leave out of its build: the fingerprint of
    the seed as it was loaded (orchestration/seed_state.py computes it from the parsed manifest) and when. The
    refresh writes a row after the seed loaded and its tests passed; this post-hook, run by every load of a seed
    inside the load's own transaction (whoever runs dbt: the pipeline, `dbt seed` by hand), deletes the seed's
    row first. So a row exists only when the last load of the seed was the pipeline's, with that fingerprint;
    a load that fails is rolled back together with the deletion. Not a dbt model, never published. -#}

{% macro seed_state_relation() -%}
    {{ return(api.Relation.create(database=target.database, schema='intermediate', identifier='seed_state')) }}
{%- endmacro %}


{% macro forget_seed_state() -%}
    {%- set state = seed_state_relation() -%}
    create schema if not exists {{ state.schema }};
    create table if not exists {{ state }} (
        seed varchar not null,
        fingerprint varchar not null,
        loaded_at timestamp not null,
        loaded_by varchar not null
    );
    delete from {{ state }} where seed = '{{ model.unique_id }}'
{%- endmacro %}
