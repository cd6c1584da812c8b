{#- Incremental marts keyed on inspection_id (docs/dbt.md, "Incremental marts").

    The per-inspection marts (materialized incremental in dbt_project.yml) rebuild only the rows of the
    inspections whose current version changed. An inspection's version key is an md5 over its whole row of
    int_current_inspections: content hash, parse time and parser version, file path and presence, and every
    report-level fact. The loader writes a version's per-version rows (standards, key questions, ...) together
    with its raw.reports row, and a re-parse gets a new parsed_at, so the key changes whenever anything these
    marts read about the inspection changes; the seeds are covered by the project fingerprint below.

    intermediate.incremental_state holds, per incremental model, one row per inspection it was built for:
    (model, inspection_id, version_key, project_fingerprint, built_by = invocation id, tested_by). It is not a
    dbt model (no node to run) and is never published: the serving copy takes the marts schema only.

    Each incremental model, in the one transaction its materialisation opens:
      pre-hook   creates the state table if missing; notes the current version keys and the "kept"
                 inspections (state key for this model = current key; none when built in full) in two
                 temporary tables; when incremental, deletes the mart rows of every inspection not kept;
      model SQL  when incremental, selects only the current inspections that are not kept (appended);
      post-hook  deletes the state rows that are not kept and inserts those of the inspections rebuilt.
    A failed statement rolls the whole model back (mart and state together), so the two never disagree,
    whichever subset of models a run selects. -#}

{% macro inspection_state_relation() -%}
    {{ return(api.Relation.create(database=target.database, schema='intermediate', identifier='incremental_state')) }}
{%- endmacro %}


{#- The current version key of every current inspection. -#}
{% macro inspection_versions() -%}
    select c.inspection_id, md5(to_json(c)::varchar) as version_key
    from {{ ref('int_current_inspections') }} as c
{%- endmacro %}


{#- Temporary tables of one model's build (pre-hook to post-hook): the current versions, and the inspections
    whose rows are kept. Computed once, they spare the model and its hooks re-evaluating the version ranking. -#}
{% macro inspection_temp(kind) -%}
    {{- return('inspection_' ~ kind ~ '__' ~ this.identifier) -}}
{%- endmacro %}


{#- The filter a model applies to its rows: every inspection when built in full, else the ones not kept. -#}
{% macro inspections_to_build(column) -%}
    {%- if is_incremental() -%}
        {{ column }} in (
            select inspection_id from {{ inspection_temp('versions') }}
            where inspection_id not in (select inspection_id from {{ inspection_temp('kept') }})
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{% macro inspection_rows_pre_hook() -%}
    {%- set state = inspection_state_relation() -%}
    create schema if not exists {{ state.schema }};
    create table if not exists {{ state }} (
        model varchar not null,
        inspection_id varchar not null,
        version_key varchar not null,
        project_fingerprint varchar not null,
        built_by varchar not null,
        built_at timestamp not null,
        tested_by varchar
    );
    create or replace temporary table {{ inspection_temp('versions') }} as {{ inspection_versions() }};
    create or replace temporary table {{ inspection_temp('kept') }} as
    {% if is_incremental() -%}
        select s.inspection_id
        from {{ state }} as s
        inner join {{ inspection_temp('versions') }} as v
            on s.inspection_id = v.inspection_id and s.version_key = v.version_key
        where s.model = '{{ this.identifier }}';
    delete from {{ this }}
    where inspection_id is null or inspection_id not in (select inspection_id from {{ inspection_temp('kept') }});
    {%- else -%}
        select null::varchar as inspection_id where false;
    {%- endif %}
{%- endmacro %}


{% macro inspection_rows_post_hook() -%}
    {%- set state = inspection_state_relation() -%}
    delete from {{ state }}
    where model = '{{ this.identifier }}'
        and inspection_id not in (select inspection_id from {{ inspection_temp('kept') }});
    insert into {{ state }}
    select
        '{{ this.identifier }}',
        inspection_id,
        version_key,
        '{{ inspection_project_fingerprint(model.unique_id) }}',
        '{{ invocation_id }}',
        now()::timestamp,
        null
    from {{ inspection_temp('versions') }}
    where inspection_id not in (select inspection_id from {{ inspection_temp('kept') }});
    drop table {{ inspection_temp('versions') }};
    drop table {{ inspection_temp('kept') }};
{%- endmacro %}


{#- What a model's rows depend on besides the data: the dbt version, every macro of this project, and the
    model with everything upstream of it (each model's and seed's file checksum, config and declared column
    types). A change to any of them makes the model's state stale and the next build a full one. -#}
{% macro inspection_project_fingerprint(unique_id) -%}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set parts = ['dbt ' ~ dbt_version] -%}
    {%- for name in probation | sort -%}
        {%- do parts.append('macro ' ~ name ~ ' ' ~ local_md5(probation[name].macro.macro_sql)) -%}
    {%- endfor -%}
    {%- set closure = [unique_id] -%}
    {#- A breadth-first walk: the loop also visits the parents appended while it runs. -#}
    {%- for node_id in closure -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node -%}
            {%- for parent in node.depends_on.nodes if parent not in closure -%}
                {%- do closure.append(parent) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for node_id in closure | sort -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- do columns.append(column.name ~ ':' ~ column.data_type) -%}
            {%- endfor -%}
            {%- do parts.append(
                node_id ~ ' ' ~ node.checksum.checksum ~ ' ' ~ tojson(node.config, sort_keys=true)
                ~ ' ' ~ columns | join(',')
            ) -%}
        {%- else -%}
            {%- do parts.append(node_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(local_md5(parts | join('\n'))) -}}
{%- endmacro %}


{#- True when this incremental model's rows cannot be trusted to the state: no state table, no state rows for
    the model, or rows written by another project fingerprint. Asked several times per model (is_incremental,
    the hooks, the materialisation), it is worked out once per model and invocation and kept in the graph
    dict, the one object every node's context shares. -#}
{% macro inspection_state_is_stale() -%}
    {%- set cache = graph.setdefault('inspection_state_is_stale', {}) -%}
    {%- set key = invocation_id ~ ' ' ~ model.unique_id -%}
    {%- if key not in cache -%}
        {%- set stale = true -%}
        {%- if inspection_state_exists() -%}
            {%- set counts = run_query(
                "select count(*), count(*) filter (where project_fingerprint = '"
                ~ inspection_project_fingerprint(model.unique_id) ~ "') from " ~ inspection_state_relation()
                ~ " where model = '" ~ this.identifier ~ "'"
            ).rows[0] -%}
            {%- set stale = counts[0] == 0 or counts[0] != counts[1] -%}
        {%- endif -%}
        {%- do cache.update({key: stale}) -%}
    {%- endif -%}
    {{- return(cache[key]) -}}
{%- endmacro %}


{% macro inspection_state_exists() -%}
    {%- set state = inspection_state_relation() -%}
    {%- set found = run_query(
        "select count(*) from information_schema.tables where table_catalog = '" ~ state.database
        ~ "' and table_schema = '" ~ state.schema ~ "' and table_name = '" ~ state.identifier ~ "'"
    ).rows[0][0] -%}
    {{- return(found > 0) -}}
{%- endmacro %}


{#- dbt's should_full_refresh (global project), plus: an incremental model whose state is stale is built in
    full. is_incremental() and the incremental materialisation both ask this macro, so they agree. -#}
{% macro should_full_refresh() -%}
    {%- set config_full_refresh = config.get('full_refresh') -%}
    {%- if config_full_refresh is none -%}
        {%- set config_full_refresh = flags.FULL_REFRESH -%}
    {%- endif -%}
    {%- if not config_full_refresh and execute and model.resource_type == 'model'
        and model.config.materialized == 'incremental' -%}
        {%- set config_full_refresh = inspection_state_is_stale() -%}
    {%- endif -%}
    {{- return(config_full_refresh) -}}
{%- endmacro %}


{#- Tests configured with `where: "__rows_not_yet_tested__"` look only at the rows that no complete, passing
    run of the model's restricted tests has seen yet: every row but those of inspections whose state row has
    tested_by set. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__rows_not_yet_tested__' in where -%}
        {#- Any row not of an inspection known as tested, so that a row without (or with an unknown)
            inspection_id is always looked at. -#}
        {%- set untested -%}
            (inspection_id is null or inspection_id not in (
                select inspection_id from {{ inspection_state_relation() }}
                where model = '{{ relation.identifier }}' and tested_by is not null
            ))
        {%- endset -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where | replace('__rows_not_yet_tested__', untested)
            ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) -%}
{%- endmacro %}


{#- on-run-end: the state rows of an incremental model become tested when every restricted test of that model
    ran in this invocation and passed. A failing or warning test, or one not selected, leaves them untested,
    so the next run tests them again: a bad row is never let through by a later run that did not rebuild it. -#}
{% macro mark_inspections_tested(results) -%}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- if not inspection_state_exists() -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set state = inspection_state_relation() -%}
    {%- set status = {} -%}
    {%- for result in results if result.node.resource_type == 'test' -%}
        {%- do status.update({result.node.unique_id: result.status | string}) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
        {%- set restricted = [] -%}
        {%- for test in graph.nodes.values()
            if test.resource_type == 'test' and test.attached_node == node.unique_id
            and '__rows_not_yet_tested__' in (test.config.where or '') -%}
            {%- do restricted.append(status.get(test.unique_id, 'not run')) -%}
        {%- endfor -%}
        {%- if restricted and restricted | reject('equalto', 'pass') | list | length == 0 -%}
            {%- do statements.append(
                "update " ~ state ~ " set tested_by = '" ~ invocation_id ~ "' where model = '" ~ node.alias
                ~ "' and tested_by is null"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(statements | join(';\n')) -}}
{%- endmacro %}
