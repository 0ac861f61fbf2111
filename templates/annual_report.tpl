{# Отчёт о мониторинге реализации программ повышения качества образования за учебный год,
   датированный концом года (или датой запуска): итоги по годам по каждой категории программ
   (таблица seed 002 и показатели, которые что-то измеряют при любом составе участников),
   программы по году открытия, мероприятия центра и проведённые мониторинги (seeds 000, 002),
   партнёрские пары, динамика показателей школ-участников от исходного года программы к
   последнему известному на дату отчёта. В XLSX каждая таблица — лист. #}
{% include "common" %}
{% macro num(v) %}{% if v == null %}—{% else %}{{ v }}{% endif %}{% endmacro %}
{% macro names(list) %}{% if list %}{{ list | join(", ") }}{% else %}—{% endif %}{% endmacro %}
{% call approval(authority.head, null) %}
{% call authority_heading(authority.heading) %}
{% call doc_type("ОТЧЁТ") %}
{% call date_number(as_of, null) %}
{% call issue_place(authority.city) %}
{% call doc_title("о мониторинге реализации программ повышения качества образования в " ~ academic_year ~ " учебном году") %}

<h1>1. Участники и результаты по годам</h1>
<p>Школы, отнесённые по итогам идентификации к категориям программ, реализуют программы повышения качества образования при сопровождении {{ centre.short_name }}. Школа, вышедшая из перечня, может продолжать программу «на доверии»; программа считается реализованной, если итоговый мониторинг проведён и динамика показателей положительная. Сведения — на {{ as_of | date }}.</p>
{% for cs in summary %}
{% if cs.category %}<h2>Программы {{ cs.category.abbr }}{% if cs.category.abbr != cs.category.title %} ({{ cs.category.title }}){% endif %}</h2>{% endif %}
<table widths="1.5,4.2,3.2,3.2,1.6" sheet="{{ 'Итоги, ' ~ cs.label }}" caption="Реализация программ повышения качества образования по годам">
  <tr header><th>Учебный год</th><th>Школы-участники (по перечню)</th><th>Продолжают реализацию программ (на доверии)</th><th>Программа реализована (положительные результаты)</th><th>Процент ОО, реализовавших ППКО*</th></tr>
  {% for row in cs.rows %}
  <tr><td>{{ row.year }}</td><td>{% call names(row.participants) %}</td><td>{% call names(row.on_trust) %}</td><td>{% call names(row.completed) %}</td><td align="center">{% if row.first_list_percent == null %}—{% else %}{{ row.first_list_percent }} %{% endif %}</td></tr>
  {% else %}
  <tr><td colspan="5">Данных нет: в папке данных нет показателей для идентификации.</td></tr>
  {% endfor %}
</table>
<p>* Как в источнике: число школ, продолжающих программу «на доверии» или реализовавших её, к числу школ перечня первого года. Если позднейшие перечни больше первого, значение может превышать 100 % и долей не является; для сравнения лет служит таблица ниже.</p>
<table widths="1.5,2,2,2" sheet="{{ 'Доли, ' ~ cs.label }}" caption="Программы года и доля реализовавших"
       chart="column" chart_title="Программы года и реализованные программы" chart_categories="1" chart_values="2,3">
  <tr header><th>Учебный год</th><th>Программ в году</th><th>Реализовано в конце года</th><th>Доля реализовавших, %</th></tr>
  {% for row in cs.rows %}<tr><td>{{ row.year }}</td><td align="center">{{ row.running }}</td><td align="center">{{ row.completed | length }}</td><td align="center">{% call num(row.completed_percent) %}</td></tr>{% endfor %}
</table>
{% if cs.cohorts %}
<p>Программы по году открытия (реализовано на {{ as_of | date }}):</p>
<table widths="2,2,2,2" sheet="{{ 'По году открытия, ' ~ cs.label }}">
  <tr header><th>Год открытия</th><th>Открыто программ</th><th>Реализовано</th><th>Доля, %</th></tr>
  {% for c in cs.cohorts %}<tr><td>{{ c.year }}</td><td align="center">{{ c.programs }}</td><td align="center">{{ c.completed }}</td><td align="center">{% call num(c.percent) %}</td></tr>{% endfor %}
</table>
{% endif %}
{% endfor %}

{% if events %}
<h1>2. Мероприятия {{ centre.short_name }} в {{ events.year }} учебном году</h1>
{% if events.events %}
<table widths="2,3,6" sheet="Мероприятия">
  <tr header><th>Дата</th><th>Форма</th><th>Тема</th></tr>
  {% for e in events.events %}<tr><td>{% if e.date %}{{ e.date | date }}{% else %}{{ e.month | month_name }} {{ e.month | year }}{% endif %}</td><td>{{ e.kind }}</td><td>{{ e.title }}{% if e.audience %} ({{ e.audience }}){% endif %}</td></tr>{% endfor %}
</table>
{% endif %}
{% if events.monitorings %}
<h1>3. Проведённые мониторинги</h1>
<ul>{% for m in events.monitorings %}<li>{{ m }}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ul>
{% endif %}
{% endif %}

{% if partnership %}
<h1>4. Партнёрское взаимодействие</h1>
<p>Пары школ на {{ partnership.year }} учебный год{% if partnership.order %} (приказ от {{ partnership.order.date | date }} {{ partnership.order.number | number_sign }}){% elif partnership.basis %} ({{ partnership.basis }}){% endif %}:</p>
<ul>{% for s in partnership.schools %}<li>{{ s.school.short_name }} – {% for p in s.partners %}{{ p.short_name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ul>
{% endif %}

<h1>5. Динамика показателей школ-участников</h1>
{% for p in participants %}
<h2>{{ p.school.short_name }}</h2>
<table widths="6,2,2,1.6" sheet="{{ p.school.short_name }}">
  <tr header><th>Показатель</th><th>Исходное значение</th><th>Последнее известное</th><th>Изменение</th></tr>
  {% for d in p.dynamics %}<tr><td>{{ d.title }}{% if d.unit %}, {{ d.unit }}{% endif %}</td><td align="center">{% call num(d.first) %}{% if d.first_period %} ({{ d.first_period }}){% endif %}</td><td align="center">{% call num(d.current) %}{% if d.current_period %} ({{ d.current_period }}){% endif %}</td><td align="center">{% call num(d.change) %}</td></tr>{% endfor %}
</table>
{% else %}
<p>Школ-участников в {{ academic_year }} учебном году нет.</p>
{% endfor %}
{% call head_signature() %}
