{# План работы по циклу научно-методического сопровождения на учебный год (seed 003, г. Сасово):
   шаги цикла с датами этого года, мероприятия, сроки и ответственные — из рабочего процесса
   цикла. Утверждается руководителем органа управления образованием. #}
{% include "common" %}
{% call approval(authority.head, null) %}
{% call authority_heading(authority.heading) %}
{% call doc_type("ПЛАН") %}
{% call doc_title("работы по циклу научно-методического сопровождения муниципальной системы оценки качества образования на " ~ year.name ~ " учебный год") %}
<p>Цикл ведёт {{ centre.name | lower_first }}{% if centre.base %} ({{ centre.base }}){% endif %}: сбор данных о качестве образования, анализ и выявление проблем, изучение передового педагогического опыта, методическая помощь, мониторинг реализации рекомендаций — и снова сбор данных.</p>
<table widths="1,3.5,5,2.5,3" sheet="План цикла">
  <tr header><th>№ п/п</th><th>Шаг цикла</th><th>Мероприятие</th><th>Срок</th><th>Ответственные</th></tr>
  {% for stage in stages %}
    {% set s = loop.index %}
    {% for task in stage.tasks %}
    <tr><td align="center">{{ s }}{% if stage.tasks | length > 1 %}.{{ loop.index }}{% endif %}</td><td>{% if loop.first %}{{ stage.title }}{% endif %}</td><td>{{ task.activity }}</td><td>{{ task.from | date }} – {{ task.to | date }}</td><td>{{ task.responsible }}</td></tr>
    {% endfor %}
  {% endfor %}
</table>
{% call head_signature() %}
