{# Экспертное заключение на программу повышения качества образования школы к заседанию совета,
   по примерному перечню индикаторов seed 004 (общие данные; этап реализации; основные
   направления — объекты изменений; обоснование; способы реализации; резюме: соответствие,
   рекомендации, риски, ресурсы). Дата — дата заседания; всё, что известно из данных на эту
   дату, заполнено, остальное пишет эксперт («[Заполняет эксперт: …]»). Реквизиты: вид
   документа, дата (без номера), заголовок, подпись эксперта — «Эксперт», должность и место
   работы, И.О. Фамилия (council.experts; кого нет в данных — пропуск). Что эксперт написал
   (conclusions.json, conclusion.<часть> — абзацы или null), печатается вместо отметки
   «[Заполняет эксперт: …]»; ненаписанное остаётся отметкой, ничего не придумывается. #}
{% include "common" %}
{% macro fill(what) %}<i>[Заполняет эксперт: {{ what }}]</i>{% endmacro %}
{% macro written(paras, what) %}{% if paras %}{% for p in paras %}<p>{{ p }}</p>{% endfor %}{% else %}{% call fill(what) %}{% endif %}{% endmacro %}
{% macro led(label, paras, what) %}{% if paras %}<p>{{ label }}: {{ paras[0] }}</p>{% for p in paras %}{% if not loop.first %}<p>{{ p }}</p>{% endif %}{% endfor %}{% else %}<p>{{ label }}: {% call fill(what) %}</p>{% endif %}{% endmacro %}
{% call doc_type("ЭКСПЕРТНОЕ ЗАКЛЮЧЕНИЕ") %}
{% call doc_date(council.date) %}
{% call doc_title("на программу повышения качества образования " ~ school.short_name ~ " на " ~ year.name ~ " учебный год") %}
<p align="center" indent="none">к заседанию «{{ council.title }}» {{ council.date | date }}</p>
<table widths="3,7" sheet="Заключение">
  <tr header><th>Индикатор</th><th>Оценка</th></tr>
  <tr><td>1. Общие данные</td><td>
    <p>Программа повышения качества образования {{ school.name_genitive | default(school.short_name) }}{% if program_category %} ({{ program_category.abbr }}){% endif %}.</p>
    {% if program %}<p>Программа открыта {{ program.started_on | date }}{% if program.year != year.name %}, реализуется с {{ program.started_on | year }} года{% endif %}.</p>
    {% else %}<p>{% call fill("программа, проект программы, план или раздел программы развития") %}</p>{% endif %}
  </td></tr>
  <tr><td>2. Этап реализации</td><td>
    {% if program %}<p>{{ program.stage_title }}{% if program.status == "completed" %}: программа реализована{% endif %} (на {{ as_of | date }}).</p>{% else %}<p>{% call fill("этап: разработка, апробирование, основной, обобщения и анализа, коррекции") %}</p>{% endif %}
    {% for e in history %}<p>{{ e.date | date }} — {{ e.note | lower_first }}.</p>{% endfor %}
  </td></tr>
  <tr><td>3. Основные направления программы (объекты изменений)</td><td>{% call written(conclusion.directions, "управленческие решения, кадры, среда, индивидуализация, взаимодействие с внешними сообществами …") %}</td></tr>
  <tr><td>4. Обоснование выбора объектов изменения</td><td>
    <p>Внешняя оценка качества образования{% if basis_period %} (показатели за {{ basis_period }} учебный год){% endif %}:</p>
    {% if not basis_known %}<p>– {% call fill("показатели школы на дату заключения ещё не опубликованы") %}</p>
    {% else %}{% for row in problems %}<p>– {{ row.title | lower_first }}: {{ row.value }}{% if row.unit %} {{ row.unit }}{% endif %} (порог {{ row.threshold }}{% if row.unit %} {{ row.unit }}{% endif %}){% if loop.last %}.{% else %};{% endif %}</p>{% else %}<p>– показатели школы не выходят за пороги методики.</p>{% endfor %}{% endif %}
    {% call led("Внутренняя оценка качества образования", conclusion.internal_evaluation, "данные внутреннего мониторинга школы") %}
  </td></tr>
  <tr><td>5. Способы реализации программы</td><td>
    {% if partners %}<p>Партнёрское взаимодействие: {% for p in partners %}{{ p.short_name }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>{% endif %}
    {% for stage in stages %}<p>{{ stage.title }}: {% for t in stage.tasks %}{{ t.activity | lower_first }}{% if not loop.last %}; {% endif %}{% endfor %}.</p>{% endfor %}
  </td></tr>
  <tr><td>6. Резюме</td><td>
    {% call led("Соответствие цели, способов, ожидаемых результатов", conclusion.conformity, "вывод") %}
    {% call led("Рекомендации", conclusion.recommendations, "рекомендации эксперта") %}
    {% call led("Риски", conclusion.risks, "риски") %}
    {% call led("Ресурсы (в т.ч. в своём лице)", conclusion.resources, "ресурсы") %}
  </td></tr>
</table>
<signature><line>Эксперт</line><line>{% if expert and expert.position %}{{ expert.position }}{% else %}{% call blank("должность и место работы") %}{% endif %}</line><name>{% call person_name(expert) %}</name></signature>
