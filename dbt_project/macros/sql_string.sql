{#- A value from a seed as a SQL string constant, its single quotes doubled (dbt.string_literal does not). -#}
{% macro sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
