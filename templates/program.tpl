{# Муниципальная программа (приложение № 1 к приказу, seed 001): титул, содержание,
   пояснительная записка, паспорт (таблица из двух столбцов), этапы с мероприятиями,
   ожидаемые результаты и социальные эффекты. #}
{% include "common" %}

{# Пункты с подпунктами внутри ячейки паспорта: «1. …», «4.1. …». #}
{% macro cell_items(items) %}
{% for item in items %}
  {% set n = loop.index %}
  <p>{{ n }}. {{ item.text }}</p>
  {% for sub in item.items %}<p>{{ n }}.{{ loop.index }}. {{ sub.text }}</p>{% endfor %}
{% endfor %}
{% endmacro %}

{% macro stages_summary() %}
{% set count = program.stages | length %}
<p>Программа реализуется в {{ count }} {{ count | plural("этап", "этапа", "этапов") }} в течение {{ program.stages[0].from | year }} года.</p>
{% endmacro %}

{# Титульный лист — отдельная страница: гриф приложения, вид документа, название, место и год. #}
{% if appendix %}{% call appendix_stamp(appendix.number) %}{% endif %}
{% call doc_type(program.doc_type) %}
{% call doc_title(program.name) %}
<p align="center" indent="none">{{ program.place }}<br/>{{ program.year }}</p>
<pagebreak/>

{# Содержание — своя страница; номера страниц — поля PAGEREF к закладкам разделов (Word и
   LibreOffice пересчитывают их; значения по оценке раскладки — doc::paginate). #}
<h2>Содержание</h2>
<p role="toc">1. Пояснительная записка<tab/>стр. <pageref to="program_note"/></p>
<p role="toc">2. Паспорт программы<tab/>стр. <pageref to="program_passport"/></p>
<p role="toc">3. Поэтапная деятельность в рамках реализации программы<tab/>стр. <pageref to="program_stages"/></p>
<p role="toc">4. Ожидаемые результаты, социальные эффекты на уровне ОО<tab/>стр. <pageref to="program_results"/></p>
<pagebreak/>

<h1 bookmark="program_note">1. Пояснительная записка</h1>
{% call paragraphs(program.explanatory_note) %}

<h1 bookmark="program_passport">2. Паспорт программы</h1>
{% set pp = program.passport %}
<table widths="3,7" sheet="Паспорт программы">
  <tr><td>Наименование программы</td><td>{{ program.name }}</td></tr>
  <tr><td>Основания для разработки</td><td>{% call cell_items(pp.grounds) %}</td></tr>
  <tr><td>Основные разработчики программы</td><td>{% call paragraphs(pp.developers) %}</td></tr>
  <tr><td>Основные исполнители программы</td><td>{% call paragraphs(pp.executors) %}</td></tr>
  <tr><td>Цель программы</td><td>{% call paragraphs(pp.goal) %}</td></tr>
  <tr><td>Задачи программы</td><td>{% call cell_items(pp.tasks) %}</td></tr>
  <tr><td>Индикаторы программы</td><td>{% call cell_items(pp.indicators) %}</td></tr>
  <tr><td>Механизм реализации программы</td><td>{% call paragraphs(pp.mechanism) %}</td></tr>
  <tr><td>Ожидаемые результаты реализации программы</td><td>{% call cell_items(pp.expected_results) %}</td></tr>
  <tr><td>Сроки реализации программы</td><td>{% call paragraphs(pp.terms) %}</td></tr>
  <tr><td>Система организации контроля и исполнения</td><td>{% call paragraphs(pp.control) %}</td></tr>
  <tr><td>Этапы реализации программы</td><td>
    {% call stages_summary() %}
    {% for stage in program.stages %}<p>{{ loop.index }}. {{ stage.name }} ({{ stage.from | month_range(stage.to) }})</p>{% endfor %}
  </td></tr>
  <tr><td>Ресурсное обеспечение</td><td>{% call paragraphs(pp.resources) %}</td></tr>
  <tr><td>Риски реализации муниципальной программы</td><td>{% call cell_items(pp.risks) %}</td></tr>
</table>

<h1 bookmark="program_stages">3. Поэтапная деятельность в рамках реализации программы</h1>
{% call stages_summary() %}
<ol>
  {% for stage in program.stages %}
  <li bold keep>{{ stage.name }} ({{ stage.from | month_range(stage.to) }})
    <ol>{% for activity in stage.activities %}<li>{{ activity }}</li>{% endfor %}</ol>
  </li>
  {% endfor %}
</ol>

<h1 bookmark="program_results">4. Ожидаемые результаты, социальные эффекты на уровне ОО</h1>
<h2>Ожидаемые результаты</h2>
<ol>
  {% for result in program.expected_results %}
  <li>{{ result.text }}
    {% if result.items %}<ul>{% for sub in result.items %}<li>{{ sub.text }}</li>{% endfor %}</ul>{% endif %}
  </li>
  {% endfor %}
</ol>
<h2>Социальные эффекты на уровне ОО</h2>
<ol>
  {% for effect in program.social_effects %}<li>{{ effect.text }}</li>{% endfor %}
</ol>
