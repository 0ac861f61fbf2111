{# Справка о мониторинге цикла научно-методического сопровождения за учебный год (seed 003): какие
   шаги цикла пройдены и когда (по датированным фактам), на каком шаге цикл на дату справки и что
   просрочено. Датирована концом учебного года или датой запуска. #}
{% include "common" %}
{% call authority_heading(authority.heading) %}
{% call doc_type("СПРАВКА") %}
{% call date_number(as_of, null) %}
{% call issue_place(authority.city) %}
{% call doc_title("о ходе цикла научно-методического сопровождения муниципальной системы оценки качества образования в " ~ year.name ~ " учебном году") %}
<p>{% if not program %}На {{ as_of | date }} цикл в этом учебном году не начат.{% elif program.year != year.name %}Учебный год завершён; цикл продолжается в {{ program.year }} учебном году с шага «{{ program.stage_title }}».{% else %}На {{ as_of | date }} цикл находится на шаге «{{ program.stage_title }}».{% endif %}</p>
<table widths="2,5,7" sheet="Ход цикла">
  <tr header><th>Дата</th><th>Что сделано</th><th>Содержание</th></tr>
  {% for f in facts %}<tr><td>{{ f.date | date }}</td><td>{% if f.title %}{{ f.title | capitalize }}{% else %}—{% endif %}</td><td>{% if f.note %}{{ f.note }}{% else %}—{% endif %}</td></tr>
  {% else %}<tr><td colspan="3">В этом учебном году шаги цикла ещё не отмечены.</td></tr>{% endfor %}
</table>
<p>Ход цикла по журналу за учебный год:</p>
<ul>{% for e in history %}{% if e.date >= year.start %}<li>{{ e.date | date }} — {{ e.note | lower_first }};</li>{% endif %}{% endfor %}</ul>
{% call head_signature() %}
