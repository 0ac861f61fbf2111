{# Решение заседания совета по программам повышения качества образования (seed 004): повестка,
   цель и задачи, пронумерованные решения со сроками, пары школ-партнёров. #}
{% include "common" %}
<doctype>РЕШЕНИЕ</doctype>
<doctitle>{{ council.title }} «{{ council.subject }}»</doctitle>
<p indent="none">Дата: {{ council.date | date }}{% if council.time %}, время: {{ council.time }}{% endif %}{% if council.format %}, формат: {{ council.format }}{% endif %}.</p>
{% for p in council.participants %}<p indent="none">Состав участников: {{ p }}.</p>{% endfor %}
{% for g in council.goal %}<p indent="none">Цель: {{ g }}.</p>{% endfor %}
{% if council.tasks %}
<p indent="none">Задачи:</p>
<ol>{% for t in council.tasks %}<li>{{ t }}.</li>{% endfor %}</ol>
{% endif %}
<p indent="none" keep>РЕШИЛИ:</p>
<ol>
  <li>Принять к сведению информацию о ходе реализации программ повышения качества образования {{ participants | length }} {{ participants | length | plural("школы", "школ", "школ") }} в {{ academic_year }} учебном году:
    <ul>
      {% for p in participants %}<li>{{ p.school.short_name }} — {% if p.program %}{{ p.program.stage_title | lower }}{% else %}сведений о ходе программы нет{% endif %}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}
    </ul>
  </li>
  {% for r in council.recommendations %}<li>{{ r }}.</li>{% endfor %}
  {% if partnership %}
  <li>В срок до {{ partnership.plan_deadline | date }} подготовить план-график мероприятий в рамках взаимодействия школ-партнёров:
    <ul>{% for pair in partnership.pairs %}<li>{{ pair.school.short_name }} – {{ pair.partner.short_name }}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ul>
  </li>
  {% endif %}
</ol>
<p indent="none">Председатель ____________ {% if council.chair %}{{ council.chair | initials }}{% endif %}</p>
<p indent="none">Секретарь ____________ {% if council.secretary %}{{ council.secretary | initials }}{% endif %}</p>
