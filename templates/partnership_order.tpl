{# Приказ об организации партнёрского взаимодействия школ на учебный год (как приказ
   г. Смоленска от 30.12.2020 № 348, seed 002): пары «школа с низкими результатами — школа-партнёр»
   и срок подготовки план-графиков совместных мероприятий (seed 004). Пары — `partnership`:
   заданные в partners.json сохраняются, остальные подбираются (engine/partners). #}
{% include "common" %}
{% set ps = partnership %}
{% for line in authority.heading %}
<p role="plain" align="center" bold>{{ line }}</p>
{% endfor %}
<doctype>ПРИКАЗ</doctype>
<p align="center" indent="none">от {{ ps.order.date | date }} {{ ps.order.number | number_sign }}</p>
<doctitle>{{ ps.order.title }}</doctitle>
{% call paragraphs(ps.order.grounds) %}
<p indent="none" keep>ПРИКАЗЫВАЮ:</p>
<ol>
  <li>Организовать в {{ ps.year }} учебном году партнёрское взаимодействие (сотрудничество) общеобразовательных учреждений с низкими образовательными результатами и общеобразовательных учреждений с высокими образовательными результатами в следующих парах:
    <ul>{% for pair in ps.pairs %}<li>{{ pair.school.short_name }} – {{ pair.partner.short_name }}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}</ul>
  </li>
  <li>Руководителям общеобразовательных учреждений, указанных в пункте 1, в срок до {{ ps.plan_deadline | date }} подготовить план-график совместных мероприятий с учётом выявленных рисков и представить его в {{ centre.short_name }}.</li>
  <li>{{ centre.short_name }} обеспечить методическое сопровождение партнёрского взаимодействия и мониторинг выполнения план-графиков.</li>
  <li>Контроль за исполнением настоящего приказа оставляю за собой.</li>
</ol>
{% call head_signature() %}
