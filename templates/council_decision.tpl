{# Решение заседания совета по программам повышения качества образования (seed 004): орган,
   вид документа, дата и номер, место, заголовок; сведения о заседании; «РЕШИЛИ:» — пункты о ходе
   программ школ (на дату заседания), пункты решения из данных со сроками, пары школ-партнёров,
   если они утверждены к дате заседания; подписи председателя и секретаря. #}
{% include "common" %}
{% set c = council %}
{% call authority_heading(authority.heading) %}
{% if c.body %}<p role="heading">{{ c.body }}</p>{% endif %}
{% call doc_type("РЕШЕНИЕ") %}
{% call date_number(c.date, c.number) %}
{% call issue_place(authority.city) %}
{% call doc_title(c.title ~ " " ~ (c.subject | quote)) %}
{% if c.time or c.format %}<p indent="none">Заседание {% if c.format %}проведено {{ c.format }}{% endif %}{% if c.time %}{% if c.format %}, {% endif %}начало в {{ c.time }}{% endif %}.</p>{% endif %}
{% for p in c.participants %}<p indent="none">Состав участников: {{ p | lower_first }}.</p>{% endfor %}
{% for g in c.goal %}<p indent="none">Цель: {{ g | lower_first }}.</p>{% endfor %}
{% if c.tasks %}
<p indent="none">Задачи:</p>
<ol>{% for t in c.tasks %}<li>{{ t }}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ol>
{% endif %}
<p indent="none" keep>РЕШИЛИ:</p>
<ol>
  {% if participants and c.programs_item != false %}
  <li>Принять к сведению информацию о ходе реализации программ повышения качества образования {{ participants | length }} {{ participants | length | plural("школы", "школ", "школ") }} в {{ academic_year }} учебном году (на {{ as_of | date }}):
    <ul>
      {% for p in participants %}<li>{{ p.school.short_name }} — {% if p.program %}{{ p.program.stage_title | lower_first }}{% if p.program.status == "completed" %}, программа реализована{% endif %}{% else %}программа ещё не открыта{% endif %}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}
    </ul>
  </li>
  {% endif %}
  {% for d in c.decisions %}<li>{% for t in d.text %}{{ t }}{% if not loop.last %} {% endif %}{% endfor %}.{% if d.deadline %} Срок — до {{ d.deadline | date }}.{% endif %}{% if d.responsible %} Ответственный — {{ d.responsible }}.{% endif %}</li>{% endfor %}
  {% if partnership and partnership.schools %}
  <li>{% if partnership.plan_deadline %}В срок до {{ partnership.plan_deadline | date }} подготовить{% else %}Подготовить{% endif %} план-график мероприятий в рамках взаимодействия школ-партнёров:
    <ul>{% for s in partnership.schools %}<li>{{ s.school.short_name }} – {% for p in s.partners %}{{ p.short_name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ul>
  </li>
  {% endif %}
</ol>
{% call role_signature("Председатель", c.chair) %}
{% call role_signature("Секретарь", c.secretary) %}
