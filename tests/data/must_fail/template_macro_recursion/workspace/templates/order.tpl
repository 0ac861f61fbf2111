<doctype>ПРИКАЗ</doctype>
{% macro m() %}x{% call m() %}{% endmacro %}
<p>{% call m() %}</p>
