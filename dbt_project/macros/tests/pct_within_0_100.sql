{#- Generic test: a percentage column stays within 0-100 (nulls are left to not_null). -#}
{% test pct_within_0_100(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 100
{% endtest %}
