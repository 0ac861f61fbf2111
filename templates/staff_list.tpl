{# Состав сотрудников центра (приложение № 4, seed 001): № п/п, Ф.И.О., место работы,
   должность; выгружается и в XLSX. #}
{% include "common" %}
{% if appendix %}{% call appendix_stamp(appendix.number) %}{% endif %}
<doctitle>Состав<br/>сотрудников {{ centre.name_genitive }}</doctitle>
<table widths="1.2,3,5,4.5" sheet="Состав центра">
  <tr header><th>№ п/п</th><th>Ф.И.О. сотрудника</th><th>Место работы</th><th>Должность</th></tr>
  {% for person in centre.staff %}
  <tr><td align="center">{{ loop.index }}</td><td>{{ person.name | surname_initials }}</td><td>{{ person.workplace }}</td><td>{{ person.position }}</td></tr>
  {% endfor %}
</table>
