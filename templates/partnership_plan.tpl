{# План-график совместных мероприятий пары «школа — школа-партнёр» на учебный год (seed 004:
   «в срок до 15.01.2021 подготовить план – график мероприятий в рамках взаимодействия школ –
   партнеров»). Документ по каждой школе-участнику; сроки — по этапам рабочего процесса. #}
{% include "common" %}
<doctype>ПЛАН-ГРАФИК</doctype>
<doctitle>совместных мероприятий {{ school.short_name }}{% if partner %} и {{ partner.short_name }}{% endif %} в {{ year.name }} учебном году</doctitle>
{% if partner %}
<p indent="none">Школа-партнёр: {{ partner.name }}.</p>
{% for r in partner_reasons %}<p indent="none"><i>Основание подбора: {{ r }}.</i></p>{% endfor %}
{% else %}
<p indent="none"><i>[Заполняет школа: школа-партнёр ещё не назначена приказом]</i></p>
{% endif %}
{% if plan_deadline %}<p indent="none">Срок представления план-графика: до {{ plan_deadline | date }}.</p>{% endif %}
<table widths="1,6,2.5,3.5" sheet="План-график">
  <tr header><th>№ п/п</th><th>Мероприятие</th><th>Срок</th><th>Ответственные</th></tr>
  {% for stage in stages %}
    {% set s = loop.index %}
    <tr><td colspan="4" bold>{{ s }}. {{ stage.title }} ({{ stage.from | date }} – {{ stage.to | date }})</td></tr>
    <tr><td align="center">{{ s }}.1</td><td><i>[Заполняет школа: совместное мероприятие этапа]</i></td><td>{{ stage.from | date }} – {{ stage.to | date }}</td><td>{{ school.short_name }}{% if partner %}, {{ partner.short_name }}{% endif %}</td></tr>
  {% endfor %}
</table>
<p indent="none">Согласовано: директор {{ school.short_name }} ____________{% if partner %}   директор {{ partner.short_name }} ____________{% endif %}</p>
