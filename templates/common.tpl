{# Реквизиты официальных документов по ГОСТ Р 7.0.97-2016 — общие блоки всех видов документов.
   Подключается в начале шаблона: {% include "common" %}, вызывается {% call блок(аргументы) %}.
   Блоки получают только данные в аргументах (никаких скрытых путей), места на листе задаёт профиль
   оформления (роли heading, date_number, place, approval, agreement, stamp, подпись).
   Чего нет в данных — печатается видимым пропуском «[не указано: …]» курсивом или линией для
   подписи, а не придуманным текстом. Лицо (person) — объект {name, position, illustrative}:
   name — «Ковальская Т.И.» или полное имя, position — строки должности, illustrative: true —
   вымышленное лицо примера: рядом с именем печатается «(образец)», чтобы документ не выглядел
   готовым к подписи. #}

{# Видимый пропуск реквизита: «[не указано: номер]» курсивом. #}
{% macro blank(what) %}<i>[не указано: {{ what }}]</i>{% endmacro %}

{# Отметка вымышленного лица примера. #}
{% macro illustrative_mark(person) %}{% if person and "illustrative" in person and person.illustrative %} (образец){% endif %}{% endmacro %}

{# «И.О. Фамилия» лица (с отметкой «(образец)»), или пропуск. #}
{% macro person_name(person) %}{% if person and person.name %}{{ person.name | initials }}{% call illustrative_mark(person) %}{% else %}{% call blank("фамилия и инициалы") %}{% endif %}{% endmacro %}

{# Строки должности лица, каждая с разрывом строки после неё, или пропуск. #}
{% macro position_lines(person) %}{% if person and person.position %}{% for line in person.position %}{{ line }}<br/>{% endfor %}{% else %}{% call blank("должность") %}<br/>{% endif %}{% endmacro %}

{# Дата реквизита: ДД.ММ.ГГГГ, а если её нет — место для даты от руки. #}
{% macro date_or_blank(date) %}{% if date %}{{ date | date }}{% else %}«___» ____________ 20___ г.{% endif %}{% endmacro %}

{# Наименование органа (строки бланка): authority_heading(authority.heading). #}
{% macro authority_heading(lines) %}
<p role="heading">{% for line in lines %}{{ line }}{% if not loop.last %}<br/>{% endif %}{% else %}{% call blank("наименование органа") %}{% endfor %}</p>
{% endmacro %}

{# Вид документа: doc_type("ПРИКАЗ"). #}
{% macro doc_type(kind) %}
<doctype>{% if kind %}{{ kind }}{% else %}{% call blank("вид документа") %}{% endif %}</doctype>
{% endmacro %}

{# Дата и регистрационный номер: date_number(order.date, order.number) → «от 01.03.2018 № 43-о/д». #}
{% macro date_number(date, number) %}
<p role="date_number">от {% if date %}{{ date | date }}{% else %}{% call blank("дата") %}{% endif %} {% if number %}{{ number | number_sign }}{% else %}№&nbsp;{% call blank("номер") %}{% endif %}</p>
{% endmacro %}

{# Дата документа без регистрационного номера (заключение, справка эксперта): doc_date(council.date)
   → «22.12.2020» на месте реквизита «дата и номер». #}
{% macro doc_date(date) %}
<p role="date_number">{% if date %}{{ date | date }}{% else %}{% call blank("дата") %}{% endif %}</p>
{% endmacro %}

{# Место издания: issue_place(authority.city) → «г. Демидов». #}
{% macro issue_place(city) %}
<p role="place">{% if city %}{{ city | place }}{% else %}{% call blank("место издания") %}{% endif %}</p>
{% endmacro %}

{# Заголовок к тексту: doc_title(order.title). #}
{% macro doc_title(text) %}
<doctitle>{% if text %}{{ text }}{% else %}{% call blank("заголовок к тексту") %}{% endif %}</doctitle>
{% endmacro %}

{# Гриф утверждения должностным лицом, в правом верхнем углу: approval(authority.head, null) →
   «УТВЕРЖДАЮ», должность, линия для подписи с инициалами и фамилией, дата (или место для неё). #}
{% macro approval(person, date) %}
<p role="approval">УТВЕРЖДАЮ<br/>{% call position_lines(person) %}________________ {% call person_name(person) %}<br/>{% call date_or_blank(date) %}</p>
{% endmacro %}

{# Гриф утверждения документом: approved_by("УТВЕРЖДЕНА", "приказом " ~ authority.name_genitive,
   order.date, order.number) → «УТВЕРЖДЕНА приказом … от 01.03.2018 № 43-о/д». Слово согласуется
   с видом документа (УТВЕРЖДЁН план, УТВЕРЖДЕНА программа, УТВЕРЖДЕНО положение). #}
{% macro approved_by(word, act, date, number) %}
<p role="approval">{{ word }}<br/>{% if act %}{{ act }}{% else %}{% call blank("утверждающий документ") %}{% endif %}<br/>от {% if date %}{{ date | date }}{% else %}{% call blank("дата") %}{% endif %} {% if number %}{{ number | number_sign }}{% else %}№&nbsp;{% call blank("номер") %}{% endif %}</p>
{% endmacro %}

{# Гриф согласования одной стороны: agreement(person, date) → «СОГЛАСОВАНО», должность, линия
   для подписи с инициалами и фамилией, дата. Для нескольких сторон — по вызову на каждую. #}
{% macro agreement(person, date) %}
<p role="agreement">СОГЛАСОВАНО<br/>{% call position_lines(person) %}________________ {% call person_name(person) %}<br/>{% call date_or_blank(date) %}</p>
{% endmacro %}

{# Подпись: signature(authority.head) — должность по строкам слева, инициалы и фамилия у правого
   поля; без лица — пропуск должности и линия «________ / ________». #}
{% macro signature(person) %}
<signature>
  {% if person and person.name %}
    {% if person.position %}{% for line in person.position %}<line>{{ line }}</line>{% endfor %}{% else %}<line>{% call blank("должность") %}</line>{% endif %}
    <name>{{ person.name | initials }}{% call illustrative_mark(person) %}</name>
  {% else %}
    <line>{% if person and person.position %}{{ person.position | join(" ") }}{% else %}{% call blank("должность") %}{% endif %}</line>
    <name>________ / ________</name>
  {% endif %}
</signature>
{% endmacro %}

{# Подпись в качестве члена коллегиального органа: role_signature("Председатель", council.chair) →
   «Председатель» слева, «И.О. Фамилия» (с «(образец)») у правого поля; без лица — пропуск. #}
{% macro role_signature(role, person) %}
<signature><line>{{ role }}</line><name>{% call person_name(person) %}</name></signature>
{% endmacro %}

{# Гриф приложения в правом верхнем углу: appendix_mark(1, authority.stamp_lines, order.date,
   order.number) → «Приложение № 1 / к приказу … / от 01.03.2018 № 43-о/д». #}
{% macro appendix_mark(number, lines, date, doc_number) %}
<stamp>Приложение {{ number | number_sign }}{% for line in lines %}<br/>{{ line }}{% endfor %}<br/>от {% if date %}{{ date | date }}{% else %}{% call blank("дата") %}{% endif %} {% if doc_number %}{{ doc_number | number_sign }}{% else %}№&nbsp;{% call blank("номер") %}{% endif %}</stamp>
{% endmacro %}

{# Гриф приложения к приказу этой папки данных (authority.stamp_lines, order.date, order.number). #}
{% macro appendix_stamp(number) %}{% call appendix_mark(number, authority.stamp_lines, order.date, order.number) %}{% endmacro %}

{# Подпись руководителя органа (authority.head). #}
{% macro head_signature() %}{% call signature(authority.head) %}{% endmacro %}

{# Абзацы текста (поле типа text — список абзацев). #}
{% macro paragraphs(list) %}
{% for text in list %}<p>{{ text }}</p>{% endfor %}
{% endmacro %}
