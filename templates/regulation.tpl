{# Положение (приложение № 2, seed 001): разделы «1. Общие положения» — нумерованные заголовки,
   пункты 1.1, 1.2 …, подпункты 2.2.1 …, перечни через тире внутри пунктов. Нумерация — списками
   Word; текст пунктов — обычный, жирные только заголовки разделов (с номерами). #}
{% include "common" %}
{% if appendix %}{% call appendix_stamp(appendix.number) %}{% endif %}
{% call doc_type(regulation.doc_type) %}
{% call doc_title(regulation.subject) %}
<ol>
  {% for section in regulation.sections %}
  <li role="heading2">{{ section.title }}
    {% call paragraphs(section.text) %}
    {% if section.clauses %}
    <ol>
      {% for clause in section.clauses %}
      <li>{{ clause.text }}
        {% if clause.bullets %}<ul>{% for b in clause.bullets %}<li>{{ b }}</li>{% endfor %}</ul>{% endif %}
        {% if clause.clauses %}<ol>{% for sub in clause.clauses %}<li>{{ sub.text }}</li>{% endfor %}</ol>{% endif %}
      </li>
      {% endfor %}
    </ol>
    {% endif %}
  </li>
  {% endfor %}
</ol>
