{# Ежегодный отчёт о мониторинге реализации программ повышения качества образования: итоги по
   годам (таблица seed 002: участники, продолжающие «на доверии», реализовавшие ППКО, процент),
   мероприятия центра за год с датами и проведённые мониторинги (seeds 000, 002), партнёрские
   пары, динамика показателей школ-участников. В XLSX каждая таблица — лист. #}
{% include "common" %}
{% macro num(v) %}{% if v == null %}—{% else %}{{ v }}{% endif %}{% endmacro %}
{% for line in authority.heading %}
<p role="plain" align="center" bold>{{ line }}</p>
{% endfor %}
<doctype>ОТЧЁТ</doctype>
<doctitle>о мониторинге реализации программ повышения качества образования в {{ academic_year }} учебном году</doctitle>

<h1>1. Участники и результаты по годам</h1>
<p>Школы с низкими результатами обучения реализуют программы повышения качества образования при сопровождении {{ centre.short_name }}. Школа, вышедшая из перечня, может продолжать программу «на доверии»; программа считается реализованной, если итоговый мониторинг показал положительную динамику.</p>
<table widths="1.6,4,3,3,1.4,1.4" sheet="Итоги по годам" caption="Реализация программ повышения качества образования по годам"
       chart="column" chart_title="Число школ-участников по годам;Процент ОО, реализовавших ППКО, по годам" chart_categories="1" chart_values="5;6">
  <tr header><th>Учебный год</th><th>Школы-участники (по перечню)</th><th>Продолжают реализацию программ (на доверии)</th><th>Программа реализована (положительные результаты)</th><th>Число участников</th><th>Процент ОО, реализовавших ППКО</th></tr>
  {% for row in summary %}
  <tr><td>{{ row.year }}</td><td>{{ row.participants | join(", ") }}</td><td>{% if row.on_trust %}{{ row.on_trust | join(", ") }}{% else %}—{% endif %}</td><td>{% if row.completed %}{{ row.completed | join(", ") }}{% else %}—{% endif %}</td><td align="center">{{ row.count }}</td><td align="center">{% call num(row.percent) %}</td></tr>
  {% else %}
  <tr><td colspan="6">Данных нет: в папке данных нет показателей по годам.</td></tr>
  {% endfor %}
</table>
<p>Процент — число школ, продолжающих программу «на доверии» или реализовавших её, к числу школ-участников первого года проекта.</p>

{% if events %}
<h1>2. Мероприятия {{ centre.short_name }} в {{ events.year }} учебном году</h1>
<table widths="2,3,6" sheet="Мероприятия">
  <tr header><th>Дата</th><th>Форма</th><th>Тема</th></tr>
  {% for e in events.events %}<tr><td>{% if e.date %}{{ e.date | date }}{% else %}{{ e.month | month_name }} {{ e.month | year }}{% endif %}</td><td>{{ e.kind }}</td><td>{{ e.title }}{% if e.audience %} ({{ e.audience }}){% endif %}</td></tr>{% endfor %}
</table>
{% if events.monitorings %}
<h1>3. Проведённые мониторинги</h1>
<ul>{% for m in events.monitorings %}<li>{{ m }};</li>{% endfor %}</ul>
{% endif %}
{% endif %}

{% if partnership %}
<h1>4. Партнёрское взаимодействие</h1>
<p>Пары школ на {{ partnership.year }} учебный год (приказ от {{ partnership.order.date | date }} {{ partnership.order.number | number_sign }}):</p>
<ul>{% for pair in partnership.pairs %}<li>{{ pair.school.short_name }} – {{ pair.partner.short_name }}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ul>
{% endif %}

<h1>5. Динамика показателей школ-участников</h1>
{% for p in participants %}
<h2>{{ p.school.short_name }}</h2>
<table widths="6,2,2" sheet="{{ p.school.short_name }}">
  <tr header><th>Показатель</th><th>Исходное значение</th><th>{{ academic_year }}</th></tr>
  {% for d in p.dynamics %}<tr><td>{{ d.title }}{% if d.unit %}, {{ d.unit }}{% endif %}{% if d.first_year %} (исходное — {{ d.first_year }}){% endif %}</td><td align="center">{% call num(d.first) %}</td><td align="center">{% call num(d.current) %}</td></tr>{% endfor %}
</table>
{% endfor %}
{% call head_signature() %}
