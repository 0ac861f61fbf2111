{# Приказ об организации партнёрского взаимодействия школ на учебный год (как приказ
   г. Смоленска от 30.12.2020 № 348, seed 002): пары «школа — партнёр» (у школы может быть
   несколько партнёров, в том числе вуз) и срок подготовки план-графиков (seed 004). Пары —
   `partnership`, действующее на дату документа. #}
{% include "common" %}
{% set ps = partnership %}
{% if not ps or not ps.order %}
{% call doc_type("ПРИКАЗ") %}
<p indent="none">{% call blank("приказ о партнёрском взаимодействии на " ~ academic_year ~ " учебный год: в данных его нет") %}</p>
{% else %}
{% call authority_heading(authority.heading) %}
{% call doc_type("ПРИКАЗ") %}
{% call date_number(ps.order.date, ps.order.number) %}
{% call issue_place(authority.city) %}
{% call doc_title(ps.order.title) %}
{% call paragraphs(ps.order.grounds) %}
<p indent="none" keep>ПРИКАЗЫВАЮ:</p>
<ol>
  <li>Организовать в {{ ps.year }} учебном году партнёрское взаимодействие (сотрудничество) общеобразовательных учреждений с низкими образовательными результатами и их партнёров в следующих парах:
    <ul>{% for s in ps.schools %}<li>{{ s.school.short_name }} – {% for p in s.partners %}{{ p.short_name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ul>
  </li>
  <li>Руководителям общеобразовательных учреждений, указанных в пункте 1, {% if ps.plan_deadline %}в срок до {{ ps.plan_deadline | date }} {% endif %}подготовить план-график совместных мероприятий с учётом выявленных рисков и представить его в {{ centre.short_name }}.</li>
  <li>{{ centre.short_name }} обеспечить методическое сопровождение партнёрского взаимодействия и мониторинг выполнения план-графиков.</li>
  <li>Контроль за исполнением настоящего приказа оставляю за собой.</li>
</ol>
{% call head_signature() %}
{% endif %}
