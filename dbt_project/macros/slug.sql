{#- A name as a URL- and key-safe slug: lower case, every run of other characters one hyphen, no hyphen at
    either end ("Portsmouth and the Isle of Wight" -> "portsmouth-and-the-isle-of-wight"). -#}
{% macro slug(expr) -%}
    trim(regexp_replace(lower({{ expr }}), '[^a-z0-9]+', '-', 'g'), '-')
{%- endmacro %}
