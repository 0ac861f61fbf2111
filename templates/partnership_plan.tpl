{# План-график совместных мероприятий школы и её партнёров на учебный год (seed 004: «в срок
   до 15.01.2021 подготовить план – график мероприятий в рамках взаимодействия школ –
   партнеров»). Документ по каждой школе-участнику, датирован сроком представления: в нём только
   то, что ещё предстоит, — этапы рабочего процесса с этой даты до конца года; у каждого партнёра
   свой раздел. Наименование организации — школа-автор; согласование — по грифу на каждую
   сторону (должность, подпись, инициалы и фамилия, дата). #}
{% include "common" %}
{% macro fill(what) %}<i>[Заполняет школа: {{ what }}]</i>{% endmacro %}
{% call authority_heading([school.name | capitalize]) %}
{% call doc_type("ПЛАН-ГРАФИК") %}
{% call doc_title("совместных мероприятий " ~ school.short_name ~ " и школ-партнёров на " ~ year.name ~ " учебный год") %}
{% if plan_deadline %}<p indent="none">Срок представления: до {{ plan_deadline | date }}.</p>{% endif %}
{% for partner in partners %}
<h1>{{ loop.index }}. Взаимодействие с партнёром: {{ partner.short_name }}</h1>
<p indent="none">{{ partner.name | capitalize }}{% if not partner.is_school %} ({{ partner.kind }}){% endif %}.</p>
<table widths="1,6,2.5,3.5" sheet="{{ partner.short_name }}">
  <tr header><th>№ п/п</th><th>Мероприятие</th><th>Срок</th><th>Ответственные</th></tr>
  {% for stage in remaining_stages %}
    {% set s = loop.index %}
    <tr><td colspan="4" bold>{{ s }}. {{ stage.title }} ({{ stage.from | date }} – {{ stage.to | date }})</td></tr>
    <tr><td align="center">{{ s }}.1</td><td>{% call fill("совместное мероприятие этапа") %}</td><td>{{ stage.from | date }} – {{ stage.to | date }}</td><td>{{ school.short_name }}, {{ partner.short_name }}</td></tr>
  {% else %}
    <tr><td colspan="4">Учебный год завершён: мероприятий не осталось.</td></tr>
  {% endfor %}
</table>
{% else %}
<p indent="none">{% call fill("партнёр ещё не утверждён: план-график составляется после решения о парах школ") %}</p>
{% endfor %}
{% call agreement(director, null) %}
{% for partner in partners %}{% call agreement(partner.person, null) %}{% endfor %}
