{# Общие блоки официальных документов: гриф приложения и подпись руководителя.
   Подключается в начале шаблона: {% include "common" %}. #}

{# Гриф «Приложение № N к приказу … от … № …» в правом верхнем углу первой страницы
   приложения. Строки «к приказу …» берутся из authority.stamp_lines, дата и номер — из order. #}
{% macro appendix_stamp(number) %}
<stamp>Приложение {{ number | number_sign }}{% for line in authority.stamp_lines %}<br/>{{ line }}{% endfor %}<br/>от {{ order.date | date }} {{ order.number | number_sign }}</stamp>
{% endmacro %}

{# Подпись: должность руководителя по строкам слева, инициалы и фамилия у правого поля. #}
{% macro head_signature() %}
<signature>
  {% for line in authority.head.position %}<line>{{ line }}</line>{% endfor %}
  <name>{{ authority.head.name | initials }}</name>
</signature>
{% endmacro %}

{# Абзацы текста (поле типа text — список абзацев). #}
{% macro paragraphs(list) %}
{% for text in list %}<p>{{ text }}</p>{% endfor %}
{% endmacro %}
