{# Дорожная карта (приложение № 3, seed 001): таблица «№ п/п, мероприятие, срок,
   ответственные» с повторяемой строкой заголовка; выгружается и в XLSX. #}
{% include "common" %}
{% if appendix %}{% call appendix_stamp(appendix.number) %}{% endif %}
{% call doc_title(roadmap.title) %}
<table widths="1.2,7,2.4,3" sheet="Дорожная карта">
  <tr header><th>№ п/п</th><th>Мероприятие</th><th>Срок</th><th>Ответственные</th></tr>
  {% for row in roadmap.rows %}
  <tr><td align="center">{{ loop.index }}</td><td>{{ row.activity }}</td><td>{{ row.term }}</td><td>{{ row.responsible }}</td></tr>
  {% endfor %}
</table>
