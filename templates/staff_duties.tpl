{# Состав отдела (центра) с обязанностями сотрудников (seed 003: структура отдела методического
   сопровождения г. Сасово): Ф.И.О., должность и перечень обязанностей каждого. Утверждается
   руководителем органа управления образованием (гриф «УТВЕРЖДАЮ» с датой от руки). #}
{% include "common" %}
{% call approval(authority.head, null) %}
{% call authority_heading(authority.heading) %}
{% call doc_title("Состав " ~ centre.name_genitive ~ " и обязанности сотрудников") %}
{% if centre.base %}<p indent="none">На базе: {{ centre.base }}.</p>{% endif %}
<table widths="1,3,3,7" sheet="Состав и обязанности">
  <tr header><th>№ п/п</th><th>Ф.И.О.</th><th>Должность</th><th>Обязанности</th></tr>
  {% for person in centre.staff %}
  <tr><td align="center">{{ loop.index }}</td><td>{{ person.name | surname_initials }}</td><td>{{ person.position }}</td><td>{% for d in person.duties %}<p>{{ d }}{% if loop.last %}.{% else %};{% endif %}</p>{% else %}<p>—</p>{% endfor %}</td></tr>
  {% endfor %}
</table>
