{#- Generic test: a share (fraction) column stays within 0-1 (nulls are left to not_null). -#}
{% test share_within_0_1(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}
