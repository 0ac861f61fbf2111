{# Макет программы повышения качества образования (ППКО) школы на учебный год: обязательная
   структура seed 002 (состояние и проблемы; цели, задачи, сроки, этапы; система мероприятий;
   механизмы; оценка эффективности) и паспорт с полями паспорта seed 001. Датирован началом
   учебного года: исходные данные — показатели прошлого года, известные на эту дату. Для
   программы ШФНСУ — раздел об условиях функционирования школы. Что пишет сама школа, отмечено
   «[Заполняет школа: …]» курсивом. #}
{% include "common" %}
{% macro fill(what) %}<i>[Заполняет школа: {{ what }}]</i>{% endmacro %}
{% macro value(row) %}{% if row.value == null %}нет данных{% else %}{{ row.value }}{% if row.unit and not row.absent %} {{ row.unit }}{% endif %}{% endif %}{% endmacro %}
{% call approval(director, null) %}
{% call authority_heading([school.name | capitalize]) %}
{% call doc_type("ПРОГРАММА") %}
{% call doc_title("повышения качества образования " ~ (school.name_genitive | default(school.short_name)) ~ " на " ~ year.name ~ " учебный год") %}
<p align="center" indent="none"><i>Макет подготовлен муниципальным центром {{ as_of | date }} по данным мониторинга. Разделы, отмеченные «[Заполняет школа]», заполняются школой; остальное проверяется и при необходимости уточняется.</i></p>

<h1>Паспорт программы</h1>
<table widths="3,7" sheet="Паспорт">
  <tr><td>Наименование программы</td><td>Программа повышения качества образования {{ school.short_name }} на {{ year.name }} учебный год</td></tr>
  <tr><td>Основания для разработки</td><td>
    {% if categories %}<p>Школа отнесена к {{ categories | length | plural("категории", "категориям", "категориям") }}: {% for c in categories %}{{ c.title }} ({{ c.abbr }}){% if not loop.last %}; {% endif %}{% endfor %}{% if basis_period %} — по показателям {{ basis_period }} учебного года{% endif %}.</p>{% endif %}
    <p>{% call fill("реквизиты приказа об утверждении программы") %}</p>
  </td></tr>
  <tr><td>Основные разработчики программы</td><td>{{ school.name | capitalize }}{% if school.head %}, директор {{ school.head | initials }}{% endif %}</td></tr>
  <tr><td>Основные исполнители программы</td><td>Администрация и педагогический коллектив {{ school.short_name }}</td></tr>
  <tr><td>Цель программы</td><td>{% call fill("цель — перевод школы в эффективный режим работы по выявленным проблемам") %}</td></tr>
  <tr><td>Задачи программы</td><td>{% call fill("задачи по каждой проблеме раздела 1") %}</td></tr>
  <tr><td>Индикаторы программы</td><td>{% for row in baseline %}<p>{{ loop.index }}. {{ row.title }}</p>{% endfor %}</td></tr>
  <tr><td>Механизм реализации программы</td><td>Партнёрское взаимодействие, методическое и экспертно-консультационное сопровождение муниципального центра; {% call fill("внутришкольные механизмы") %}</td></tr>
  <tr><td>Ожидаемые результаты реализации программы</td><td>Положительная динамика индикаторов раздела 5 к концу учебного года; {% call fill("другие результаты") %}</td></tr>
  <tr><td>Сроки реализации программы</td><td>{{ year.start | date }} – {{ year.end | date }} ({{ year.name }} учебный год)</td></tr>
  <tr><td>Система организации контроля и исполнения</td><td>Входной и итоговый мониторинг программы муниципальным центром; анализ результатов, управленческие решения</td></tr>
  <tr><td>Этапы реализации программы</td><td>{% for stage in stages %}<p>{{ loop.index }}. {{ stage.title }} ({{ stage.from | date }} – {{ stage.to | date }})</p>{% endfor %}</td></tr>
  <tr><td>Ресурсное обеспечение</td><td>{% call fill("кадровые, материально-технические, финансовые ресурсы") %}</td></tr>
  <tr><td>Риски реализации программы</td><td>{% call fill("риски и способы их снижения") %}</td></tr>
</table>

<h1>1. Состояние и основные проблемы развития ОО</h1>
{% if not basis_known %}
<p>{% call fill("показатели школы за " ~ basis_period ~ " учебный год: на дату макета они ещё не опубликованы") %}</p>
{% elif problems %}
<p>По данным мониторинга за {{ basis_period }} учебный год показатели школы достигают пороговых значений методики идентификации:</p>
<table widths="6,2,2" sheet="Проблемы">
  <tr header><th>Показатель</th><th>Значение школы</th><th>Пороговое значение</th></tr>
  {% for row in problems %}<tr><td>{{ row.title }}</td><td align="center">{% call value(row) %}</td><td align="center">{{ row.threshold }}{% if row.unit %} {{ row.unit }}{% endif %}</td></tr>{% endfor %}
</table>
{% else %}
<p>По данным мониторинга за {{ basis_period }} учебный год показатели школы не достигают пороговых значений методики идентификации.</p>
{% endif %}
{% for reason in reasons %}<p>Основание категории: {{ reason }}.</p>{% endfor %}
<p>{% call fill("анализ причин низких результатов: кадры, управление, контингент, условия") %}</p>
{% if program_category and program_category.id == "adverse_conditions" %}
<h2>Условия функционирования школы</h2>
<p>Школа функционирует в неблагоприятных социальных условиях; программа направлена на компенсацию влияния условий на образовательные результаты.</p>
<p>{% call fill("социальный паспорт: контингент, семьи, удалённость, кадры, материальная база; меры компенсации") %}</p>
{% endif %}

<h1>2. Цели, задачи, сроки, этапы реализации программы</h1>
<p>Программа реализуется в {{ stages | length }} {{ stages | length | plural("этап", "этапа", "этапов") }} в течение {{ year.name }} учебного года.</p>
<ol>
  {% for stage in stages %}<li>{{ stage.title }}: {{ stage.from | date }} – {{ stage.to | date }}{% if loop.last %}.{% else %};{% endif %}</li>{% endfor %}
</ol>
<p>{% call fill("цели и задачи по этапам") %}</p>

<h1>3. Система мероприятий по реализации основных направлений программы</h1>
<table widths="1,6,2.5,3" sheet="Мероприятия">
  <tr header><th>№ п/п</th><th>Мероприятие</th><th>Срок</th><th>Ответственные</th></tr>
  {% for stage in stages %}
    {% set s = loop.index %}
    <tr><td colspan="4" bold>{{ s }}. {{ stage.title }}</td></tr>
    {% for task in stage.tasks %}
      <tr><td align="center">{{ s }}.{{ loop.index }}</td><td>{{ task.activity }}</td><td>{{ task.from | date }} – {{ task.to | date }}</td><td>{{ task.responsible }}</td></tr>
    {% endfor %}
  {% endfor %}
  <tr><td></td><td>{% call fill("мероприятия школы по направлениям") %}</td><td></td><td></td></tr>
</table>

<h1>4. Механизмы реализации программы</h1>
<p>Сопровождение программы ведёт муниципальный центр; школа работает с партнёрами по план-графику совместных мероприятий.</p>
{% if partners %}
<p>{{ partners | length | plural("Партнёр", "Партнёры", "Партнёры") }}: {% for p in partners %}{{ p.name }}{% if not loop.last %}; {% endif %}{% endfor %}{% if plan_deadline %}; план-график совместных мероприятий — до {{ plan_deadline | date }}{% endif %}.</p>
<p>{% call fill("формы взаимодействия с партнёрами") %}</p>
{% else %}
<p>{% call fill("партнёры и формы взаимодействия (пары ещё не утверждены)") %}</p>
{% endif %}

<h1>5. Оценка эффективности реализации программы</h1>
<table widths="6,2,2" sheet="Индикаторы">
  <tr header><th>Индикатор</th><th>Исходное значение{% if basis_period %} ({{ basis_period }}){% endif %}</th><th>Целевое значение</th></tr>
  {% for row in baseline %}<tr><td>{{ row.title }}</td><td align="center">{% call value(row) %}</td><td align="center"><i>[заполняет школа]</i></td></tr>{% endfor %}
</table>
