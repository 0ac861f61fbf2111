{# Экспертное заключение на программу повышения качества образования школы к заседанию совета,
   по примерному перечню индикаторов seed 004 (общие данные; этап реализации; основные
   направления — объекты изменений; обоснование; способы реализации; резюме: соответствие,
   рекомендации, риски, ресурсы). Предзаполнено из состояния программы и журнала событий. #}
{% include "common" %}
{% macro fill(what) %}<i>[Заполняет эксперт: {{ what }}]</i>{% endmacro %}
<doctype>ЭКСПЕРТНОЕ ЗАКЛЮЧЕНИЕ</doctype>
<doctitle>на программу повышения качества образования {{ school.short_name }} ({{ year.name }} учебный год)</doctitle>
<p align="center" indent="none">к заседанию «{{ council.title }}» {{ council.date | date }}</p>
<table widths="3,7" sheet="Заключение">
  <tr header><th>Индикатор</th><th>Оценка</th></tr>
  <tr><td>1. Общие данные</td><td>
    <p>Программа повышения качества образования {{ school.name }}.</p>
    {% if program %}<p>Программа открыта {{ program.started_on | date }}; рабочий процесс «{{ workflow.title }}», версия {{ workflow.version }}.</p>
    {% else %}<p>Сведений о ходе программы нет (состояние не передано: ppko render … --state).</p>{% endif %}
  </td></tr>
  <tr><td>2. Этап реализации</td><td>
    {% if program %}<p>{{ program.stage_title }}{% if program.status == "completed" %} — программа реализована{% endif %}.</p>{% else %}<p>{% call fill("этап: разработка, апробирование, основной, обобщения и анализа, коррекции") %}</p>{% endif %}
    {% for e in history %}<p>{{ e.date | date }} — {{ e.note }}</p>{% endfor %}
  </td></tr>
  <tr><td>3. Основные направления программы (объекты изменений)</td><td>{% call fill("управленческие решения, кадры, среда, индивидуализация, взаимодействие с внешними сообществами …") %}</td></tr>
  <tr><td>4. Обоснование выбора объектов изменения</td><td>
    <p>Внешняя оценка качества образования:</p>
    {% for row in problems %}<p>– {{ row.title }}: {{ row.value }}{% if row.unit %} {{ row.unit }}{% endif %} (порог {{ row.threshold }}{% if row.unit %} {{ row.unit }}{% endif %});</p>{% else %}<p>– показатели школы не выходят за пороги методики;</p>{% endfor %}
    <p>Внутренняя оценка качества образования: {% call fill("данные внутреннего мониторинга школы") %}</p>
  </td></tr>
  <tr><td>5. Способы реализации программы</td><td>
    {% if partner %}<p>Партнёрское взаимодействие со школой-партнёром: {{ partner.short_name }}.</p>{% endif %}
    {% for stage in stages %}<p>{{ stage.title }}: {% for t in stage.tasks %}{{ t.activity | lower }}{% if not loop.last %}; {% endif %}{% endfor %}.</p>{% endfor %}
  </td></tr>
  <tr><td>6. Резюме</td><td>
    <p>Соответствие цели, способов, ожидаемых результатов: {% call fill("вывод") %}</p>
    <p>Рекомендации:</p>
    {% for r in council.recommendations %}<p>{{ loop.index }}. {{ r }}.</p>{% endfor %}
    <p>Риски: {% call fill("риски") %}</p>
    <p>Ресурсы (в т.ч. в своём лице): {% call fill("ресурсы") %}</p>
  </td></tr>
</table>
<p indent="none">Эксперт ____________________ / ____________________ /</p>
