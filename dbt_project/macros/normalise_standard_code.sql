{#- "P 1.1" / "1.1." / " 1.1" -> "1.1": the 2024 framework prints a "P " prefix. -#}
{% macro normalise_standard_code(expr) -%}
    regexp_replace(trim(regexp_replace({{ expr }}, '^\s*P\s*', '')), '\.$', '')
{%- endmacro %}
